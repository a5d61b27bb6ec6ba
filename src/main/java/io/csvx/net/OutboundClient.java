package io.csvx.net;

import java.time.Duration;
import java.util.concurrent.Executors;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/// Builds the one Jetty [HttpClient] that delivers webhooks: SSRF-guarded resolver,
/// no redirects, no cookies, bounded connections per destination.
public final class OutboundClient {
    private OutboundClient() {
    }

    public static HttpClient start(AddressClassifier classifier, int maxConnectionsPerDestination, Duration connectTimeout) {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setConnectTimeout(connectTimeout);
        HttpClient client = new HttpClient(new org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP(connector));
        QueuedThreadPool pool = new QueuedThreadPool(32, 4);
        pool.setName("csvx-http-client");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        client.setExecutor(pool);
        client.setSocketAddressResolver(new GuardedResolver(classifier, Executors.newVirtualThreadPerTaskExecutor()));
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new org.eclipse.jetty.http.HttpCookieStore.Empty());
        client.setMaxConnectionsPerDestination(maxConnectionsPerDestination);
        client.setMaxRequestsQueuedPerDestination(1 << 16);
        client.setUserAgentField(new org.eclipse.jetty.http.HttpField(org.eclipse.jetty.http.HttpHeader.USER_AGENT, "CSV-X-Webhooks/0.1"));
        client.setIdleTimeout(60_000);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the outbound HTTP client", e);
        }
        return client;
    }
}
