package io.csvx.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.csvx.signing.Signer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/// `csvx listen`: a webhook receiver for trying CSV-X out. Prints each request, JSON bodies
/// indented, and, given the endpoint's secret, whether its signature verifies.
@Command(name = "listen", mixinStandardHelpOptions = true,
        description = "Receive webhooks on a local port and print them (with --secret, verify their signatures).")
final class ListenCommand implements Runnable {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on. Default: ${DEFAULT-VALUE}")
    String host;

    @Option(names = "--port", defaultValue = "9000", description = "Port. Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--secret", description = "The endpoint's signing secret (whsec_...), to verify signatures.")
    String secret;

    @Option(names = "--status", defaultValue = "204", description = "Status code to answer with. Default: ${DEFAULT-VALUE}")
    int status;

    @Override
    public void run() {
        byte[] key = secret == null ? null : Signer.keyBytes(secret);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                ByteBuffer buffer = Content.Source.asByteBuffer(request);
                byte[] body = new byte[buffer.remaining()];
                buffer.get(body);
                print(request, body, key);
                response.setStatus(status);
                callback.succeeded();
                return true;
            }
        });
        try {
            server.start();
            System.out.printf("listening on http://%s:%d/ (answering %d)%n", host, connector.getLocalPort(), status);
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port, e);
        }
    }

    /// A JSON body indented for reading (when it is JSON), anything else as it came.
    static String pretty(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            var json = new ObjectMapper();
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(text));
        } catch (IOException | RuntimeException notJson) {
            return text;
        }
    }

    private static synchronized void print(Request request, byte[] body, byte[] key) {
        var h = request.getHeaders();
        System.out.printf("%n%s %s%n", request.getMethod(), request.getHttpURI().getPathQuery());
        for (String name : new String[] {"webhook-id", "webhook-timestamp", "webhook-signature", "content-type"}) {
            if (h.get(name) != null) {
                System.out.printf("  %s: %s%n", name, h.get(name));
            }
        }
        System.out.println(pretty(body).indent(2).stripTrailing());
        if (key != null) {
            String id = h.get("webhook-id");
            String ts = h.get("webhook-timestamp");
            String sig = h.get("webhook-signature");
            boolean ok = id != null && ts != null && sig != null && ts.matches("\\d+")
                    && Signer.verify(key, id, Long.parseLong(ts), body, sig);
            System.out.println(ok ? "  signature: valid" : "  signature: INVALID");
        }
        System.out.flush();
    }
}
