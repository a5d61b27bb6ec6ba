package io.csvx.web;

import io.csvx.file.FileService;
import io.csvx.servlet.Multipart;
import io.csvx.tenant.Application;
import io.csvx.tenant.Branding;
import io.csvx.tenant.TenantService;
import io.csvx.web.Pages.Scope;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/// How the portals look, set from the console: the server's name, logo and accent colour
/// (`/branding`), and an application's own (`/apps/{app}/branding`), whose set fields win in its
/// portal. Each portal page loads its accent from `brand.css`, a stylesheet of its own, since the
/// pages' CSP allows no inline style.
final class BrandingPages {
    private final Pages pages;
    private final TenantService tenants;
    private final FileService files;

    BrandingPages(Pages pages, TenantService tenants, FileService files) {
        this.pages = pages;
        this.tenants = tenants;
        this.files = files;
    }

    /// The console's page for the server's branding.
    void routes(RoutesConfig routes) {
        routes.get("/branding", pages.console(v -> ctx -> form(ctx, Sessions.csrf(v), null, tenants.globalBranding(), "",
                "/branding")));
        routes.post("/branding", pages.console(v -> ctx -> save(ctx, v, null, "/branding")));
    }

    /// An application's branding page (console) and its portal's stylesheet (console and portal).
    void routes(RoutesConfig routes, String base, boolean portal) {
        routes.get(base + "/brand.css", pages.scoped(portal, s -> ctx -> {
            String accent = tenants.branding(s.app()).accent();
            ctx.header("Cache-Control", "no-store");
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.contentType("text/css; charset=utf-8").result(accent == null ? "" : ":root { --accent: " + accent + "; }\n");
        }));
        if (!portal) {
            routes.get(base + "/branding", pages.scoped(false, s -> ctx -> form(ctx, s.csrf(), s,
                    tenants.ownBranding(s.app()), "", s.base() + "/branding")));
            routes.post(base + "/branding", pages.scoped(false, s -> ctx -> save(ctx, s.viewer(), s,
                    s.base() + "/branding")));
        }
    }

    private void form(Context ctx, String csrf, Scope s, Branding own, String problem, String action) {
        Map<String, Object> model = new HashMap<>();
        model.put("csrf", csrf);
        model.put("s", s);
        model.put("own", own);
        model.put("global", tenants.globalBranding());
        model.put("problem", problem);
        model.put("action", action);
        model.put("maxLogo", Branding.MAX_LOGO / 1024);
        pages.render(ctx, problem.isEmpty() ? 200 : 422, "branding.jte", model);
    }

    /// The form is multipart (it may carry a logo): its CSRF token is checked once it is read.
    private void save(Context ctx, Viewer v, Scope s, String action) throws IOException {
        Application app = s == null ? null : s.app();
        Branding old = app == null ? tenants.globalBranding() : tenants.ownBranding(app);
        String csrf = Sessions.csrf(v);
        String logo = old.logo();
        Part part = null;
        switch (Multipart.part(ctx.req(), "logo", files.spoolDirectory(), Branding.MAX_LOGO)) {
            case Multipart.Got got -> part = got.part();
            case Multipart.TooLarge big -> {
                form(ctx, csrf, s, old, "The logo is at most " + Branding.MAX_LOGO / 1024 + " KiB.", action);
                return;
            }
            case Multipart.Malformed bad -> {
                form(ctx, csrf, s, old, "The form could not be read: " + bad.reason() + ".", action);
                return;
            }
            case Multipart.Absent none -> {
            }
        }
        try {
            if (!Sessions.sameSite(ctx, v)) {
                pages.refused(ctx);
                return;
            }
            if (part != null && part.getSize() > 0) {
                String type = part.getContentType() == null ? "" : part.getContentType().toLowerCase(Locale.ROOT);
                try (InputStream in = part.getInputStream()) {
                    logo = "data:" + type + ";base64," + Base64.getEncoder().encodeToString(in.readAllBytes());
                }
            }
        } finally {
            if (part != null) {
                part.delete();
            }
        }
        if (ctx.formParam("removeLogo") != null) {
            logo = null;
        }
        Branding next = new Branding(ctx.formParam("name"), ctx.formParam("accent"), logo);
        var problem = tenants.setBranding(app, next, pages.now());
        if (problem.isPresent()) {
            form(ctx, csrf, s, new Branding(next.name(), next.accent(), old.logo()), problem.get(), action);
            return;
        }
        ctx.redirect(action + "?saved=1");
    }
}
