package io.csvx.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;

/// What the benchmarks share: percentiles of sorted samples, a free loopback port, waiting for a
/// process they started to answer.
final class Measures {
    private Measures() {
    }

    /// The sample at fraction `p` (0.5 the median, 1.0 the max) of `sorted`, divided by `perUnit`
    /// (1e6 for nanoseconds in milliseconds); NaN when there is none.
    static double percentile(long[] sorted, double p, double perUnit) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)] / perUnit;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /// Waits up to a minute for `url` to answer 2xx.
    static void awaitUp(HttpClient client, String url) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (client.newRequest(url).send().getStatus() < 300) {
                    return;
                }
            } catch (Exception notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(url + " did not come up; see the logs in the data directory");
    }
}
