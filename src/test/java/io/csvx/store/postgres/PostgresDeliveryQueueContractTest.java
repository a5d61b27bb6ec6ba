package io.csvx.store.postgres;

import io.csvx.store.DeliveryQueueContractTest;
import io.csvx.store.jdbc.JdbcStores;
import io.csvx.store.jdbc.Stores;
import io.csvx.testing.RequiresPostgres;
import io.csvx.testing.TestKeys;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/// The store contract, run against PostgreSQL.
@RequiresPostgres
class PostgresDeliveryQueueContractTest extends DeliveryQueueContractTest {
    private TestDatabase database;

    @Override
    protected Stores open(Path directory) {
        if (database == null) {
            database = new TestDatabase(); // reopening must find the same data
        }
        return JdbcStores.create(PostgresDb.open(database.url(), 4), TestKeys.sealer());
    }

    @AfterEach
    void dropSchema() {
        stores.close();
        database.close();
    }
}
