package io.csvx.csv;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/// Turns a header row into keys: blank names become `column_N` and repeats get `_2`, `_3`,
/// so every value has its own key; for XML, names are also made valid element names.
public final class Names {
    private Names() {
    }

    static List<String> keys(List<String> header) {
        List<String> out = new ArrayList<>(header.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip();
            out.add(unique(name.isEmpty() ? "column_" + (i + 1) : name, seen));
        }
        return out;
    }

    static List<String> elements(List<String> header) {
        List<String> out = new ArrayList<>(header.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            out.add(unique(element(header.get(i).strip(), i), seen));
        }
        return out;
    }

    /// A valid XML element name: letters, digits, `_`, `-` and `.` kept; anything else becomes `_`;
    /// a name that would start with a digit, `-`, `.` or "xml" gets a leading `_`; a blank one is
    /// `column_N` after its 0-based `index`. Outgoing XML webhooks name their elements the same way.
    public static String element(String name, int index) {
        if (name.isEmpty()) {
            return "column_" + (index + 1);
        }
        StringBuilder b = new StringBuilder(name.length() + 1);
        name.codePoints().forEach(cp -> b.appendCodePoint(
                Character.isLetterOrDigit(cp) || cp == '_' || cp == '-' || cp == '.' ? cp : '_'));
        char first = b.charAt(0);
        if (Character.isDigit(first) || first == '-' || first == '.' || b.toString().toLowerCase(Locale.ROOT).startsWith("xml")) {
            b.insert(0, '_');
        }
        return b.toString();
    }

    private static String unique(String name, Set<String> seen) {
        String candidate = name;
        for (int n = 2; !seen.add(candidate); n++) {
            candidate = name + "_" + n;
        }
        return candidate;
    }
}
