package io.csvx.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csvx.store.Ids;
import io.csvx.store.jdbc.JdbcStores;
import io.csvx.store.jdbc.Stores;
import io.csvx.store.sqlite.SqliteDb;
import io.csvx.testing.MovingClock;
import io.csvx.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Scoped tokens over a real SQLite store, on a clock the test moves: they expire, they are kept
/// only as hashes, and their life is bounded.
class AccessServiceTest {
    @TempDir
    Path dir;

    @Test
    void aTokenLivesItsExpiryAndIsKeptOnlyAsAHash() throws Exception {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        MovingClock clock = new MovingClock(t0);
        try (Stores stores = JdbcStores.create(SqliteDb.open(dir), TestKeys.sealer())) {
            Application acme = stores.apps().create(new Application("app_1", "acme", "Acme", null, "{}", t0, t0));
            AccessService access = new AccessService(stores.appTokens(), new Ids(), new SecureRandom(), clock, Duration.ZERO);
            AccessService.Issued issued = access.issue(acme, Duration.ofHours(1), EnumSet.of(Capability.ViewBase), null);
            assertThat(access.authenticate(issued.secret())).get().extracting(AppToken::appId).isEqualTo("app_1");

            clock.set(t0.plus(Duration.ofMinutes(59)));
            assertThat(access.authenticate(issued.secret())).isPresent();
            clock.set(t0.plus(Duration.ofMinutes(61)));
            assertThat(access.authenticate(issued.secret())).isEmpty(); // expired
            assertThat(access.authenticate("appsk_" + "f".repeat(48))).isEmpty();
            assertThat(access.authenticate("not-a-token")).isEmpty();

            assertThatThrownBy(() -> access.issue(acme, Duration.ofMinutes(59), EnumSet.allOf(Capability.class), null))
                    .hasMessageContaining("expiry");
            assertThatThrownBy(() -> access.issue(acme, Duration.ofDays(8), EnumSet.allOf(Capability.class), null))
                    .hasMessageContaining("expiry");

            // the admin token: recorded as a hash, recognised in constant time, never kept as text
            assertThat(access.recordAdmin("csvx_admin_secret_one")).isTrue();
            assertThat(access.isAdmin("csvx_admin_secret_one")).isTrue();
            assertThat(access.isAdmin("csvx_admin_secret_two")).isFalse();
            assertThat(access.isAdmin(null)).isFalse();
            assertThat(access.recordAdmin("csvx_admin_secret_one")).isTrue(); // a restart with the same token
            assertThat(access.recordAdmin("csvx_admin_secret_two")).isFalse(); // another: it replaces the first
            assertThat(access.isAdmin("csvx_admin_secret_two")).isTrue();
            assertThat(access.isAdmin("csvx_admin_secret_one")).isFalse();

            String raw = new String(Files.readAllBytes(dir.resolve("csvx.db")), StandardCharsets.ISO_8859_1)
                    + (Files.exists(dir.resolve("csvx.db-wal")) ? new String(Files.readAllBytes(dir.resolve("csvx.db-wal")),
                    StandardCharsets.ISO_8859_1) : "");
            assertThat(raw).doesNotContain(issued.secret()).doesNotContain(issued.secret().substring(6))
                    .doesNotContain("csvx_admin_secret");
        }
    }
}
