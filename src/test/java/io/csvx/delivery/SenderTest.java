package io.csvx.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.csvx.net.AddressClassifier;
import io.csvx.net.Cidr;
import io.csvx.net.OutboundClient;
import io.csvx.testing.LoopbackServer;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// What the sender keeps of a receiver's answer, from a real receiver on loopback that writes
/// its body in pieces of the sizes the path names (`/3000/3000` answers 6,000 bytes in two).
class SenderTest {
    LoopbackServer receiver;
    HttpClient client;
    Sender sender;

    @BeforeEach
    void start() {
        receiver = new LoopbackServer(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Content.Source.consumeAll(request);
                response.setStatus(200);
                char fill = 'a';
                try (OutputStream out = Content.Sink.asOutputStream(response)) {
                    for (String piece : request.getHttpURI().getPath().substring(1).split("/")) {
                        if (!piece.isEmpty()) {
                            out.write(String.valueOf(fill++).repeat(Integer.parseInt(piece)).getBytes(StandardCharsets.UTF_8));
                            out.flush(); // each piece goes out on its own
                        }
                    }
                }
                callback.succeeded();
                return true;
            }
        });
        client = OutboundClient.start(new AddressClassifier(List.of(Cidr.parse("127.0.0.0/8"))), 8, Duration.ofSeconds(5));
        sender = new Sender(client, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        receiver.close();
    }

    private AttemptResult.Response send(String path) throws Exception {
        return sender.send(new Sender.Signed(receiver.url(path), "msg_1", 1_700_000_000L,
                "{}".getBytes(StandardCharsets.UTF_8), "application/json", List.of(), Map.of())).get(10, TimeUnit.SECONDS);
    }

    @Test
    void keepsAnEmptyAndASmallAnswerWhole() throws Exception {
        assertThat(send("/").body()).isEmpty();
        assertThat(send("/5").body()).isEqualTo("aaaaa");
    }

    @Test
    void keepsAnAnswerInPiecesInOrder() throws Exception {
        AttemptResult.Response r = send("/1/700/1000");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("a" + "b".repeat(700) + "c".repeat(1000));
    }

    @Test
    void keepsTheFirst4KiBOfALargerAnswer() throws Exception {
        assertThat(send("/4096").body()).isEqualTo("a".repeat(Sender.MAX_RESPONSE));
        assertThat(send("/3000/3000/3000").body()).isEqualTo("a".repeat(3000) + "b".repeat(Sender.MAX_RESPONSE - 3000));
        assertThat(send("/100000").body()).hasSize(Sender.MAX_RESPONSE);
    }
}
