package io.hearth.server.persistence;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded default: an H2 file. */
class TestStoresOnH2 extends StoreContract {
    @TempDir
    Path directory;

    @Override
    protected Database openDatabase() {
        return Database.openEmbedded(directory);
    }

    @Override
    protected Database reopenDatabase() {
        return Database.openEmbedded(directory);
    }
}
