package io.csvx.net;

import java.time.Duration;
import java.util.concurrent.Executors;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/// Builds CSV-X's Jetty [HttpClient]s, the only place that does: the one that delivers webhooks
/// and fetches inputs (SSRF-guarded resolver, no redirects, no cookies, bounded connections per
/// destination), and the one the command line and the benchmarks use to talk to a CSV-X server
/// the user names.
public final class OutboundClient {
    private OutboundClient() {
    }

    /// The guarded client: every resolved address is judged by `classifier` before it is used.
    public static HttpClient start(AddressClassifier classifier, int maxConnectionsPerDestination, Duration connectTimeout) {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setConnectTimeout(connectTimeout);
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        QueuedThreadPool pool = new QueuedThreadPool(32, 4);
        pool.setName("csvx-http-client");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        client.setExecutor(pool);
        client.setSocketAddressResolver(new GuardedResolver(classifier, Executors.newVirtualThreadPerTaskExecutor()));
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setMaxConnectionsPerDestination(maxConnectionsPerDestination);
        client.setMaxRequestsQueuedPerDestination(1 << 16);
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "CSV-X-Webhooks/0.1"));
        client.setIdleTimeout(60_000);
        return started(client);
    }

    /// A client of CSV-X's own API, for `csvx upload` and the benchmarks: it talks to the server
    /// the user named, so it has no address guard.
    public static HttpClient forApi(int maxConnectionsPerDestination) {
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(maxConnectionsPerDestination);
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "CSV-X-CLI/0.1"));
        return started(client);
    }

    private static HttpClient started(HttpClient client) {
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start an HTTP client", e);
        }
        return client;
    }
}
