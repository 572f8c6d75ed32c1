package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.singleInstanceCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepState;

/**
 * bench/step-overhead: what running a Spark application as a Hearth step costs compared with
 * launching the same application directly with spark-submit.
 * <ol>
 *   <li>Single: a no-op application, submit-to-COMPLETED as seen by an EMR client polling every
 *       100 ms, against the same spark-submit run directly (process start to exit), interleaved.</li>
 *   <li>Batch: 20 no-op steps at StepConcurrencyLevel 2, AddJobFlowSteps to the last COMPLETED,
 *       against 20 direct launches two at a time.</li>
 * </ol>
 * Hearth runs as its own process ({@code bin/hearth up}), as users run it.
 * Usage: {@code StepOverheadBenchmark [runs] [batch size]} (defaults 9 and 20).
 */
public final class StepOverheadBenchmark {
    /** How often the client asks DescribeStep, as an EMR client polling for completion does. */
    private static final long POLL_MILLIS = Long.getLong("poll.millis", 100);
    private static final Set<StepState> ENDED = Set.of(StepState.COMPLETED, StepState.FAILED, StepState.CANCELLED, StepState.INTERRUPTED);

    private final EmrClient emr;
    private final Path work;
    private final String clusterId;
    private final String master;
    private final Application application;

    /** What both sides run: spark-submit's arguments after the master, and the environment a direct launch needs. */
    record Application(String description, List<String> submitArguments, Map<String, String> directEnvironment) {}

    private StepOverheadBenchmark(EmrClient emr, Path work, String clusterId, String master, Application application) {
        this.emr = emr;
        this.work = work;
        this.clusterId = clusterId;
        this.master = master;
        this.application = application;
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        run(runs, batch, (work, clusterDirectory) -> new Application("no-op application (io.hearth.spark.examples.NoOp)",
                List.of("--class", "io.hearth.spark.examples.NoOp", Distribution.examplesJar()), Map.of()));
    }

    /** The application, made once the benchmark's cluster is up (its work directory holds the cluster's conf and Python). */
    interface ApplicationFactory {
        Application create(Path work, Path clusterDirectory) throws IOException;
    }

    static void run(int runs, int batch, ApplicationFactory applications) throws Exception {
        Path work = Files.createTempDirectory("hearth-bench-");
        printMachine();
        try (HearthProcess hearth = HearthProcess.start(work.resolve("data"), HearthProcess.freePort(), Map.of())) {
            EmrClient emr = hearth.emr();
            String clusterId = createCluster(emr, singleInstanceCluster("step overhead").toBuilder().stepConcurrencyLevel(2).build());
            while (emr.describeCluster(r -> r.clusterId(clusterId)).cluster().status().state() != ClusterState.WAITING) {
                Thread.sleep(50);
            }
            String master = Files.readAllLines(work.resolve("data/clusters").resolve(clusterId).resolve("conf/spark-defaults.conf")).stream()
                    .filter(line -> line.startsWith("spark.master=")).findFirst().orElseThrow().substring("spark.master=".length()).replace("\\", "");
            Application application = applications.create(work, work.resolve("data/clusters").resolve(clusterId));
            StepOverheadBenchmark bench = new StepOverheadBenchmark(emr, work, clusterId, master, application);
            System.out.printf("Cluster %s: one m5.xlarge, steps run with --master %s; direct launches use the same master.%n", clusterId, master);
            System.out.printf("Application: %s%n%n", application.description());
            bench.single(runs);
            if (batch > 0) {
                bench.batch(batch);
            }
            emr.terminateJobFlows(r -> r.jobFlowIds(clusterId));
        }
    }

    private void single(int runs) throws Exception {
        System.out.println("Warming up (one untimed run of each) ...");
        runStep();
        runDirect(0);
        List<Double> steps = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        System.out.println("Single application, interleaved:");
        System.out.println("  run   step (s)   direct (s)");
        for (int i = 1; i <= runs; i++) {
            steps.add(runStep());
            direct.add(runDirect(i));
            System.out.printf(Locale.ROOT, "  %3d   %8.2f   %10.2f%n", i, steps.get(i - 1), direct.get(i - 1));
        }
        double stepMedian = median(steps);
        double directMedian = median(direct);
        System.out.printf(Locale.ROOT, "  median %6.2f   %10.2f   ratio step/direct = %.3f (goal <= 1.10)%n", stepMedian, directMedian, stepMedian / directMedian);
        System.out.printf(Locale.ROOT, "  mean   %6.2f   %10.2f   ratio step/direct = %.3f%n%n", mean(steps), mean(direct), mean(steps) / mean(direct));
    }

    private void batch(int size) throws Exception {
        System.out.printf("Batch of %d applications, two at a time:%n", size);
        long start = System.nanoTime();
        List<StepConfig> configs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            configs.add(noOpStep("batch " + i));
        }
        List<String> ids = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(configs)).stepIds();
        for (String id : ids) {
            awaitEnd(id);
        }
        double stepSeconds = (System.nanoTime() - start) / 1e9;

        ExecutorService two = Executors.newFixedThreadPool(2);
        long directStart = System.nanoTime();
        List<Future<Double>> launches = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int index = 1000 + i;
            launches.add(two.submit(() -> runDirect(index)));
        }
        for (Future<Double> launch : launches) {
            launch.get();
        }
        double directSeconds = (System.nanoTime() - directStart) / 1e9;
        two.shutdown();
        System.out.printf(Locale.ROOT, "  steps at concurrency 2: %.2f s   direct, 2 at a time: %.2f s   ratio = %.3f (goal <= 1.10)%n",
                stepSeconds, directSeconds, stepSeconds / directSeconds);
    }

    private StepConfig noOpStep(String name) {
        List<String> args = new ArrayList<>(List.of("spark-submit"));
        args.addAll(application.submitArguments());
        return StepConfig.builder().name(name).actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar").args(args).build()).build();
    }

    /** Seconds from AddJobFlowSteps to seeing COMPLETED. */
    private double runStep() throws InterruptedException {
        long start = System.nanoTime();
        String stepId = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(noOpStep("single"))).stepIds().get(0);
        StepState state = awaitEnd(stepId);
        if (state != StepState.COMPLETED) {
            throw new IllegalStateException("Step " + stepId + " ended " + state);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private StepState awaitEnd(String stepId) throws InterruptedException {
        while (true) {
            StepState state = emr.describeStep(r -> r.clusterId(clusterId).stepId(stepId)).step().status().state();
            if (ENDED.contains(state)) {
                return state;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Seconds to run spark-submit directly, as a user would, until it exits. */
    private double runDirect(int index) throws IOException, InterruptedException {
        return new DirectSparkSubmit(master, work.resolve("direct")).withEnvironment(application.directEnvironment())
                .run(Integer.toString(index), application.submitArguments().toArray(String[]::new)).seconds();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static void printMachine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                .findFirst().map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown CPU");
        long memoryKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(line -> line.startsWith("MemTotal"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", ""))).findFirst().orElse(0L);
        System.out.printf(Locale.ROOT, "Machine: %d cores (%s), %.1f GiB RAM, Java %s, %s %s%n", Runtime.getRuntime().availableProcessors(), cpu,
                memoryKb / 1024.0 / 1024.0, System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.version"));
        System.out.println("Started " + java.time.Instant.now() + "; timings are wall-clock seconds" + System.lineSeparator());
    }

    static Duration seconds(double value) {
        return Duration.ofMillis((long) (value * 1000));
    }
}
