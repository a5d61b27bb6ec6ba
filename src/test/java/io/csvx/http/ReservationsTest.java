package io.csvx.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.csvx.store.jdbc.JdbcStores;
import io.csvx.store.jdbc.Stores;
import io.csvx.store.sqlite.SqliteDb;
import io.csvx.testing.MovingClock;
import io.csvx.testing.TestKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// A node's reservations of idempotency keys, on a real SQLite store: a long request keeps its
/// key by being touched; one left untouched (its node stopped) is taken over after the lease.
class ReservationsTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    @TempDir
    Path dir;

    Stores stores;
    final MovingClock clock = new MovingClock(T0);
    Reservations node;
    /// Another node's view of the same keys, on the same clock.
    Reservations other;

    @BeforeEach
    void open() {
        stores = JdbcStores.create(SqliteDb.open(dir), TestKeys.sealer());
        node = new Reservations(stores.idempotency(), clock);
        other = new Reservations(stores.idempotency(), clock);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    /// Reserves `scope` on this node as a request starting now does.
    private void start(String scope) {
        assertThat(node.reserve(scope)).isEmpty();
        node.running(scope);
    }

    @Test
    void aRequestRunningLongIsTouchedAndKeepsItsKey() {
        start("k");
        clock.advance(Reservations.TOUCH_EVERY);
        node.touch();
        clock.set(T0.plus(Reservations.LEASE).plusSeconds(10)); // untouched, the lease would have run out
        assertThat(other.reserve("k")).hasValueSatisfying(s -> assertThat(s.status()).isZero());
    }

    @Test
    void aRequestLeftByAStoppedNodeIsTakenOverAfterTheLease() {
        start("k");
        clock.advance(Reservations.LEASE.minusSeconds(1));
        assertThat(other.reserve("k")).isPresent(); // still within its lease
        clock.advance(Duration.ofSeconds(2)); // no node touched it
        assertThat(other.reserve("k")).isEmpty(); // taken over
    }

    @Test
    void onlyRequestsStillRunningAndRunningForTheIntervalAreTouched() {
        start("ended");
        clock.advance(Duration.ofSeconds(6));
        start("recent");
        clock.set(T0.plus(Reservations.TOUCH_EVERY).plusSeconds(1));
        node.ended("ended"); // its caller stores its answer or forgets the key; here it stays reserved
        node.touch(); // "recent" has run 10 s: the next touch comes well within its lease
        clock.set(T0.plus(Reservations.LEASE).plusSeconds(1));
        assertThat(other.reserve("ended")).isEmpty(); // not touched after it ended: taken over
        assertThat(other.reserve("recent")).isPresent(); // reserved at T0 + 6 s, its lease runs on
        clock.advance(Duration.ofSeconds(6));
        assertThat(other.reserve("recent")).isEmpty(); // not touched: taken over when its own lease ran out
    }

    @Test
    void anAnsweredKeyGivesItsAnswerToEveryRepeat() {
        start("k");
        assertThat(other.reserve("k")).hasValueSatisfying(s -> assertThat(s.status()).isZero()); // still running
        node.answered("k", 201, "{\"id\":\"a\"}");
        node.ended("k");
        assertThat(other.recheck("k")).hasValue(new IdempotencyStore.Stored(201, "{\"id\":\"a\"}"));
        clock.set(T0.plus(Reservations.LEASE).plusSeconds(1)); // an answer is not a reservation: no lease runs out
        assertThat(other.reserve("k")).hasValue(new IdempotencyStore.Stored(201, "{\"id\":\"a\"}"));
    }

    @Test
    void aFailedRequestFreesItsKeyForTheRepeatThatRechecks() {
        start("k");
        assertThat(other.reserve("k")).isPresent();
        node.failed("k");
        node.ended("k");
        assertThat(other.recheck("k")).isEmpty(); // free: the repeat reserved it and runs
        assertThat(node.reserve("k")).hasValueSatisfying(s -> assertThat(s.status()).isZero()); // held by the repeat
    }
}
