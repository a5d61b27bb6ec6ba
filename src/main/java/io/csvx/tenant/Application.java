package io.csvx.tenant;

import java.time.Instant;
import java.util.regex.Pattern;

/// A tenant whose endpoints receive messages. `metadata` is a JSON object as text.
public record Application(String id, String uid, String name, Integer throttleRate, String metadata,
                          Instant createdAt, Instant updatedAt) {
    /// What every application id starts with; a uid may not, or looking one up by id or uid
    /// could find the wrong application.
    public static final String ID_PREFIX = "app_";
    private static final Pattern UID = Pattern.compile("^[a-zA-Z0-9\\-_.]{1,256}$");
    /// The uid rule in words, for the API's and the console's answers.
    public static final String UID_RULE = "a uid is 1 to 256 letters, digits, '-', '_' and '.', and does not start"
            + " with '" + ID_PREFIX + "'";

    /// Whether `uid` may be an application's uid.
    public static boolean isUid(String uid) {
        return uid != null && UID.matcher(uid).matches() && !uid.startsWith(ID_PREFIX);
    }
}
