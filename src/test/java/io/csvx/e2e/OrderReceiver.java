package io.csvx.e2e;

import io.csvx.testing.LoopbackServer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/// A receiver of numbered messages per key (`{"key": "k7", "n": 42}`) that checks their order:
/// message n of a key may arrive only once n-1 was acknowledged (answered 2xx); a repeat of an
/// acknowledged one is allowed (at-least-once). It refuses with 500 the first attempt of one
/// message in five (chosen by key and number, so every run fails the same ones).
final class OrderReceiver implements AutoCloseable {
    private static final Pattern BODY = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"n\"\\s*:\\s*(\\d+)");

    private final LoopbackServer server;
    /// The highest number acknowledged in sequence, per key.
    private final Map<String, Integer> acked = new ConcurrentHashMap<>();
    private final Map<String, Boolean> triedOnce = new ConcurrentHashMap<>();
    /// Arrivals of n while n-1 was not acknowledged yet.
    final LongAdder outOfOrder = new LongAdder();
    /// Arrivals of an already acknowledged message.
    final LongAdder repeats = new LongAdder();
    final LongAdder refused = new LongAdder();
    /// Every (key, n) answered 2xx at least once.
    final java.util.Set<String> delivered = ConcurrentHashMap.newKeySet();

    OrderReceiver() {
        this.server = new LoopbackServer(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                response.setStatus(arrive(Content.Source.asString(request, StandardCharsets.UTF_8)));
                callback.succeeded();
                return true;
            }
        });
    }

    String url(String path) {
        return server.url(path);
    }

    private int arrive(String body) {
        Matcher m = BODY.matcher(body);
        if (!m.find()) {
            return 400;
        }
        String key = m.group(1);
        int n = Integer.parseInt(m.group(2));
        synchronized (this) {
            int last = acked.getOrDefault(key, -1);
            if (n <= last) {
                repeats.increment();
                return 204;
            }
            if (n > last + 1) {
                outOfOrder.increment();
            }
            if (triedOnce.putIfAbsent(key + "#" + n, true) == null && Math.floorMod(key.hashCode() * 31 + n, 5) == 0) {
                refused.increment();
                return 500;
            }
            if (n == last + 1) {
                acked.put(key, n);
            }
            delivered.add(key + "#" + n);
            return 204;
        }
    }

    /// Whether every key acknowledged its messages 0 … count-1 in sequence.
    boolean allAcked(int keys, int count) {
        for (int k = 0; k < keys; k++) {
            if (acked.getOrDefault("k" + k, -1) != count - 1) {
                return false;
            }
        }
        return true;
    }

    /// Messages acknowledged in sequence, over every key.
    long inSequence() {
        return acked.values().stream().mapToLong(v -> v + 1L).sum();
    }

    @Override
    public void close() {
        server.close();
    }
}
