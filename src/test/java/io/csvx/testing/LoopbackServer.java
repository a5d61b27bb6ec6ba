package io.csvx.testing;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/// A Jetty server on 127.0.0.1 at a free port, started: what the tests' receivers answer from.
public final class LoopbackServer implements AutoCloseable {
    private final Server server = new Server();
    private final int port;

    public LoopbackServer(Handler handler) {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(handler);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("a loopback receiver did not start", e);
        }
        this.port = connector.getLocalPort();
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
