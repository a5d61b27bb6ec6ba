package io.csvx.delivery;

import io.csvx.net.Failures;
import io.csvx.signing.Signer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpMethod;

/// Sends one signed webhook request and reports what came back, never throwing for HTTP trouble.
final class Sender {
    static final int MAX_RESPONSE = 4096;
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

    private final HttpClient client;
    private final Duration timeout;

    Sender(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /// What to send: the body in the endpoint's format, signed as it is sent.
    record Signed(String url, String msgId, long timestampSeconds, byte[] body, String contentType, List<Signer.Key> keys,
                  Map<String, String> headers) {
    }

    CompletableFuture<AttemptResult.Response> send(Signed s) {
        String signature = Signer.header(s.keys(), s.msgId(), s.timestampSeconds(), s.body());
        String ts = Long.toString(s.timestampSeconds());
        Request request;
        try {
            request = client.newRequest(s.url()).method(HttpMethod.POST)
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .body(new BytesRequestContent(s.contentType(), s.body()));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new AttemptResult.Response(0, "", "invalid URL: " + e.getMessage(), null));
        }
        request.headers(h -> {
            s.headers().forEach(h::put);
            h.put("webhook-id", s.msgId());
            h.put("webhook-timestamp", ts);
            h.put("webhook-signature", signature);
            h.put("svix-id", s.msgId());
            h.put("svix-timestamp", ts);
            h.put("svix-signature", signature);
        });
        Capture capture = new Capture();
        request.send(capture);
        return capture.result;
    }

    /// Keeps the first 4 KiB of the body and ignores the rest. The buffer grows with what comes:
    /// most receivers answer a few bytes or nothing, and a 4-KiB array for each of them was a
    /// seventh of what the server allocated a delivery.
    private static final class Capture implements Response.Listener {
        private static final byte[] NONE = new byte[0];
        final CompletableFuture<AttemptResult.Response> result = new CompletableFuture<>();
        private byte[] buffer = NONE;
        private int length;

        @Override
        public void onContent(Response response, ByteBuffer content) {
            int n = Math.min(content.remaining(), MAX_RESPONSE - length);
            if (length + n > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(MAX_RESPONSE, Math.max(length + n, 2 * buffer.length)));
            }
            content.get(buffer, length, n);
            length += n;
        }

        @Override
        public void onComplete(Result r) {
            Response response = r.getResponse();
            int status = response == null ? 0 : response.getStatus();
            String body = new String(buffer, 0, length, StandardCharsets.UTF_8);
            String error = r.isFailed() ? Failures.describe(r.getFailure()) : null;
            Duration retryAfter = response == null ? null : retryAfter(response.getHeaders().get("Retry-After"));
            result.complete(new AttemptResult.Response(status, body, error, retryAfter));
        }
    }

    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return clamp(Duration.ofSeconds(Math.max(0, seconds)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(Instant.now(), at.toInstant());
                return clamp(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    private static Duration clamp(Duration d) {
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }
}
