package io.hearth.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.server.step.StepStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
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

    /** Hearth interrupts threads it cancels; one that was writing must not take the database down with it. */
    @Test
    void aWriterThatIsInterruptedLeavesTheDatabaseOpen() throws Exception {
        Database database = Database.openEmbedded(directory.resolve("interrupted"));
        try {
            StepStore steps = new StepStore(database.jdbi());
            database.jdbi().useTransaction(handle -> StoreContract.insertCluster(handle, "j-INTERRUPTED0"));
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    String stepId = String.format("s-INTERRUPT%04d", i);
                    try {
                        database.jdbi().useTransaction(handle -> steps.insert(handle, List.of(StoreContract.newStep(stepId, "j-INTERRUPTED0"))));
                    } catch (RuntimeException interrupted) {
                        // A write may fail while its thread is interrupted; the database must stay usable.
                    }
                }
            });
            writer.start();
            while (writer.isAlive()) {
                writer.interrupt();
                Thread.sleep(1);
            }
            database.jdbi().useTransaction(handle -> steps.insert(handle, List.of(StoreContract.newStep("s-AFTERINTERRUPT", "j-INTERRUPTED0"))));
            assertThat(steps.find("j-INTERRUPTED0", "s-AFTERINTERRUPT")).isPresent();
        } finally {
            database.close();
        }
    }
}
