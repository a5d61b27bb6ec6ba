package io.csvx.endpoint;

import com.github.benmanes.caffeine.cache.LoadingCache;
import io.csvx.net.HeaderNames;
import io.csvx.signing.Signer;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import io.csvx.store.ReadCache;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/// Endpoints and their secrets. Every change drops what this service caches and tells the
/// listeners (other caches of endpoints) which endpoint of which application changed.
public final class EndpointService {
    /// Told after an endpoint changed; `endpointId` is null when the whole application changed.
    @FunctionalInterface
    public interface Listener {
        void changed(String appId, String endpointId);
    }

    private final EndpointStore store;
    private final SecureRandom random;
    private final LoadingCache<String, List<Endpoint>> byApp;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<Observer> observers = new CopyOnWriteArrayList<>();

    /// Told of endpoints created, changed and deleted through this service, after the change.
    public interface Observer {
        void created(Endpoint endpoint);

        /// `before` is null when the endpoint was not found just before the change.
        void updated(Endpoint before, Endpoint after);

        void deleted(Endpoint endpoint);
    }

    /// `cacheTtl` bounds how long another node's change takes to be seen here.
    /// The most channels an endpoint listens on.
    public static final int MAX_CHANNELS = 10;
    /// The highest rate limit, in messages a second.
    public static final int MAX_RATE = 65_535;
    /// Headers whose values are credentials: no answer and no page shows them.
    private static final Set<String> SENSITIVE = Set.of("authorization", "proxy-authorization", "cookie", "x-api-key");
    /// Headers CSV-X sets on every delivery: an endpoint's own may not replace them.
    private static final Set<String> RESERVED = Set.of("content-type", "content-length", "host", "transfer-encoding",
            "connection", "user-agent", "webhook-id", "webhook-timestamp", "webhook-signature", "svix-id",
            "svix-timestamp", "svix-signature");

    public EndpointService(EndpointStore store, SecureRandom random, Duration cacheTtl) {
        this.store = store;
        this.random = random;
        this.byApp = ReadCache.of(cacheTtl, 10_000, store::all);
    }

    public void onChange(Listener listener) {
        listeners.add(listener);
    }

    public void observe(Observer observer) {
        observers.add(observer);
    }

    /// Inserts with `secret`, or a new random one when null; [io.csvx.store.StoreException.Conflict]
    /// when the uid is taken in the application.
    public Endpoint create(Endpoint endpoint, String secret) {
        Endpoint created = store.create(endpoint, secret != null ? withPrefix(secret) : Signer.newSecret(random));
        changed(endpoint.appId(), endpoint.id());
        observers.forEach(o -> o.created(created));
        return created;
    }

    public Optional<Endpoint> find(String appId, String idOrUid) {
        return store.find(appId, idOrUid);
    }

    public Optional<Endpoint> byId(String endpointId) {
        return store.byId(endpointId);
    }

    /// Every endpoint of the application, disabled ones included, for fan-out: kept briefly, so a
    /// burst of messages does not read them once per message.
    public List<Endpoint> forApp(String appId) {
        return byApp.get(appId);
    }

    /// The secrets that sign for the endpoint now: the current one first, then rotated-out ones
    /// still in their grace period.
    public List<String> secrets(String endpointId, Instant now) {
        return store.secrets(endpointId, now);
    }

    public Page<Endpoint> list(String appId, PageRequest page) {
        return store.list(appId, page);
    }

    /// Replaces every field but id and createdAt; [io.csvx.store.StoreException.Conflict] when the
    /// uid is taken in the application.
    public Endpoint update(Endpoint endpoint) {
        Endpoint before = observers.isEmpty() ? null : store.byId(endpoint.id()).orElse(null);
        Endpoint saved = store.update(endpoint);
        changed(endpoint.appId(), endpoint.id());
        observers.forEach(o -> o.updated(before, saved));
        return saved;
    }

    /// Enables or disables the endpoint; enabling it forgets since when it was failing, so the
    /// engine's clock for disabling it again starts afresh.
    public Endpoint setDisabled(Endpoint e, boolean disabled, Instant now) {
        return update(new Endpoint(e.id(), e.appId(), e.uid(), e.url(), e.description(), disabled, e.eventTypes(),
                e.channels(), e.throttleRate(), e.metadata(), e.headers(), disabled ? e.failingSince() : null,
                e.createdAt(), now, e.format(), e.filter(), e.ordering()));
    }

