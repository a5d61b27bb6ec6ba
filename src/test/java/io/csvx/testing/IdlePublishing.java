package io.csvx.testing;

import io.csvx.config.Config;
import io.csvx.delivery.Dispatcher;
import io.csvx.delivery.EndpointDirectory;
import io.csvx.delivery.RetryPolicy;
import io.csvx.endpoint.EndpointService;
import io.csvx.message.Publisher;
import io.csvx.net.AddressClassifier;
import io.csvx.net.OutboundClient;
import io.csvx.store.Ids;
import io.csvx.store.jdbc.Stores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;

/// Publishing over real stores with a real delivery engine that is built but never started: it
/// has no room, so every delivery waits in the queue for whoever claims it. For tests of what
/// publishes (the publisher itself, ingest, jobs) that must not send anything.
public final class IdlePublishing implements AutoCloseable {
    private final HttpClient client;
    private final EndpointService endpoints;
    private final Publisher publisher;
    private final Dispatcher dispatcher;

    public IdlePublishing(Stores stores, Ids ids, Config config) {
        this.endpoints = new EndpointService(stores.endpoints(), new SecureRandom(), Duration.ofSeconds(1));
        this.client = OutboundClient.start(new AddressClassifier(List.of()), 4, Duration.ofSeconds(1));
        this.dispatcher = new Dispatcher(stores.queue(), config, ids, "node_idle", client,
                new RetryPolicy(config.retrySchedule(), 0, new SecureRandom()),
                new EndpointDirectory(endpoints, Duration.ofSeconds(1)), Clock.systemUTC(), new SimpleMeterRegistry());
        this.publisher = new Publisher(stores.messages(), stores.db(), dispatcher, endpoints, config.lease(), ids,
                Clock.systemUTC());
    }

    public Publisher publisher() {
        return publisher;
    }

    /// The engine, never started: what services that signal new work are given.
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public EndpointService endpoints() {
        return endpoints;
    }

    public HttpClient client() {
        return client;
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }
}
