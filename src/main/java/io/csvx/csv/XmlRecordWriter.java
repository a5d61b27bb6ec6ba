package io.csvx.csv;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/// XML in one stable layout:
///
/// ```xml
/// <rows>
///   <row line="2"><order_id name="Order ID">1</order_id>…</row>
/// </rows>
/// ```
///
/// Element names are the header made safe ([Names#element]); `name` keeps the header as written;
/// `line` is where the row starts in the input.
final class XmlRecordWriter implements RecordWriter {
    private final XMLStreamWriter xml;
    private final OutputStream out;
    private List<String> names;
    private List<String> elements;

    XmlRecordWriter(OutputStream out) throws IOException {
        this.out = out;
        try {
            this.xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("rows");
        } catch (XMLStreamException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void header(List<String> header) {
        this.names = List.copyOf(header);
        this.elements = Names.elements(header);
    }

    @Override
    public void row(long line, List<String> fields) throws IOException {
        try {
            xml.writeCharacters("\n  ");
            xml.writeStartElement("row");
            xml.writeAttribute("line", Long.toString(line));
            for (int i = 0; i < elements.size(); i++) {
                xml.writeStartElement(elements.get(i));
                if (!names.get(i).equals(elements.get(i))) {
                    xml.writeAttribute("name", clean(names.get(i)));
                }
                xml.writeCharacters(clean(fields.get(i)));
                xml.writeEndElement();
            }
            xml.writeEndElement();
        } catch (XMLStreamException e) {
            throw new IOException(e);
        }
    }

    /// Characters XML 1.0 cannot carry (most control characters) become U+FFFD.
    private static String clean(String s) {
        int first = 0;
        while (first < s.length() && !unfit(s.charAt(first))) {
            first++;
        }
        if (first == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s);
        for (int j = first; j < b.length(); j++) {
            if (unfit(b.charAt(j))) {
                b.setCharAt(j, '\uFFFD');
            }
        }
        return b.toString();
    }

    private static boolean unfit(char c) {
        return c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF;
    }

    @Override
    public void close() throws IOException {
        try {
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.writeCharacters("\n");
            xml.flush();
            out.flush();
        } catch (XMLStreamException e) {
            throw new IOException(e);
        }
    }
}
