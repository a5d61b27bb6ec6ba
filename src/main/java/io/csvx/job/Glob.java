package io.csvx.job;

import java.util.regex.Pattern;

/// A file-name glob: `*` matches any run of characters, `?` one character, `[abc]` one of a set
/// (`[!abc]` none of it); everything else matches itself. Matching is case-sensitive and covers
/// the whole name. Compiled once, when read from a request or from the store.
public final class Glob {
    private final String text;
    private final Pattern pattern;

    private Glob(String text) {
        this.text = text;
        this.pattern = compile(text);
    }

    /// The glob `text`; [IllegalArgumentException] says what is wrong with it.
    public static Glob of(String text) {
        return new Glob(text);
    }

    public String text() {
        return text;
    }

    public boolean matches(String name) {
        return pattern.matcher(name).matches();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Glob g && g.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    private static Pattern compile(String glob) {
        StringBuilder re = new StringBuilder();
        boolean inSet = false;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (inSet) {
                if (c == ']') {
                    inSet = false;
                    re.append(']');
                } else {
                    re.append(c == '\\' || c == '[' || c == '&' || c == '^' ? "\\" + c : String.valueOf(c));
                }
                continue;
            }
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    if (glob.indexOf(']', i + 1) < 0) {
                        throw new IllegalArgumentException("'[' at " + (i + 1) + " has no closing ']'");
                    }
                    inSet = true;
                    re.append('[');
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '!') {
                        re.append('^');
                        i++;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
