package io.csvx.cli;

import io.csvx.config.Config;
import io.csvx.node.App;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/// `csvx rotate-key`: seals every secret in the database again under a new encryption key.
@Command(name = "rotate-key", mixinStandardHelpOptions = true,
        description = "Seal every secret in the database again under a new encryption key. Stop the nodes first;"
                + " start them with the new key after. Safe to run again if interrupted.")
final class RotateKeyCommand implements Callable<Integer> {
    @Option(names = "--new-key", required = true, description = "Base64 of the new 32-byte key (openssl rand -base64 32).")
    String newKey;

    @Option(names = "--encryption-key", defaultValue = "${env:CSVX_ENCRYPTION_KEY}", description = "The key the secrets are sealed with now (CSVX_ENCRYPTION_KEY). Default: the data dir's encryption-key.")
    String oldKey;

    @Option(names = "--data-dir", defaultValue = "${env:CSVX_DATA_DIR:-./csvx-data}", description = "The node's data dir (CSVX_DATA_DIR). Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--database", defaultValue = "${env:CSVX_DATABASE}", description = "postgresql://user[:password]@host:port/db when the nodes share one (CSVX_DATABASE). Default: SQLite in --data-dir.")
    String database;

    @Override
    public Integer call() {
        Config config = Config.defaults(dataDir, 0).withEncryptionKey(blank(oldKey) ? null : oldKey.trim())
                .withDatabase(blank(database) ? null : database);
        int count;
        try {
            count = App.rotateKey(config, newKey);
        } catch (IllegalArgumentException e) {
            System.err.println("csvx rotate-key: " + e.getMessage());
            return 2;
        }
        System.out.println("Sealed " + count + " secret values again under the new key. Start every node with it"
                + (blank(oldKey) ? " (it replaced " + dataDir.resolve("encryption-key") + ")." : " (--encryption-key)."));
        return 0;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
