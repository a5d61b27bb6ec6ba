package io.csvx.http;

import io.csvx.store.StoreException;
import io.csvx.tenant.Application;
import io.csvx.tenant.TenantService;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/// `/api/v1/app`: applications.
final class AppRoutes {
    private final Services s;
    private final Http http;

    AppRoutes(Services s, Http http) {
        this.s = s;
        this.http = http;
    }

    void create(Context ctx) {
        Input in = http.body(ctx);
        Application fresh = read(in, null, Http.now());
        if (Http.boolParam(ctx, "get_if_exists", false) && fresh.uid() != null) {
            TenantService.Created c = s.tenants().createIfAbsent(fresh);
            http.send(ctx, c.isNew() ? 201 : 200, Out.ApplicationOut.of(c.app()));
            return;
        }
        http.send(ctx, 201, Out.ApplicationOut.of(insert(fresh)));
    }

    Application insert(Application a) {
        try {
            return s.tenants().create(a);
        } catch (StoreException.Conflict e) {
            throw ApiError.conflict("an application with uid '" + a.uid() + "' already exists");
        }
    }

    void list(Context ctx) {
        http.send(ctx, 200, Out.ListResponse.of(s.tenants().list(http.page(ctx, false)), Out.ApplicationOut::of));
    }

    void get(Context ctx) {
        http.send(ctx, 200, Out.ApplicationOut.of(find(s, ctx)));
    }

    void put(Context ctx) {
        String key = ctx.pathParam("app_id");
        Optional<Application> existing = s.tenants().find(key);
        Input in = http.body(ctx);
        Instant now = Http.now();
        if (existing.isEmpty()) {
            String uid = Input.uidToCreate(key, "app_id", Application.ID_PREFIX, "application");
            Application fresh = read(in, uid, now);
            if (!uid.equals(fresh.uid())) {
                throw ApiError.invalid("body", "uid", "'" + fresh.uid() + "' differs from the uid in the path, '" + uid
                        + "', under which PUT creates the application");
            }
            http.send(ctx, 201, Out.ApplicationOut.of(insert(fresh)));
            return;
        }
        Application old = existing.get();
        Application next = read(in, null, now);
        // a body without a uid keeps the application's: a repeated PUT on a uid finds the same one
        http.send(ctx, 200, Out.ApplicationOut.of(update(new Application(old.id(),
                next.uid() != null ? next.uid() : old.uid(), next.name(),
                next.throttleRate(), next.metadata(), old.createdAt(), now))));
    }

    void patch(Context ctx) {
        Application old = find(s, ctx);
        Input in = http.body(ctx);
        String name = in.string("name", false, 1, 1000, null);
        String uid = in.string("uid", false, 1, 256, Input.UID);
        String throttleField = in.either("throttleRate", "rateLimit");
        Integer throttle = in.integer(throttleField, 0, 65535);
        var metadata = in.metadata();
        in.check();
        http.send(ctx, 200, Out.ApplicationOut.of(update(new Application(old.id(),
                in.has("uid") ? uid : old.uid(),
                name != null ? name : old.name(),
                in.has(throttleField) ? throttle : old.throttleRate(),
                metadata != null ? http.json().valueToTree(metadata).toString() : old.metadata(),
                old.createdAt(), Http.now()))));
    }

    void delete(Context ctx) throws IOException {
        s.tenants().delete(find(s, ctx));
        ctx.status(204);
    }

    private Application update(Application a) {
        try {
            return s.tenants().update(a);
        } catch (StoreException.Conflict e) {
            throw ApiError.conflict("an application with uid '" + a.uid() + "' already exists");
        }
    }

    /// Reads an ApplicationIn; `uidFallback` is used when the body has no uid (PUT on a uid path).
    Application read(Input in, String uidFallback, Instant now) {
        String name = in.string("name", true, 1, 1000, null);
        String uid = in.string("uid", false, 1, 256, Input.UID);
        if (uid != null && !Application.isUid(uid)) {
            in.reject("uid", Application.UID_RULE);
        }
        Integer throttle = in.integer(in.either("throttleRate", "rateLimit"), 1, 65535);
        var metadata = in.metadata();
        in.check();
        String meta = metadata == null ? "{}" : http.json().valueToTree(metadata).toString();
        return new Application(s.ids().next("app_"), uid != null ? uid : uidFallback, name, throttle, meta, now, now);
    }

    static Application find(Services s, Context ctx) {
        String key = ctx.pathParam("app_id");
        return s.tenants().find(key).orElseThrow(() -> ApiError.notFound("application '" + key + "'"));
    }
}
