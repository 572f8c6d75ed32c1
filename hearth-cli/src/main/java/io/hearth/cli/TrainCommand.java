package io.hearth.cli;

import io.hearth.client.HearthClient;
import io.hearth.client.Specs;
import io.hearth.client.SweepStatus;
import io.hearth.client.TaskStatus;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hearth train}: one training job, run as a step and tracked like a sweep of one task. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Runs one training job (spec: docs/training.md, JSON or YAML) as a step on a cluster and registers the model.",
                "It is tracked as a sweep of one task: hearth sweep status/resume work on the id it prints."})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api = new ApiOptions();

    @Parameters(index = "0", paramLabel = "SPEC", description = "The training spec file.")
    Path spec;

    @Option(names = "--cluster", paramLabel = "ID", description = "Cluster the job runs on (default: the only running cluster).")
    String clusterId;

    @Option(names = "--wait", description = "Show progress until the job ends, then its model id and test metrics; exit 1 if it failed.")
    boolean await;

    @Override
    public Integer call() {
        HearthClient client = api.client();
        SweepStatus job = client.train(clusterId, Specs.read(spec));
        System.out.println("Training job " + job.sweepId() + " submitted on cluster " + job.clusterId());
        if (!await) {
            return 0;
        }
        int code = SweepCommand.follow(client, job);
        SweepStatus ended = client.sweep(job.sweepId());
        for (TaskStatus task : ended.tasks()) {
            if (task.succeeded()) {
                System.out.println("Model " + task.modelId() + " registered; test metrics: " + task.metrics().path("test"));
            }
        }
        return code;
    }
}
