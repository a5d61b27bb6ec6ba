package io.csvx.pipeline;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/// The step kinds. Each checks at bind time that the columns it names exist.
final class Steps {
    private static final Outcome SKIP = new Outcome.Skip();
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private Steps() {
    }

    static int index(List<String> header, String column, String where) {
        int i = header.indexOf(column);
        if (i < 0) {
            throw new PipelineException(where + ": unknown column '" + column + "' (columns: " + String.join(", ", header) + ")");
        }
        return i;
    }

    /// `select` keeps the named columns in the given order; `drop` keeps all others.
    record Select(String where, List<String> columns, boolean drop) implements Step {
        public Bound bind(List<String> header) {
            List<Integer> keep = new ArrayList<>();
            if (drop) {
                Set<Integer> gone = new HashSet<>();
                for (String c : columns) {
                    gone.add(index(header, c, where));
                }
                for (int i = 0; i < header.size(); i++) {
                    if (!gone.contains(i)) {
                        keep.add(i);
                    }
                }
            } else {
                for (String c : columns) {
                    keep.add(index(header, c, where));
                }
            }
            List<String> out = keep.stream().map(header::get).toList();
            int[] from = keep.stream().mapToInt(Integer::intValue).toArray();
            return new Bound() {
                public List<String> header() {
                    return out;
                }

                public Outcome apply(String[] row) {
                    String[] next = new String[from.length];
                    for (int i = 0; i < from.length; i++) {
                        next[i] = row[from[i]];
                    }
                    return new Outcome.Keep(next);
                }
            };
        }
    }

    record Rename(String where, Map<String, String> names) implements Step {
        public Bound bind(List<String> header) {
            List<String> out = new ArrayList<>(header);
            names.forEach((from, to) -> out.set(index(header, from, where), to));
            if (new HashSet<>(out).size() != out.size()) {
                throw new PipelineException(where + ": renaming would give two columns the same name");
            }
            return fixed(out, row -> new Outcome.Keep(row));
        }
    }

    record Filter(String where, String expression) implements Step {
        public Bound bind(List<String> header) {
            Predicate<String[]> test;
            try {
                test = Expression.compile(expression, header);
            } catch (PipelineException e) {
                throw new PipelineException(where + ": " + e.getMessage());
            }
            return fixed(header, row -> test.test(row) ? new Outcome.Keep(row) : SKIP);
        }
    }

    /// Strips surrounding white space from the named columns, or from every column when empty.
    record Trim(String where, List<String> columns) implements Step {
        public Bound bind(List<String> header) {
            int[] at = columns.isEmpty() ? range(header.size())
                    : columns.stream().mapToInt(c -> index(header, c, where)).toArray();
            return fixed(header, row -> {
                for (int i : at) {
                    row[i] = row[i].strip();
                }
                return new Outcome.Keep(row);
            });
        }
    }

    /// `lower`, `upper` or `collapse` (runs of white space become one space, ends stripped) per column.
    record Normalize(String where, Map<String, String> modes) implements Step {
        static final List<String> MODES = List.of("lower", "upper", "collapse");

        public Bound bind(List<String> header) {
            Map<Integer, String> at = new LinkedHashMap<>();
            modes.forEach((c, m) -> at.put(index(header, c, where), m));
            return fixed(header, row -> {
                at.forEach((i, m) -> row[i] = switch (m) {
                    case "lower" -> row[i].toLowerCase(Locale.ROOT);
                    case "upper" -> row[i].toUpperCase(Locale.ROOT);
                    default -> row[i].strip().replaceAll("\\s+", " ");
                });
                return new Outcome.Keep(row);
            });
        }
    }

    /// Keeps the first row of each key. Holds one entry per distinct key in memory.
    record Dedupe(String where, List<String> columns) implements Step {
        public Bound bind(List<String> header) {
            int[] at = columns.stream().mapToInt(c -> index(header, c, where)).toArray();
            Set<List<String>> seen = new HashSet<>();
            return fixed(header, row -> {
                List<String> key = new ArrayList<>(at.length);
                for (int i : at) {
                    key.add(row[i]);
                }
                return seen.add(key) ? new Outcome.Keep(row) : SKIP;
            });
        }
    }

    /// A column rule of `validate`.
    record Rule(String type, boolean required, Pattern pattern, BigDecimal min, BigDecimal max, List<String> values) {
        static final List<String> TYPES = List.of("string", "integer", "decimal", "boolean", "date", "email", "enum");

        /// Null when `v` passes, else why not.
        String check(String v) {
            if (v.isEmpty()) {
                return required ? "is required" : null;
            }
            switch (type) {
                case "integer" -> {
                    if (!v.matches("[-+]?\\d+")) {
                        return "'" + v + "' is not an integer";
                    }
                }
                case "decimal" -> {
                    if (Expression.number(v) == null) {
                        return "'" + v + "' is not a decimal number";
                    }
                }
                case "boolean" -> {
                    if (!Set.of("true", "false").contains(v.toLowerCase(Locale.ROOT))) {
                        return "'" + v + "' is not true or false";
                    }
                }
                case "date" -> {
                    try {
                        LocalDate.parse(v);
                    } catch (DateTimeParseException e) {
                        return "'" + v + "' is not a date (YYYY-MM-DD)";
                    }
                }
                case "email" -> {
                    if (!EMAIL.matcher(v).matches()) {
                        return "'" + v + "' is not an email address";
                    }
                }
                case "enum" -> {
                    if (!values.contains(v)) {
                        return "'" + v + "' is not one of " + values;
                    }
                }
                default -> {
                    // string: any text
                }
            }
            if (pattern != null && !pattern.matcher(v).matches()) {
                return "'" + v + "' does not match " + pattern.pattern();
            }
            if (min != null || max != null) {
                BigDecimal n = Expression.number(v);
                BigDecimal measure = n != null && !type.equals("string") ? n : BigDecimal.valueOf(v.length());
                String what = n != null && !type.equals("string") ? "" : "length of ";
                if (min != null && measure.compareTo(min) < 0) {
                    return what + "'" + v + "' is below the minimum " + min.toPlainString();
                }
                if (max != null && measure.compareTo(max) > 0) {
                    return what + "'" + v + "' is above the maximum " + max.toPlainString();
                }
            }
            return null;
        }
    }

    record Validate(String where, Map<String, Rule> rules) implements Step {
        public Bound bind(List<String> header) {
            Map<Integer, Rule> at = new LinkedHashMap<>();
            rules.forEach((c, r) -> at.put(index(header, c, where), r));
            return fixed(header, row -> {
                List<String> problems = new ArrayList<>();
                at.forEach((i, rule) -> {
                    String problem = rule.check(row[i]);
                    if (problem != null) {
                        problems.add(header.get(i) + ": " + problem);
                    }
                });
                return problems.isEmpty() ? new Outcome.Keep(row) : new Outcome.Reject(String.join("; ", problems));
            });
        }
    }

    private static int[] range(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    private static Step.Bound fixed(List<String> header, Function<String[], Outcome> f) {
        List<String> out = List.copyOf(header);
        return new Step.Bound() {
            public List<String> header() {
                return out;
            }

            public Outcome apply(String[] row) {
                return f.apply(row);
            }
        };
    }
}
