package io.csvx.http;

import io.csvx.tenant.AppToken;
import java.util.regex.Pattern;

/// What an application-scoped token may reach: routes under its own application (the caller
/// has resolved the path's application to `pathAppId`), by the capabilities it holds, and the
/// event type catalogue to read. Everything else (other applications, the application list,
/// event type writes, issuing tokens) is refused alike, so a refusal tells nothing.
final class PortalScope {
    private static final Pattern SECRET = Pattern.compile("/endpoint/[^/]+/secret");
    private static final Pattern ROTATE = Pattern.compile("/endpoint/[^/]+/secret/rotate");
    private static final Pattern ATTEMPTS = Pattern.compile("/msg/[^/]+/endpoint/[^/]+/resend|/endpoint/[^/]+/recover"
            + "|/endpoint/[^/]+/send-example|/endpoint/[^/]+/replay-missing|/endpoint/[^/]+/bulk-replay");
    private static final Pattern ENDPOINT = Pattern.compile("/endpoint/[^/]+(/headers)?");

    private PortalScope() {
    }

    /// `rest` is the path after `/api/v1/app/{app_id}` (empty for the application itself);
    /// `pathAppId` is the id the path's application resolved to, or null.
    static boolean allowsApp(AppToken t, String method, String pathAppId, String rest) {
        if (pathAppId == null || !pathAppId.equals(t.appId())) {
            return false;
        }
        boolean manage = t.mayManageEndpoints();
        return switch (method) {
            case "GET" -> SECRET.matcher(rest).matches() ? t.mayReadSecrets() : t.mayView();
            case "POST" -> ROTATE.matcher(rest).matches() ? t.mayRotateSecrets()
                    : ATTEMPTS.matcher(rest).matches() ? t.mayCreateAttempts()
                    : rest.equals("/endpoint") && manage;
            case "PUT", "PATCH" -> manage && ENDPOINT.matcher(rest).matches();
            case "DELETE" -> manage && ENDPOINT.matcher(rest).matches() && !rest.endsWith("/headers");
            default -> false;
        };
    }

    /// Routes outside any application: reading the event type catalogue, and logging out.
    static boolean allowsOther(AppToken t, String method, String path) {
        return method.equals("GET") && (path.equals("/api/v1/event-type") || path.startsWith("/api/v1/event-type/"))
                && t.mayView()
                || method.equals("POST") && path.equals("/api/v1/auth/logout");
    }
}
