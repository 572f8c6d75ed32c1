package io.hearth.server.persistence;

import java.nio.file.Path;
import java.util.List;
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

    @Override
    protected List<String> crashingWriterDatabase() {
        return List.of("embedded", directory.toString());
    }
}
