package io.hearth.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.hearth.server.HearthException;
import io.hearth.server.HearthServer;
import io.hearth.server.config.HearthConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.Application;
import software.amazon.awssdk.services.emr.model.DescribeStepResponse;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.InstanceGroupConfig;
import software.amazon.awssdk.services.emr.model.InstanceRoleType;
import software.amazon.awssdk.services.emr.model.JobFlowInstancesConfig;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepState;
import software.amazon.awssdk.services.emr.waiters.EmrWaiter;

/**
 * {@code hearth quickstart}: Hearth's main job on the embedded default. Starts Hearth, creates a
 * single-instance cluster with the AWS SDK's EMR client (exactly what a user's program would do),
 * runs a Spark step that aggregates a CSV file into Parquet, prints its result and where its logs
 * are, terminates the cluster and stops Hearth.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Runs Hearth's example end to end: starts Hearth, creates a cluster, runs a Spark step",
                "(CSV -> aggregate -> Parquet), prints its result and logs, terminates the cluster and stops."})
final class QuickstartCommand implements Callable<Integer> {
    private static final String RELEASE_LABEL = "emr-7.1.0";

    @Mixin
    ServerOptions options = new ServerOptions();

    @Option(names = "--keep-cluster", description = "Keep the cluster instead of terminating it; 'hearth up' on the same data directory brings it back.")
    boolean keepCluster;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws IOException {
        Path home = hearthHome();
        Path exampleJar = home.resolve("examples/hearth-examples.jar");
        Path exampleData = home.resolve("examples/data/iris.csv");
        if (!Files.isRegularFile(exampleJar) || !Files.isRegularFile(exampleData)) {
            throw HearthException.invalidArgument("The examples are missing under %s; build Hearth with 'mvn package'", home);
        }
        if (options.dataDirectory == null) {
            options.dataDirectory = Path.of("hearth-quickstart");
        }
        if (options.port == null) {
            options.port = 0;
        }
        HearthConfig config = options.toConfig();
        ((Logger) LoggerFactory.getLogger("io.hearth")).setLevel(Level.WARN);

        Instant started = Instant.now();
        out.println("Starting Hearth (data directory " + config.dataDirectory() + ") ...");
        try (HearthServer server = HearthServer.start(config); EmrClient emr = client(server.endpoint()); EmrWaiter waiter = waiter(emr)) {
            out.println("Hearth is serving the EMR API at " + server.endpoint());

            String clusterId = emr.runJobFlow(request -> request
                    .name("Hearth quickstart")
                    .releaseLabel(RELEASE_LABEL)
                    .applications(Application.builder().name("Spark").build())
                    .instances(JobFlowInstancesConfig.builder()
                            .instanceGroups(InstanceGroupConfig.builder().instanceRole(InstanceRoleType.MASTER).instanceType("m5.xlarge").instanceCount(1).build())
                            .keepJobFlowAliveWhenNoSteps(true)
                            .build()))
                    .jobFlowId();
            out.println("Created cluster " + clusterId + " (1 x m5.xlarge, release " + RELEASE_LABEL + "); waiting for it to start ...");
            waiter.waitUntilClusterRunning(request -> request.clusterId(clusterId));

            Path output = config.dataDirectory().resolve("output").resolve(clusterId).resolve("iris-by-species");
            List<String> args = List.of("spark-submit", "--class", "io.hearth.spark.examples.CsvAggregate", exampleJar.toString(),
                    exampleData.toString(), output.toString(), "species");
            String stepId = emr.addJobFlowSteps(request -> request.jobFlowId(clusterId).steps(StepConfig.builder()
                    .name("Aggregate iris by species")
                    .actionOnFailure(ActionOnFailure.CONTINUE)
                    .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar").args(args).build())
                    .build())).stepIds().get(0);
            out.println("Added Spark step " + stepId + ": spark-submit --class io.hearth.spark.examples.CsvAggregate ... (CSV -> group by species -> Parquet)");
            Step step = awaitStep(emr, clusterId, stepId);

            Path logs = config.logDirectory().resolve(clusterId).resolve("steps").resolve(stepId);
            if (step.status().state() != StepState.COMPLETED) {
                out.println();
                out.println("The step ended " + step.status().state() + ".");
                if (step.status().failureDetails() != null) {
                    out.println("Reason: " + step.status().failureDetails().reason());
                    out.println("Log:    " + step.status().failureDetails().logFile());
                }
                out.println("Logs:   " + logs);
                terminate(emr, waiter, clusterId);
                return 1;
            }
            out.println();
            out.println("Step result (its stdout):");
            out.println(Files.readString(logs.resolve("stdout"), StandardCharsets.UTF_8).stripTrailing());
            out.println();
            out.println("Parquet output: " + output);
            out.println("Step logs:      " + logs + "/{controller,stdout,stderr}");
            out.println("Cluster log:    " + config.logDirectory().resolve(clusterId).resolve("cluster.log"));
            if (keepCluster) {
                out.println("Cluster " + clusterId + " is kept: its processes stop with this quickstart, and it comes back (WAITING) with"
                        + " bin/hearth up --data-dir " + config.dataDirectory());
            } else {
                terminate(emr, waiter, clusterId);
            }
            out.printf("Done in %.1f s.%n%n", Duration.between(started, Instant.now()).toMillis() / 1000.0);
            printNextSteps(exampleJar, exampleData);
            return 0;
        }
    }

    private Step awaitStep(EmrClient emr, String clusterId, String stepId) {
        StepState last = null;
        while (true) {
            DescribeStepResponse response = emr.describeStep(request -> request.clusterId(clusterId).stepId(stepId));
            StepState state = response.step().status().state();
            if (state != last) {
                out.println("  step " + stepId + ": " + state);
                last = state;
            }
            if (state == StepState.COMPLETED || state == StepState.FAILED || state == StepState.CANCELLED || state == StepState.INTERRUPTED) {
                return response.step();
            }
            sleep(Duration.ofMillis(250));
        }
    }

    private void terminate(EmrClient emr, EmrWaiter waiter, String clusterId) {
        out.println("Terminating cluster " + clusterId + " ...");
        emr.terminateJobFlows(request -> request.jobFlowIds(clusterId));
        WaiterResponse<?> ended = waiter.waitUntilClusterTerminated(request -> request.clusterId(clusterId));
        ended.matched().exception().ifPresent(e -> out.println("The cluster did not end cleanly: " + e.getMessage()));
    }

    private void printNextSteps(Path exampleJar, Path exampleData) {
        out.println("What to try next:");
        out.println("  bin/hearth up                      # run Hearth in the foreground (Ctrl-C stops it)");
        out.println("  eval \"$(bin/hearth env)\"           # in another shell: point the aws CLI / boto3 / SDKs at it");
        out.println("  aws emr create-cluster --name demo --release-label emr-7.1.0 --applications Name=Spark \\");
        out.println("      --instance-type m5.xlarge --instance-count 3 --use-default-roles");
        out.println("  aws emr add-steps --cluster-id j-... --steps Type=Spark,Name=Aggregate,ActionOnFailure=CONTINUE,\\");
        out.println("      Args=[--class,io.hearth.spark.examples.CsvAggregate," + exampleJar + "," + exampleData + ",/tmp/iris-out,species]");
        out.println("  aws emr wait step-complete --cluster-id j-... --step-id s-...");
        out.println("See README.md for the full walkthrough.");
    }

    private static EmrClient client(URI endpoint) {
        return EmrClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(EnvCommand.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(EnvCommand.ACCESS_KEY_ID, EnvCommand.SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static EmrWaiter waiter(EmrClient emr) {
        return EmrWaiter.builder()
                .client(emr)
                .overrideConfiguration(WaiterOverrideConfiguration.builder()
                        .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(500)))
                        .maxAttempts(600)
                        .build())
                .build();
    }

    static Path hearthHome() {
        String home = System.getProperty("hearth.home");
        if (home == null) {
            throw HearthException.invalidArgument("hearth.home is not set; run Hearth with bin/hearth");
        }
        return Path.of(home);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
