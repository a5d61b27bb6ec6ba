package io.csvx.net;

import java.util.regex.Pattern;

/// What HTTP allows in a header (RFC 9110): a name is a token, and a value has no CR, LF or NUL,
/// so that nothing a user saves can split or forge a header line.
public final class HeaderNames {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");

    private HeaderNames() {
    }

    public static boolean isName(String name) {
        return name != null && TOKEN.matcher(name).matches();
    }

    public static boolean isValue(String value) {
        return value != null && value.chars().noneMatch(c -> c == '\r' || c == '\n' || c == 0);
    }
}
