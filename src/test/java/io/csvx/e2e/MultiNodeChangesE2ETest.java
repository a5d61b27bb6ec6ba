package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.csvx.store.postgres.TestDatabase;
import io.csvx.testing.RequiresPostgres;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Two nodes on one PostgreSQL database, where a change made on one reaches the other's caches
/// only within their TTL (a second).
@RequiresPostgres
class MultiNodeChangesE2ETest {
    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    /// A publish on a node whose cache still holds an endpoint the other node has just deleted
    /// is accepted and goes to the endpoints that are left.
    @Test
    void aPublishRightAfterAnotherNodeDeletedAnEndpointGoesToTheRest() {
        try (TestDatabase db = new TestDatabase(); Receiver receiver = new Receiver();
             TestNode a = TestNode.start(dirA, c -> c.withDatabase(db.url()));
             TestNode b = TestNode.start(dirB, c -> c.withDatabase(db.url()))) {
            a.api.app("acme");
            a.api.endpoint("acme", "{\"url\":\"" + receiver.url("/keep") + "\"}");
            String gone = a.api.endpoint("acme", "{\"url\":\"" + receiver.url("/gone") + "\"}");
            for (int round = 0; round < 3; round++) {
                // each round: node A reads the endpoints into its cache, node B deletes one of them
                a.api.publish("acme", "order.paid", "{\"round\":" + round + "}");
                int sent = round + 1;
                await().atMost(Duration.ofSeconds(20)).until(() -> receiver.hits("/gone").size() >= sent);
                assertThat(b.api.delete("/api/v1/app/acme/endpoint/" + gone).status()).isEqualTo(204);

                Api.Resp after = a.api.post("/api/v1/app/acme/msg",
                        "{\"eventType\":\"order.paid\",\"payload\":{\"after\":" + round + "}}");

                assertThat(after.status()).as(after.text()).isEqualTo(202);
                int keep = 2 * (round + 1);
                await().atMost(Duration.ofSeconds(20)).until(() -> receiver.hits("/keep").size() >= keep);
                assertThat(receiver.hits("/keep")).hasSize(keep);
                if (round < 2) {
                    gone = a.api.endpoint("acme", "{\"url\":\"" + receiver.url("/gone") + "\"}");
                }
            }
            assertThat(receiver.hits("/gone")).hasSize(3); // only the publish of each round before the delete
        }
    }
}
