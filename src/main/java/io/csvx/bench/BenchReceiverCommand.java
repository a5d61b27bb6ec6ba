package io.csvx.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/// `csvx bench-receiver` (hidden): the webhook receiver of `csvx bench-isolation`, in a process of
/// its own. Paths under `/ok/` answer at once, under `/slow/` after `--slow`, under `/hang/` not
/// before the sender gives up. Each request's body carries `"sent"`, the publisher's clock in
/// microseconds just before it published; the receiver keeps sent and receipt minus sent per
/// path, and `GET /stats?path=/ok/x` answers `{"count", "p50", "p90", "p99", "p999", "max", "buckets"}` in
/// milliseconds (the first receipt of each message only; `buckets` counts them up to each of
/// [Wire#BUCKETS_MS] and beyond; a path ending in `*` takes every path it begins), `POST /reset`
/// forgets them all; `GET /count?path=` answers only how many, without sorting anything;
/// `GET /receipts?path=` answers each receipt as a line `sent latency` (microseconds).
@Command(name = "bench-receiver", hidden = true, mixinStandardHelpOptions = true,
        description = "The benchmark's webhook receiver (started by bench-isolation).")
final class BenchReceiverCommand implements Callable<Integer> {
    @Option(names = "--port", required = true, description = "Loopback port to listen on.")
    int port;

    @Option(names = "--slow", defaultValue = "3000", description = "Milliseconds a /slow/ path takes to answer.")
    long slowMillis;

    /// The receipts of each path, `[sent, receipt - sent]` in microseconds, and the message numbers seen.
    private final Map<String, List<long[]>> latencies = new ConcurrentHashMap<>();
    private final Map<String, java.util.Set<Long>> seen = new ConcurrentHashMap<>();
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

    @Override
    public Integer call() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = request.getHttpURI().getPath();
                if (path.equals("/stats")) {
                    String of = Request.extractQueryParameters(request).getValue("path");
                    response.getHeaders().put("Content-Type", "application/json");
                    Content.Sink.write(response, true, stats(of), callback);
                    return true;
                }
                if (path.equals("/count")) {
                    String of = Request.extractQueryParameters(request).getValue("path");
                    Content.Sink.write(response, true, Long.toString(count(of)), callback);
                    return true;
                }
                if (path.equals("/receipts")) {
                    String of = Request.extractQueryParameters(request).getValue("path");
                    Content.Sink.write(response, true, receipts(of), callback);
                    return true;
                }
                if (path.equals("/reset")) {
                    latencies.clear();
                    seen.clear();
                    response.setStatus(204);
                    callback.succeeded();
                    return true;
                }
                long now = micros();
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                record(path, body, now);
                response.setStatus(204);
                if (path.startsWith("/slow/")) {
                    later.schedule(callback::succeeded, slowMillis, TimeUnit.MILLISECONDS);
                } else if (path.startsWith("/hang/")) {
                    later.schedule(callback::succeeded, 10, TimeUnit.MINUTES);
                } else {
                    callback.succeeded();
                }
                return true;
            }
        });
        server.start();
        System.out.println("receiving on " + connector.getLocalPort());
        new CountDownLatch(1).await(); // until the benchmark stops this process
        return 0;
    }

    private static long micros() {
        Instant now = Instant.now();
        return ChronoUnit.MICROS.between(Instant.EPOCH, now);
    }

    /// Keeps the first receipt of each message (`"i"` numbers it) at `path`.
    private void record(String path, String body, long now) {
        long sent = number(body, "\"sent\":");
        long i = number(body, "\"i\":");
        if (sent < 0 || i < 0 || !seen.computeIfAbsent(path, p -> ConcurrentHashMap.newKeySet()).add(i)) {
            return;
        }
        List<long[]> list = latencies.computeIfAbsent(path, p -> java.util.Collections.synchronizedList(new ArrayList<>()));
        list.add(new long[] {sent, now - sent});
    }

    private static long number(String body, String field) {
        int at = body.indexOf(field);
        if (at < 0) {
            return -1;
        }
        int from = at + field.length();
        int to = from;
        while (to < body.length() && Character.isDigit(body.charAt(to))) {
            to++;
        }
        return to == from ? -1 : Long.parseLong(body, from, to, 10);
    }

    /// The lists of `path`, or of every path starting with it when it ends in `*`.
    private List<List<long[]>> of(String path) {
        List<List<long[]>> lists = new ArrayList<>();
        if (path != null && path.endsWith("*")) {
            String prefix = path.substring(0, path.length() - 1);
            latencies.forEach((p, list) -> {
                if (p.startsWith(prefix)) {
                    lists.add(list);
                }
            });
        } else if (path != null && latencies.containsKey(path)) {
            lists.add(latencies.get(path));
        }
        return lists;
    }

    private long count(String path) {
        long n = 0;
        for (List<long[]> list : of(path)) {
            n += list.size();
        }
        return n;
    }

    /// The receipts of `path` (or of every path it begins, ending in `*`), a line `sent latency` each.
    private String receipts(String path) {
        StringBuilder out = new StringBuilder();
        for (List<long[]> list : of(path)) {
            synchronized (list) {
                for (long[] r : list) {
                    out.append(r[0]).append(' ').append(r[1]).append('\n');
                }
            }
        }
        return out.toString();
    }

    /// The figures of `path`, or of every path starting with it when it ends in `*`.
    private String stats(String path) {
        List<List<long[]>> lists = of(path);
        long[] sorted = new long[0];
        for (List<long[]> list : lists) {
            synchronized (list) {
                long[] more = list.stream().mapToLong(r -> r[1]).toArray();
                long[] all = Arrays.copyOf(sorted, sorted.length + more.length);
                System.arraycopy(more, 0, all, sorted.length, more.length);
                sorted = all;
            }
        }
        Arrays.sort(sorted);
        long[] buckets = new long[Wire.BUCKETS_MS.length + 1];
        int b = 0;
        for (long micros : sorted) {
            while (b < Wire.BUCKETS_MS.length && micros > Wire.BUCKETS_MS[b] * 1000L) {
                b++;
            }
            buckets[b]++;
        }
        if (sorted.length == 0) {
            return "{\"count\":0,\"p50\":0,\"p90\":0,\"p99\":0,\"p999\":0,\"max\":0,\"buckets\":[]}";
        }
        return String.format(java.util.Locale.ROOT, "{\"count\":%d,\"p50\":%.2f,\"p90\":%.2f,\"p99\":%.2f,"
                        + "\"p999\":%.2f,\"max\":%.2f,\"buckets\":%s}", sorted.length, Measures.percentile(sorted, 0.50, 1e3),
                Measures.percentile(sorted, 0.90, 1e3), Measures.percentile(sorted, 0.99, 1e3),
                Measures.percentile(sorted, 0.999, 1e3), Measures.percentile(sorted, 1.0, 1e3), Arrays.toString(buckets));
    }
}
