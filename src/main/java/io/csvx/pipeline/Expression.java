package io.csvx.pipeline;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/// The filter language, compiled against a header into a predicate over rows.
///
/// ```
/// amount > 100 and not (status = "cancelled" or email is empty)
/// name startsWith "A" or `Order ID` matches "^[0-9]+$" or note contains 'rush'
/// ```
///
/// Operators: `=` `!=` `<` `<=` `>` `>=` (numeric when both sides are numbers, else text),
/// `contains`, `startsWith`, `matches` (a Java regular expression), `is empty`, `is not empty`,
/// `and`, `or`, `not`, parentheses. Columns are bare names or `backquoted`; text is "double" or
/// 'single' quoted; numbers are written plainly. Keywords are case-insensitive.
final class Expression {
    private Expression() {
    }

    /// A value: a column (by index) or a literal.
    private sealed interface Operand permits Column, Literal {
        String value(String[] row);
    }

    private record Column(int index) implements Operand {
        public String value(String[] row) {
            return row[index];
        }
    }

    private record Literal(String text) implements Operand {
        public String value(String[] row) {
            return text;
        }
    }

    /// Compiles `source` for rows laid out as `header`; [PipelineException] says what and where is wrong.
    public static Predicate<String[]> compile(String source, List<String> header) {
        return compile(source, header, false);
    }

    /// Compiles `source` for rows of the fields it names, in the order it first names them, which
    /// it adds to `fields`: for conditions over named values rather than a file's columns.
    static Predicate<String[]> compileOpen(String source, List<String> fields) {
        return compile(source, fields, true);
    }

    private static Predicate<String[]> compile(String source, List<String> header, boolean open) {
        Parser p = new Parser(tokens(source), header, source);
        p.open = open;
        Predicate<String[]> e = p.or();
        if (!p.atEnd()) {
            throw p.error("unexpected '" + p.peek() + "'");
        }
        return e;
    }

    /// Checks the syntax of `source` alone, before a header is known.
    static void checkSyntax(String source) {
        compile(source, null);
    }

    private record Token(String text, Kind kind, int at) {
    }

    private enum Kind { WORD, QUOTED_COLUMN, STRING, NUMBER, SYMBOL }

