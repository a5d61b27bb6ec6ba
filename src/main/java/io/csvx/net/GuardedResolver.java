package io.csvx.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/// Jetty resolver that runs every resolved address through the [AddressClassifier].
///
/// If any address a name resolves to is refused, the whole request is refused: a name that
/// mixes public and private answers is a rebinding attempt. The checked addresses are handed
/// to Jetty as they are, so the connection goes to exactly what was checked.
final class GuardedResolver implements SocketAddressResolver {
    private final AddressClassifier classifier;
    private final Executor executor;

    public GuardedResolver(AddressClassifier classifier, Executor executor) {
        this.classifier = classifier;
        this.executor = executor;
    }

    /// Thrown (as the request's failure) when the guard refuses a destination.
    public static final class RefusedTarget extends UnknownHostException {
        private static final long serialVersionUID = 1L;

        RefusedTarget(String message) {
            super(message);
        }
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        Optional<InetAddress> literal = HostLiterals.parse(host);
        if (literal.isPresent()) {
            complete(host, port, new InetAddress[] {literal.get()}, promise);
            return;
        }
        executor.execute(() -> {
            try {
                complete(host, port, InetAddress.getAllByName(host), promise);
            } catch (UnknownHostException e) {
                promise.failed(e);
            } catch (RuntimeException e) {
                promise.failed(e);
            }
        });
    }

    private void complete(String host, int port, InetAddress[] addresses, Promise<List<InetSocketAddress>> promise) {
        List<InetSocketAddress> checked = new ArrayList<>(addresses.length);
        for (InetAddress address : addresses) {
            Optional<String> refusal = classifier.refusal(address);
            if (refusal.isPresent()) {
                promise.failed(new RefusedTarget("SSRF guard refused " + host + ": " + refusal.get()
                        + "; open it with --allow-targets"));
                return;
            }
            checked.add(new InetSocketAddress(address, port));
        }
        promise.succeeded(checked);
    }
}