    public void delete(Endpoint endpoint) {
        store.delete(endpoint.appId(), endpoint.id());
        changed(endpoint.appId(), endpoint.id());
        observers.forEach(o -> o.deleted(endpoint));
    }

    /// The secret that signs now (the newest).
    public String currentSecret(Endpoint endpoint, Instant now) {
        return store.secrets(endpoint.id(), now).getFirst();
    }

    /// Makes `secret` (a new random one when null) current; the old one keeps signing for `grace`.
    public void rotateSecret(Endpoint endpoint, String secret, Instant now, Duration grace) {
        store.rotateSecret(endpoint.id(), secret != null ? withPrefix(secret) : Signer.newSecret(random), now, grace);
        changed(endpoint.appId(), endpoint.id());
    }

    /// Deliveries by state, of messages created in [since, until) (null: unbounded).
    /// What waits for the endpoint now: due deliveries and the oldest one's due time.
    public EndpointStore.Backlog backlog(Endpoint endpoint, Instant now) {
        return store.backlog(endpoint.id(), now);
    }

    /// The endpoints of every application with the most deliveries due, most first.
    public java.util.Map<String, Long> mostDue(Instant now, int limit) {
        return store.mostDue(now, limit);
    }

    public EndpointStore.Stats stats(Endpoint endpoint, Instant now, Instant since, Instant until) {
        return store.stats(endpoint.id(), now, since, until);
    }

    /// Tells the caches that every endpoint of the application is gone or changed.
    public void forgetApp(String appId) {
        changed(appId, null);
    }

    /// Tells the caches that an endpoint changed elsewhere: the delivery engine disabled it.
    public void changedElsewhere(String appId, String endpointId) {
        changed(appId, endpointId);
    }

    /// Endpoints of every application that are failing, the longest failing first: the console's overview.
    public List<Endpoint> failing(int limit) {
        return store.failing(limit);
    }

    /// The longest payload filter, in characters.
    public static final int MAX_FILTER = 4096;

    /// What is wrong with a payload filter, naming the position; empty when it compiles.
    public static Optional<String> filterProblem(String filter) {
        if (filter.length() > MAX_FILTER) {
            return Optional.of("at most " + MAX_FILTER + " characters");
        }
        try {
            io.csvx.pipeline.Condition.compile(filter);
            return Optional.empty();
        } catch (io.csvx.pipeline.PipelineException e) {
            return Optional.of(e.getMessage());
        }
    }

    /// Whether a header's value is a credential, which answers and pages leave out.
    public static boolean isSensitive(String name) {
        return SENSITIVE.contains(name.toLowerCase(Locale.ROOT));
    }

    /// What is wrong with a header an endpoint would send with every delivery; empty when it may.
    public static Optional<String> headerProblem(String name, String value) {
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            return Optional.of("header '" + name + "' is set by CSV-X and cannot be overridden");
        }
        if (!HeaderNames.isName(name)) {
            return Optional.of("'" + name.replaceAll("\\p{Cntrl}", "?") + "' is not a valid header name");
        }
        if (value != null && !HeaderNames.isValue(value)) {
            return Optional.of("the value of '" + name + "' holds a line break or NUL");
        }
        return Optional.empty();
    }

    /// What is wrong with an endpoint URL, or empty when it is an absolute http(s) URL whose host
    /// the delivery client can address: what `java.net.URI` reads no host from (`http://127.1`, a
    /// trailing dot after an address) is refused now rather than failing at every delivery.
    /// Legacy spellings it does read (`0x7f000001`) go on to the SSRF guard, which judges the
    /// address they mean.
    public static Optional<String> urlProblem(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getRawAuthority() == null) {
                return Optional.of("must be an absolute http or https URL");
            }
            if (uri.getHost() == null) {
                return Optional.of("'" + uri.getRawAuthority().replaceAll("\\p{Cntrl}", "?") + "' names no host CSV-X"
                        + " can send to; write a host name, or an IP address in full (127.0.0.1, [::1])");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL: " + e.getReason());
        }
    }

    /// True when `secret` (with or without `whsec_`) is a usable signing key.
    public static boolean validSecret(String secret) {
        try {
            Signer.keyBytes(withPrefix(secret));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void changed(String appId, String endpointId) {
        byApp.invalidate(appId);
        for (Listener l : listeners) {
            l.changed(appId, endpointId);
        }
    }

    private static String withPrefix(String secret) {
        return secret.startsWith(Signer.PREFIX) ? secret : Signer.PREFIX + secret;
    }
}
