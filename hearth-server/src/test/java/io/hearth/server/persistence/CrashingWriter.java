package io.hearth.server.persistence;

import io.hearth.server.step.StepStateMachine;
import io.hearth.server.step.StepStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * A process that commits writes the way Hearth does, says so as Hearth would answer a request,
 * then dies at once (no shutdown hooks, nothing flushed), as under kill -9.
 * Arguments: {@code embedded <directory>} or {@code url <jdbc-url>}, then the cluster id and the
 * number of steps to write.
 */
final class CrashingWriter {
    private CrashingWriter() {}

    public static void main(String[] args) {
        Database database = args[0].equals("embedded") ? Database.openEmbedded(Path.of(args[1])) : Database.open(args[1], null, null);
        String clusterId = args[2];
        int count = Integer.parseInt(args[3]);
        StepStore steps = new StepStore(database.jdbi());
        StepStateMachine states = new StepStateMachine(steps, Clock.systemUTC());
        database.jdbi().useTransaction(handle -> StoreContract.insertCluster(handle, clusterId));
        for (int i = 0; i < count; i++) {
            String stepId = "s-" + clusterId.substring(2) + String.format("%03d", i);
            database.jdbi().useTransaction(handle -> steps.insert(handle, List.of(StoreContract.newStep(stepId, clusterId))));
            states.transitionToRunning(stepId);
        }
        System.out.println("answered " + count);
        System.out.flush();
        Runtime.getRuntime().halt(137);
    }
}
