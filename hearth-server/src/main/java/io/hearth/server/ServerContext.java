package io.hearth.server;

import static java.util.Objects.requireNonNull;

import io.hearth.server.config.HearthConfig;
import io.hearth.server.lifecycle.Closer;
import io.hearth.server.persistence.Database;
import io.hearth.server.process.ProcessLauncher;
import io.hearth.server.process.Supervisor;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every feature is built from: the settings, the clock, the control-plane database, the
 * launcher of child processes and the supervisor of long-running ones, the server's executors (a feature uses them and never shuts them
 * down) and the closer stack a feature registers what it opens on.
 *
 * @param worker a cached pool for blocking work (step drivers, metastore calls)
 * @param timers one thread for short timed callbacks (grace periods, backoffs)
 * @param housekeeping one thread for periodic checks (idle clusters, due steps, sweeps to settle)
 */
public record ServerContext(HearthConfig config, Clock clock, Database database, ProcessLauncher launcher, Supervisor supervisor,
        ExecutorService worker, ScheduledExecutorService timers, ScheduledExecutorService housekeeping, Closer closer) {

    public ServerContext {
        requireNonNull(config, "config is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(database, "database is null");
        requireNonNull(launcher, "launcher is null");
        requireNonNull(supervisor, "supervisor is null");
        requireNonNull(worker, "worker is null");
        requireNonNull(timers, "timers is null");
        requireNonNull(housekeeping, "housekeeping is null");
        requireNonNull(closer, "closer is null");
    }
}
