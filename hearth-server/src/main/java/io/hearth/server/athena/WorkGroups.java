package io.hearth.server.athena;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import io.hearth.server.athena.AthenaShapes.CreateWorkGroupRequest;
import io.hearth.server.athena.AthenaShapes.ResultConfigurationUpdates;
import io.hearth.server.athena.AthenaShapes.UpdateWorkGroupRequest;
import io.hearth.server.athena.AthenaShapes.WorkGroupConfiguration;
import io.hearth.server.athena.AthenaShapes.WorkGroupConfigurationUpdates;
import java.time.Clock;
import java.util.List;

/** Work groups: created, changed and deleted through the API; {@code primary} always exists. */
final class WorkGroups {
    private final WorkGroupStore store;
    private final ResultFiles results;
    private final Clock clock;

    WorkGroups(WorkGroupStore store, ResultFiles results, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.results = requireNonNull(results, "results is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    WorkGroup create(CreateWorkGroupRequest request) {
        WorkGroupConfiguration configuration = request.configuration();
        String location = configuration == null || configuration.resultConfiguration() == null ? null
                : configuration.resultConfiguration().outputLocation();
        if (location != null) {
            results.checkWritable(location);
        }
        WorkGroup group = new WorkGroup(request.name(), true, request.description(), location,
                configuration != null && Boolean.TRUE.equals(configuration.enforceWorkGroupConfiguration()),
                configuration == null ? null : configuration.bytesScannedCutoffPerQuery(), clock.instant());
        if (!store.insert(group)) {
            throw HearthException.alreadyExists("WorkGroup %s is already created", request.name());
        }
        return group;
    }

    WorkGroup get(String name) {
        return store.find(name).orElseThrow(() -> HearthException.invalidArgument("WorkGroup %s is not found.", name));
    }

    boolean exists(String name) {
        return store.find(name).isPresent();
    }

    /** The work group a query starts in; a DISABLED one takes none. */
    WorkGroup forQuery(String name) {
        WorkGroup group = get(name == null ? WorkGroup.PRIMARY : name);
        if (!group.enabled()) {
            throw HearthException.invalidArgument("WorkGroup %s is disabled.", group.name());
        }
        return group;
    }

    /**
     * Where a query's results go: the work group's location when it enforces its configuration, else the query's own,
     * else the work group's; an error, as Athena's, when there is none.
     */
    String outputFolder(WorkGroup group, String requested) {
        String location = group.enforceConfiguration() && group.outputLocation() != null ? group.outputLocation()
                : requested != null ? requested : group.outputLocation();
        if (location == null) {
            throw HearthException.invalidArgument("No output location provided. An output location is required either through the Workgroup "
                    + "result configuration setting or as an API input.");
        }
        results.checkWritable(location);
        return location;
    }

    List<WorkGroup> list(String afterName, int limit) {
        return store.list(afterName, limit);
    }

    void update(UpdateWorkGroupRequest request) {
        WorkGroup group = get(request.workGroup());
        String location = group.outputLocation();
        boolean enforce = group.enforceConfiguration();
        Long cutoff = group.bytesScannedCutoff();
        WorkGroupConfigurationUpdates updates = request.configurationUpdates();
        if (updates != null) {
            ResultConfigurationUpdates resultUpdates = updates.resultConfigurationUpdates();
            if (resultUpdates != null && Boolean.TRUE.equals(resultUpdates.removeOutputLocation())) {
                location = null;
            } else if (resultUpdates != null && resultUpdates.outputLocation() != null) {
                results.checkWritable(resultUpdates.outputLocation());
                location = resultUpdates.outputLocation();
            }
            enforce = updates.enforceWorkGroupConfiguration() == null ? enforce : updates.enforceWorkGroupConfiguration();
            if (Boolean.TRUE.equals(updates.removeBytesScannedCutoffPerQuery())) {
                cutoff = null;
            } else if (updates.bytesScannedCutoffPerQuery() != null) {
                cutoff = updates.bytesScannedCutoffPerQuery();
            }
        }
        boolean enabled = request.state() == null ? group.enabled() : request.state().equals("ENABLED");
        String description = request.description() == null ? group.description() : request.description();
        store.update(new WorkGroup(group.name(), enabled, description, location, enforce, cutoff, group.createdAt()));
    }

    void delete(String name) {
        if (WorkGroup.PRIMARY.equals(name)) {
            throw HearthException.invalidArgument("The primary WorkGroup cannot be deleted.");
        }
        if (!store.delete(name)) {
            throw HearthException.invalidArgument("WorkGroup %s is not found.", name);
        }
    }
}
