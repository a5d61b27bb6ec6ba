package io.csvx.http;

import io.csvx.tenant.AccessService;
import io.csvx.tenant.AppToken;
import io.csvx.tenant.Application;
import io.csvx.tenant.Capability;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/// `/api/v1/auth`: tokens scoped to one application (Svix's app portal access), and logout.
final class AuthRoutes {
    private static final Pattern SESSION = Pattern.compile("^[a-zA-Z0-9@_-]{1,64}$");

    /// The answer to an app portal access request: the portal's address and the token.
    record AppPortalAccessOut(String url, String token) {
    }

    private final Services s;
    private final Http http;

    AuthRoutes(Services s, Http http) {
        this.s = s;
        this.http = http;
    }

    /// Admin only. `expiry` (seconds, 1 h to 7 days, default 7 days), `capabilities` (all when
    /// absent; the deprecated `readOnly` means ViewBase alone), `sessionId`, and `application` to
    /// create the application on the way when the path names none.
    void appPortalAccess(Context ctx) {
        if (ctx.attribute(Api.APP_TOKEN) != null) {
            throw ApiError.of(403, "forbidden", "this token does not allow this request");
        }
        Input in = http.body(ctx);
        Integer expiry = in.integer("expiry", (int) AccessService.SHORTEST.toSeconds(),
                (int) AccessService.LONGEST.toSeconds());
        List<String> names = in.strings("capabilities", 10, null);
        Boolean readOnly = in.bool("readOnly");
        String sessionId = in.string("sessionId", false, 1, 64, SESSION);
        Input appIn = in.nested("application");
        Set<Capability> capabilities = EnumSet.allOf(Capability.class);
        if (names != null) {
            capabilities = EnumSet.noneOf(Capability.class);
            for (String n : names) {
                try {
                    capabilities.add(Capability.of(n));
                } catch (IllegalArgumentException e) {
                    in.reject("capabilities", e.getMessage());
                }
            }
        } else if (Boolean.TRUE.equals(readOnly)) {
            capabilities = EnumSet.of(Capability.ViewBase);
        }
        in.check();
        Application app = application(ctx, appIn);
        AccessService.Issued issued = s.access().issue(app, expiry == null ? AccessService.LONGEST
                : Duration.ofSeconds(expiry), capabilities, sessionId);
        String url = ctx.scheme() + "://" + ctx.host() + "/portal/" + app.id() + "#key=" + issued.secret();
        http.send(ctx, 200, new AppPortalAccessOut(url, issued.secret()));
    }

    /// Ends the session of the application-scoped token it is called with; the admin token has none.
    void logout(Context ctx) {
        AppToken t = ctx.attribute(Api.APP_TOKEN);
        if (t == null) {
            throw ApiError.badRequest("only an application-scoped token can be logged out");
        }
        s.access().logout(t);
        ctx.status(204);
    }

    /// Admin only: ends every token of the application.
    void expireAll(Context ctx) {
        if (ctx.attribute(Api.APP_TOKEN) != null) {
            throw ApiError.of(403, "forbidden", "this token does not allow this request");
        }
        s.access().expireAll(AppRoutes.find(s, ctx));
        ctx.status(204);
    }

    private Application application(Context ctx, Input appIn) {
        String key = ctx.pathParam("app_id");
        Optional<Application> existing = s.tenants().find(key);
        if (existing.isPresent()) {
            return existing.get();
        }
        if (appIn == null) {
            throw ApiError.notFound("application '" + key + "'");
        }
        AppRoutes apps = new AppRoutes(s, http);
        Application fresh = apps.read(appIn, key.startsWith("app_") ? null
                : Input.uidToCreate(key, "app_id", "app_", "application"), Http.now());
        return s.tenants().createIfAbsent(fresh).app();
    }
}
