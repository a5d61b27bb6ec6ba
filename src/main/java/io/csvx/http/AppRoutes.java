package io.csvx.http;

import io.csvx.store.Application;
import io.csvx.store.StoreException;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Optional;

/// `/api/v1/app`: applications.
final class AppRoutes {
    private final Services s;
    private final Http http;
    private final AppCache cache;

    AppRoutes(Services s, Http http, AppCache cache) {
        this.s = s;
        this.http = http;
        this.cache = cache;
    }

    void create(Context ctx) {
        Input in = http.body(ctx);
        Application fresh = read(in, null, Http.now());
        boolean getIfExists = Http.boolParam(ctx, "get_if_exists", false) && fresh.uid() != null;
        if (getIfExists) {
            Optional<Application> existing = s.stores().apps().find(fresh.uid());
            if (existing.isPresent()) {
                http.send(ctx, 200, Out.ApplicationOut.of(existing.get()));
                return;
            }
        }
        try {
            http.send(ctx, 201, Out.ApplicationOut.of(insert(fresh)));
        } catch (ApiError conflict) {
            // created concurrently by another request: with get_if_exists that one is the answer
            Optional<Application> raced = getIfExists ? s.stores().apps().find(fresh.uid()) : Optional.empty();
            http.send(ctx, 200, Out.ApplicationOut.of(raced.orElseThrow(() -> conflict)));
        }
    }

    Application insert(Application a) {
        try {
            return s.stores().apps().create(a);
        } catch (StoreException.Conflict e) {
            throw ApiError.conflict("an application with uid '" + a.uid() + "' already exists");
        }
    }

    void list(Context ctx) {
        http.send(ctx, 200, Out.ListResponse.of(s.stores().apps().list(http.page(ctx, false)), Out.ApplicationOut::of));
    }

    void get(Context ctx) {
        http.send(ctx, 200, Out.ApplicationOut.of(find(s, ctx)));
    }

    void put(Context ctx) {
        String key = ctx.pathParam("app_id");
        Optional<Application> existing = s.stores().apps().find(key);
        Input in = http.body(ctx);
        Instant now = Http.now();
        if (existing.isEmpty()) {
            Application fresh = read(in, key.startsWith("app_") ? null : key, now);
            http.send(ctx, 201, Out.ApplicationOut.of(insert(fresh)));
            return;
        }
        Application old = existing.get();
        Application next = read(in, null, now);
        http.send(ctx, 200, Out.ApplicationOut.of(update(new Application(old.id(), next.uid(), next.name(),
                next.throttleRate(), next.metadata(), old.createdAt(), now))));
    }

    void patch(Context ctx) {
        Application old = find(s, ctx);
        Input in = http.body(ctx);
        String name = in.string("name", false, 1, 1000, null);
        String uid = in.string("uid", false, 1, 256, Input.UID);
        String throttleField = in.either("throttleRate", "rateLimit");
        Integer throttle = in.integer(throttleField, 0, 65535);
        var metadata = in.stringMap("metadata");
        in.check();
        http.send(ctx, 200, Out.ApplicationOut.of(update(new Application(old.id(),
                in.has("uid") ? uid : old.uid(),
                name != null ? name : old.name(),
                in.has(throttleField) ? throttle : old.throttleRate(),
                metadata != null ? http.json().valueToTree(metadata).toString() : old.metadata(),
                old.createdAt(), Http.now()))));
    }

    void delete(Context ctx) throws java.io.IOException {
        Application a = find(s, ctx);
        s.stores().apps().delete(a.id());
        s.files().deleteAll(a.id());
        cache.forget(a.id());
        s.endpoints().invalidate(a.id(), null);
        ctx.status(204);
    }

    private Application update(Application a) {
        try {
            Application updated = s.stores().apps().update(a);
            cache.forget(a.id());
            return updated;
        } catch (StoreException.Conflict e) {
            throw ApiError.conflict("an application with uid '" + a.uid() + "' already exists");
        }
    }

    /// Reads an ApplicationIn; `uidFallback` is used when the body has no uid (PUT on a uid path).
    Application read(Input in, String uidFallback, Instant now) {
        String name = in.string("name", true, 1, 1000, null);
        String uid = in.string("uid", false, 1, 256, Input.UID);
        Integer throttle = in.integer(in.either("throttleRate", "rateLimit"), 1, 65535);
        var metadata = in.stringMap("metadata");
        in.check();
        String meta = metadata == null ? "{}" : http.json().valueToTree(metadata).toString();
        return new Application(s.ids().next("app_"), uid != null ? uid : uidFallback, name, throttle, meta, now, now);
    }

    static Application find(Services s, Context ctx) {
        String key = ctx.pathParam("app_id");
        return s.stores().apps().find(key).orElseThrow(() -> ApiError.notFound("application '" + key + "'"));
    }
}
