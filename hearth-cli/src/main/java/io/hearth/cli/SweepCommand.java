package io.hearth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hearth.client.HearthClient;
import io.hearth.client.Specs;
import io.hearth.client.SweepStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hearth sweep}: runs and follows sweeps through Hearth's REST API. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Runs many training tasks from one spec (a grid, a random search, one model per label, feature reduction or variants),",
                "at most maxParallel at once, and follows them. The spec is described in docs/sweeps.md."},
        subcommands = {SweepCommand.Run.class, SweepCommand.Status.class, SweepCommand.ListSweeps.class, SweepCommand.Resume.class,
                SweepCommand.Cancel.class, SweepCommand.LeaderboardCommand.class})
final class SweepCommand {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final Duration NO_LIMIT = Duration.ofDays(3650);

    /** Waits for the sweep with a progress display; exit code 0 only when every task succeeded. */
    static int follow(HearthClient client, SweepStatus sweep) {
        SweepPrinter printer = new SweepPrinter(System.out);
        SweepStatus ended = client.awaitSweep(sweep.sweepId(), NO_LIMIT, printer::progress);
        System.out.println("Sweep " + ended.sweepId() + " ended " + ended.state() + (ended.stateMessage() == null ? "" : ": " + ended.stateMessage()));
        if (!"COMPLETED".equals(ended.state())) {
            System.out.println("See why with: hearth sweep status " + ended.sweepId() + "; run the others again with: hearth sweep resume " + ended.sweepId());
        }
        return "COMPLETED".equals(ended.state()) ? 0 : 1;
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Submits a sweep spec (JSON, or YAML for .yaml/.yml) and prints its id; --wait follows it to the end.")
    static final class Run implements Callable<Integer> {
        @Mixin
        ApiOptions api = new ApiOptions();

        @Parameters(index = "0", paramLabel = "SPEC", description = "The sweep spec file.")
        Path spec;

        @Option(names = "--cluster", paramLabel = "ID", description = "Cluster the tasks run on (default: the only running cluster).")
        String clusterId;

        @Option(names = "--wait", description = "Show progress until the sweep ends; exit 1 unless every task succeeded.")
        boolean await;

        @Override
        public Integer call() {
            HearthClient client = api.client();
            SweepStatus sweep = client.submitSweep(clusterId, Specs.read(spec));
            System.out.println("Sweep " + sweep.sweepId() + " submitted: " + sweep.total() + " task(s) on cluster " + sweep.clusterId()
                    + ", at most " + sweep.maxParallel() + " at once (" + sweep.isolation() + " isolation)");
            return await ? follow(client, sweep) : 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Shows a sweep and every task: state, attempt, duration, Spark application, reason.")
    static final class Status implements Callable<Integer> {
        @Mixin
        ApiOptions api = new ApiOptions();

        @Parameters(index = "0", paramLabel = "SWEEP_ID")
        String sweepId;

        @Option(names = "--json", description = "Print the REST API's document instead of a table.")
        boolean json;

        @Option(names = "--wait", description = "Show progress until the sweep ends, then the status.")
        boolean await;

        @Override
        public Integer call() throws Exception {
            HearthClient client = api.client();
            SweepStatus sweep = client.sweep(sweepId);
            if (await) {
                follow(client, sweep);
                sweep = client.sweep(sweepId);
            }
            if (json) {
                System.out.println(JSON.writeValueAsString(sweep));
            } else {
                new SweepPrinter(System.out).status(sweep);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists sweeps, newest first.")
    static final class ListSweeps implements Callable<Integer> {
        @Mixin
        ApiOptions api = new ApiOptions();

        @Override
        public Integer call() {
            new SweepPrinter(System.out).list(api.client().sweeps());
            return 0;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Runs again only the tasks that did not succeed, optionally with a corrected spec.")
    static final class Resume implements Callable<Integer> {
        @Mixin
        ApiOptions api = new ApiOptions();

        @Parameters(index = "0", paramLabel = "SWEEP_ID")
        String sweepId;

        @Option(names = "--spec", paramLabel = "FILE", description = "The sweep's spec with a mistake fixed; it must plan the same tasks.")
        Path spec;

        @Option(names = "--wait", description = "Show progress until the sweep ends; exit 1 unless every task succeeded.")
        boolean await;

        @Override
        public Integer call() {
            HearthClient client = api.client();
            SweepStatus sweep = client.resume(sweepId, spec == null ? null : Specs.read(spec));
            System.out.println("Sweep " + sweepId + ": " + sweep.tasksResumed() + " task(s) run again");
            return await ? follow(client, sweep) : 0;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels the pending tasks and stops the running ones.")
    static final class Cancel implements Callable<Integer> {
        @Mixin
        ApiOptions api = new ApiOptions();

        @Parameters(index = "0", paramLabel = "SWEEP_ID")
        String sweepId;

        @Override
        public Integer call() {
            SweepStatus sweep = api.client().cancel(sweepId);
            System.out.println("Sweep " + sweepId + " " + (sweep.isRunning() ? "is stopping its running tasks" : "is " + sweep.state()));
            return 0;
        }
    }

    @Command(name = "leaderboard", mixinStandardHelpOptions = true,
            description = {"Ranks a sweep's tasks by a metric (default: the sweep's metric, else auc_roc / accuracy / rmse by task kind).",
                    "The same table is in the catalog as hearth_sweeps.<sweep id> once the sweep has ended."})
    static final class LeaderboardCommand implements Callable<Integer> {
        @Mixin
        ApiOptions api = new ApiOptions();

        @Parameters(index = "0", paramLabel = "SWEEP_ID")
        String sweepId;

        @Option(names = "--metric", paramLabel = "METRIC", description = "[validation.|test.]name: auc_roc, auc_pr, accuracy, f1, precision, recall, log_loss, rmse, mae, r2.")
        String metric;

        @Option(names = "--json", description = "Print the REST API's document instead of a table.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            var board = api.client().leaderboard(sweepId, metric);
            if (json) {
                System.out.println(JSON.writeValueAsString(board));
            } else {
                new SweepPrinter(System.out).leaderboard(board);
            }
            return 0;
        }
    }
}
