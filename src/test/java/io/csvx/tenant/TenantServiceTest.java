package io.csvx.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.csvx.endpoint.EndpointService;
import io.csvx.store.Ids;
import io.csvx.store.jdbc.JdbcStores;
import io.csvx.store.jdbc.Stores;
import io.csvx.store.sqlite.SqliteDb;
import io.csvx.testing.TestKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Applications through the service, over a real SQLite store: the publish path's cache, the
/// cascade of a delete, and get-if-exists.
class TenantServiceTest {
    @TempDir
    Path dir;

    private Stores stores;
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private TenantService service(Duration ttl) {
        stores = JdbcStores.create(SqliteDb.open(dir), TestKeys.sealer());
        return new TenantService(stores.apps(), new EndpointService(stores.endpoints(), new SecureRandom(), ttl), ttl,
                Clock.systemUTC());
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private Application app(String id, String uid, String name) {
        return new Application(id, uid, name, null, "{}", t0, t0);
    }

    @Test
    void aReservedApplicationExistsOnceAndIsHiddenFromLookupsAndLists() {
        TenantService tenants = service(Duration.ofMinutes(1));
        tenants.create(app("app_1", "acme", "Acme"));
        Application internal = app("app_csvx_internal", null, "Internal");
        assertThat(tenants.reserve(internal).id()).isEqualTo("app_csvx_internal");
        assertThat(tenants.reserve(internal).id()).isEqualTo("app_csvx_internal"); // the next start finds it
        assertThat(stores.apps().find("app_csvx_internal")).isPresent();
        assertThat(tenants.find("app_csvx_internal")).isEmpty();
        assertThat(tenants.findCached("app_csvx_internal")).isEmpty();
        assertThat(tenants.list(new io.csvx.store.PageRequest(10, null, false)).data()).extracting(Application::id)
                .containsExactly("app_1");
    }

    @Test
    void theCacheServesUntilAChangeHereOrItsTimeIsUp() throws Exception {
        TenantService tenants = service(Duration.ofMinutes(1));
        tenants.create(app("app_1", "acme", "Acme"));
        assertThat(tenants.findCached("acme")).get().extracting(Application::name).isEqualTo("Acme");
        // a change behind the service's back (another node) is not seen while the entry lives
        stores.apps().update(app("app_1", "acme", "Acme Corp"));
        assertThat(tenants.findCached("acme")).get().extracting(Application::name).isEqualTo("Acme");
        // a change through the service drops it at once, whichever key it was cached under
        tenants.update(app("app_1", "acme", "Acme Inc"));
        assertThat(tenants.findCached("acme")).get().extracting(Application::name).isEqualTo("Acme Inc");
        assertThat(tenants.findCached("app_1")).get().extracting(Application::name).isEqualTo("Acme Inc");
        // what is missing is not remembered
        assertThat(tenants.findCached("globex")).isEmpty();
        tenants.create(app("app_2", "globex", "Globex"));
        assertThat(tenants.findCached("globex")).isPresent();

        TenantService shortLived = new TenantService(stores.apps(),
                new EndpointService(stores.endpoints(), new SecureRandom(), Duration.ofMillis(20)), Duration.ofMillis(20),
                Clock.systemUTC());
        assertThat(shortLived.findCached("acme")).get().extracting(Application::name).isEqualTo("Acme Inc");
        stores.apps().update(app("app_1", "acme", "Acme Ltd"));
        Thread.sleep(60);
        assertThat(shortLived.findCached("acme")).get().extracting(Application::name).isEqualTo("Acme Ltd");
    }

    @Test
    void deleteRunsEveryCleanupAndForgetsTheApplication() throws IOException {
        TenantService tenants = service(Duration.ofMinutes(1));
        List<String> cleaned = new ArrayList<>();
        tenants.onDelete(cleaned::add);
        Application acme = tenants.create(app("app_1", "acme", "Acme"));
        assertThat(tenants.findCached("acme")).isPresent();
        tenants.delete(acme);
        assertThat(cleaned).containsExactly("app_1");
        assertThat(tenants.findCached("acme")).isEmpty();
        assertThat(tenants.find("app_1")).isEmpty();
    }

    @Test
    void theRowsOfDeletedApplicationsAreRemovedInTheBackgroundAlsoAfterARestart() throws IOException {
        TenantService tenants = service(Duration.ofMinutes(1));
        Application acme = tenants.create(app("app_1", "acme", "Acme"));
        tenants.create(app("app_2", "globex", "Globex"));
        // more messages than one batch removes, and one application marked by a node that stopped before removing it
        for (int i = 0; i < 2 * Remover.BATCH + 1; i++) {
            stores.messages().publish(new io.csvx.message.Message("msg_" + i, "app_1", "a", null, null, "{}", t0, t0),
                    List.of(), null, null);
        }
        stores.apps().delete("app_2", t0);
        tenants.delete(acme);
        assertThat(tenants.find("app_1")).isEmpty();
        assertThat(stores.apps().deleted()).containsExactlyInAnyOrder("app_1", "app_2");

        tenants.startRemoving();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> stores.apps().deleted().isEmpty());
            assertThat(stores.messages().find("app_1", "msg_0")).isEmpty();
            await().atMost(Duration.ofSeconds(20)).until(() -> tenants.deleting() == 0);
        } finally {
            tenants.close();
        }
    }

    @Test
    void createIfAbsentAnswersTheExistingApplication() {
        TenantService tenants = service(Duration.ofMinutes(1));
        TenantService.Created first = tenants.createIfAbsent(app("app_1", "acme", "Acme"));
        TenantService.Created second = tenants.createIfAbsent(app("app_2", "acme", "Acme again"));
        assertThat(first.isNew()).isTrue();
        assertThat(second.isNew()).isFalse();
        assertThat(second.app().id()).isEqualTo("app_1");
    }

    @Test
    void brandingIsCachedYetAChangeOnThisNodeShowsAtOnce() {
        TenantService tenants = service(Duration.ofMinutes(1));
        Application acme = tenants.create(app("app_1", "acme", "Acme"));
        assertThat(tenants.branding(acme)).isEqualTo(Branding.NONE);
        assertThat(tenants.setBranding(null, new Branding("Ops", "#0b57d0", null), t0)).isEmpty();
        assertThat(tenants.setBranding(acme, new Branding("Acme", null, null), t0)).isEmpty();
        assertThat(tenants.branding(acme)).isEqualTo(new Branding("Acme", "#0b57d0", null));
        // refused: nothing kept, the cached branding stands
        assertThat(tenants.setBranding(acme, new Branding(null, "#ffff00", null), t0)).isPresent();
        assertThat(tenants.ownBranding(acme)).isEqualTo(new Branding("Acme", null, null));
        // another node's change (straight to the store) is seen once the cache period ends, not before
        stores.apps().setBranding(acme.id(), new Branding("Elsewhere", null, null), t0);
        assertThat(tenants.ownBranding(acme).name()).isEqualTo("Acme");
        TenantService uncached = new TenantService(stores.apps(), new EndpointService(stores.endpoints(),
                new SecureRandom(), Duration.ZERO), Duration.ZERO, Clock.systemUTC());
        assertThat(uncached.ownBranding(acme).name()).isEqualTo("Elsewhere");
    }
}
