package io.hearth.server.cluster;

import io.hearth.server.process.ProcessRecord;
import io.hearth.server.process.ProcessRecords;
import java.util.Optional;

/**
 * A Spark daemon's process record, kept in its instance's row with the ports it was started with.
 * Spark daemons keep no configuration fingerprint: any survivor of theirs is theirs.
 */
final class InstanceProcessRecords implements ProcessRecords {
    private final ClusterStore store;
    private final Instance instance;
    private final Integer servicePort;
    private final Integer uiPort;

    InstanceProcessRecords(ClusterStore store, Instance instance, Integer servicePort, Integer uiPort) {
        this.store = store;
        this.instance = instance;
        this.servicePort = servicePort;
        this.uiPort = uiPort;
    }

    /** The instance's record, if Hearth got to write it (it may have stopped between the launch and the record). */
    static Optional<ProcessRecord> recordOf(Instance instance) {
        if (instance.processId() == null || instance.processStartedAt() == null) {
            return Optional.empty();
        }
        return Optional.of(new ProcessRecord(instance.processId(), instance.processStartedAt(), null));
    }

    @Override
    public Optional<ProcessRecord> read() {
        return recordOf(instance);
    }

    @Override
    public void write(ProcessRecord record) {
        store.recordInstanceProcess(instance.id(), record.pid(), record.startedAt(), servicePort, uiPort);
    }
}
