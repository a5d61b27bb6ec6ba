package io.csvx.web;

import io.csvx.tenant.AccessService;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/// Browser sessions: the console's (a session the admin token opened, kept by the database) and
/// a portal's (the app portal token itself), each in an `HttpOnly`, `SameSite=Strict` cookie,
/// `Secure` when the request came over TLS; and the CSRF token every change must carry.
final class Sessions {
    static final String CONSOLE = "csvx_console";
    static final String PORTAL = "csvx_portal";

    private final AccessService access;

    Sessions(AccessService access) {
        this.access = access;
    }

    /// The operator, when the request carries a console session that has not ended.
    Optional<Viewer> operator(Context ctx) {
        String secret = ctx.cookie(CONSOLE);
        return access.isConsole(secret) ? Optional.of(new Viewer.Operator(secret)) : Optional.empty();
    }

    /// The customer, when the request carries a valid portal token (of any application).
    Optional<Viewer> customer(Context ctx) {
        String secret = ctx.cookie(PORTAL);
        return access.authenticate(secret).map(t -> new Viewer.Customer(secret, t));
    }

    static void set(Context ctx, String name, String value, String path, int maxAgeSeconds) {
        ctx.cookie(new Cookie(name, value, path, maxAgeSeconds, secure(ctx), true, null, SameSite.STRICT));
    }

    /// A portal's cookie. A portal shown in a frame on the operator's site is a cross-site
    /// request, which browsers send only `SameSite=None` cookies with, and those only over TLS:
    /// so when embedding is allowed and the request came over TLS, that is what it gets (every
    /// change still carries the CSRF token); otherwise `Strict`, like the console's.
    static void setPortal(Context ctx, String value, String path, int maxAgeSeconds, boolean embeddable) {
        boolean cross = embeddable && secure(ctx);
        ctx.cookie(new Cookie(PORTAL, value, path, maxAgeSeconds, secure(ctx), true, null,
                cross ? SameSite.NONE : SameSite.STRICT));
    }

    static void clear(Context ctx, String name, String path) {
        set(ctx, name, "", path, 0);
    }

    private static boolean secure(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-Proto");
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(forwarded);
    }

    /// The CSRF token of a session: derived from its secret, so nothing more is kept.
    static String csrf(Viewer v) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(("csrf:" + v.secret()).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /// True when a change request carries the session's CSRF token (form field `csrf` or header
    /// `X-CSRF-Token`) and, when the browser says where it came from, came from this site.
    static boolean sameSite(Context ctx, Viewer v) {
        String given = ctx.header("X-CSRF-Token");
        if (given == null) {
            given = ctx.formParam("csrf");
        }
        // the host only: behind a TLS-terminating proxy the page's scheme is not the request's
        String origin = ctx.header("Origin");
        boolean fromHere = origin == null || origin.replaceFirst("^[a-z]+://", "").equals(ctx.host());
        return fromHere && given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                csrf(v).getBytes(StandardCharsets.UTF_8));
    }
}