    private static List<Token> tokens(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'' || c == '`') {
                int end = s.indexOf(c, i + 1);
                if (end < 0) {
                    throw new PipelineException("unterminated " + (c == '`' ? "column name" : "text") + " at position "
                            + (i + 1) + " of: " + s);
                }
                out.add(new Token(s.substring(i + 1, end), c == '`' ? Kind.QUOTED_COLUMN : Kind.STRING, i));
                i = end + 1;
            } else if ("=!<>".indexOf(c) >= 0) {
                int len = i + 1 < s.length() && s.charAt(i + 1) == '=' ? 2 : 1;
                out.add(new Token(s.substring(i, i + len), Kind.SYMBOL, i));
                i += len;
            } else if (c == '(' || c == ')') {
                out.add(new Token(String.valueOf(c), Kind.SYMBOL, i));
                i++;
            } else if (c == '-' || Character.isDigit(c)) {
                int start = i++;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                out.add(new Token(s.substring(start, i), Kind.NUMBER, start));
            } else if (Character.isLetter(c) || c == '_') {
                int start = i++;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "_.-".indexOf(s.charAt(i)) >= 0)) {
                    i++;
                }
                out.add(new Token(s.substring(start, i), Kind.WORD, start));
            } else {
                throw new PipelineException("unexpected '" + c + "' at position " + (i + 1) + " of: " + s);
            }
        }
        return out;
    }

    private static final class Parser {
        private final List<Token> tokens;
        private final List<String> header;
        private final String source;
        private int pos;
        /// Every name is a field: a new one is added to the header.
        private boolean open;

        Parser(List<Token> tokens, List<String> header, String source) {
            this.tokens = tokens;
            this.header = header;
            this.source = source;
        }

        boolean atEnd() {
            return pos >= tokens.size();
        }

        String peek() {
            return atEnd() ? "end" : tokens.get(pos).text();
        }

        boolean keyword(String k) {
            if (!atEnd() && tokens.get(pos).kind() == Kind.WORD && tokens.get(pos).text().equalsIgnoreCase(k)) {
                pos++;
                return true;
            }
            return false;
        }

        boolean symbol(String s) {
            if (!atEnd() && tokens.get(pos).kind() == Kind.SYMBOL && tokens.get(pos).text().equals(s)) {
                pos++;
                return true;
            }
            return false;
        }

        PipelineException error(String what) {
            int at = atEnd() ? source.length() : tokens.get(pos).at();
            return new PipelineException(what + " at position " + (at + 1) + " of: " + source);
        }

        Predicate<String[]> or() {
            Predicate<String[]> left = and();
            while (keyword("or")) {
                left = left.or(and());
            }
            return left;
        }

        Predicate<String[]> and() {
            Predicate<String[]> left = not();
            while (keyword("and")) {
                left = left.and(not());
            }
            return left;
        }

        Predicate<String[]> not() {
            if (keyword("not")) {
                return not().negate();
            }
            return comparison();
        }

        Predicate<String[]> comparison() {
            if (symbol("(")) {
                Predicate<String[]> inner = or();
                if (!symbol(")")) {
                    throw error("expected ')'");
                }
                return inner;
            }
            Operand left = operand();
            if (keyword("is")) {
                boolean negated = keyword("not");
                if (!keyword("empty")) {
                    throw error("expected 'empty'");
                }
                Predicate<String[]> empty = row -> left.value(row).isBlank();
                return negated ? empty.negate() : empty;
            }
            if (keyword("contains")) {
                Operand right = operand();
                return row -> left.value(row).contains(right.value(row));
            }
            if (keyword("startsWith")) {
                Operand right = operand();
                return row -> left.value(row).startsWith(right.value(row));
            }
            if (keyword("matches")) {
                Operand right = operand();
                if (!(right instanceof Literal lit)) {
                    throw error("matches takes a quoted pattern");
                }
                try {
                    Pattern pattern = Pattern.compile(lit.text());
                    return row -> pattern.matcher(left.value(row)).find();
                } catch (PatternSyntaxException e) {
                    throw error("invalid pattern " + lit.text() + " (" + e.getDescription() + ")");
                }
            }
            for (String op : List.of("=", "==", "!=", "<", "<=", ">", ">=")) {
                if (symbol(op)) {
                    Operand right = operand();
                    return row -> compare(op, left.value(row), right.value(row));
                }
            }
            throw error("expected an operator after " + describe(left));
        }

        Operand operand() {
            if (atEnd()) {
                throw error("expected a column, text or number");
            }
            Token t = tokens.get(pos++);
            return switch (t.kind()) {
                case STRING, NUMBER -> new Literal(t.text());
                case WORD, QUOTED_COLUMN -> {
                    int index = header == null ? 0 : header.indexOf(t.text()); // null: syntax only
                    if (index < 0 && open) {
                        header.add(t.text());
                        index = header.size() - 1;
                    }
                    if (index < 0) {
                        pos--;
                        throw error("unknown column '" + t.text() + "' (columns: " + String.join(", ", header) + ")");
                    }
                    yield new Column(index);
                }
                case SYMBOL -> {
                    pos--;
                    throw error("expected a column, text or number, not '" + t.text() + "'");
                }
            };
        }

        private String describe(Operand o) {
            return o instanceof Column c ? (header == null ? "a column" : "column '" + header.get(c.index()) + "'")
                    : "'" + ((Literal) o).text() + "'";
        }
    }

    static boolean compare(String op, String a, String b) {
        int c;
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        c = x != null && y != null ? x.compareTo(y) : a.compareTo(b);
        return switch (op) {
            case "=", "==" -> c == 0;
            case "!=" -> c != 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
        };
    }

    static BigDecimal number(String s) {
        String t = s.strip();
        if (t.isEmpty() || t.length() > 40) {
            return null;
        }
        char first = t.charAt(0);
        if (!(Character.isDigit(first) || first == '-' || first == '+' || first == '.')) {
            return null;
        }
        try {
            return new BigDecimal(t.toUpperCase(Locale.ROOT));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
