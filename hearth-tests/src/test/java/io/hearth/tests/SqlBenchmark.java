package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.singleInstanceCluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.StepState;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * bench/sql: the same two queries, {@code SELECT 1} and a group-by over a 1,000,000-row Parquet table, on the same warm
 * SQL engine, (a) through JDBC (the Hive JDBC driver of the Spark runtime, as beeline uses it), (b) through the Athena
 * API with a client polling GetQueryExecution every 10 ms, then GetQueryResults, (c) the engine's own time for the
 * query (EngineExecutionTimeInMillis of the Athena runs: from {@code spark.sql} to the last row written), and (d) a
 * {@code spark-sql -e} step on a cluster, the way SQL ran before the engine. (a) and (b) are interleaved run by run.
 * Hearth runs as its own process ({@code bin/hearth up}). Usage: {@code SqlBenchmark [runs] [step runs]} (30 and 5).
 */
public final class SqlBenchmark {
    private static final long POLL_MILLIS = 10;
    private static final Set<QueryExecutionState> ENDED = Set.of(QueryExecutionState.SUCCEEDED, QueryExecutionState.FAILED,
            QueryExecutionState.CANCELLED);
    private static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        QUERIES.put("SELECT 1", "SELECT 1");
        QUERIES.put("group-by over 1M rows", "SELECT k, count(*) AS n, avg(v) AS mean FROM bench.events GROUP BY k ORDER BY k");
    }

    private final AthenaClient athena;

    private SqlBenchmark(AthenaClient athena) {
        this.athena = athena;
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int stepRuns = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path work = Files.createTempDirectory("hearth-bench-sql-");
        StepOverheadBenchmark.printMachine();
        try (HearthProcess hearth = HearthProcess.start(work.resolve("data"), HearthProcess.freePort(), Map.of())) {
            StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIABENCH", "secret"));
            try (AthenaClient athena = AthenaClient.builder().endpointOverride(hearth.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
                    S3Client s3 = S3Client.builder().endpointOverride(hearth.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                            .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
                s3.createBucket(r -> r.bucket("bench"));
                SqlBenchmark bench = new SqlBenchmark(athena);
                System.out.println("Starting the SQL engine and writing the 1,000,000-row Parquet table ...");
                bench.athena("CREATE DATABASE IF NOT EXISTS bench");
                bench.athena("CREATE TABLE bench.events USING parquet LOCATION 's3://bench/events/' AS "
                        + "SELECT id, CAST(id % 100 AS INT) AS k, rand(7) AS v FROM range(0, 1000000, 1, 4)");
                int jdbcPort = new ObjectMapper().readTree(work.resolve("data/sql/engine-process.json").toFile()).path("jdbcPort").asInt();
                List<Measured> measured = new ArrayList<>();
                try (Connection jdbc = hiveDriver().connect("jdbc:hive2://127.0.0.1:" + jdbcPort + "/default", new Properties())) {
                    System.out.printf(Locale.ROOT, "JDBC: jdbc:hive2://127.0.0.1:%d/default; %d runs of each query and client, interleaved%n",
                            jdbcPort, runs);
                    for (String sql : QUERIES.values()) {
                        measured.add(bench.measure(sql, jdbc, runs));
                    }
                }
                System.out.println("(c): spark.sql(...).collect() in a warm Spark application with the engine's configuration ...");
                List<List<Double>> inProcess = inProcess(work.resolve("data/sql/conf"), runs);
                System.out.println();
                int index = 0;
                for (Map.Entry<String, String> query : QUERIES.entrySet()) {
                    measured.get(index).print(query.getKey() + " (" + query.getValue() + ")", inProcess.get(index));
                    index++;
                }
                if (stepRuns > 0) {
                    bench.steps(hearth.emr(), stepRuns);
                }
            }
        }
    }

    /** The Hive JDBC driver from the distribution's Spark runtime, the one beeline uses. */
    private static Driver hiveDriver() throws Exception {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(Distribution.sparkHome().resolve("jars"))) {
            for (Path jar : files.filter(file -> file.toString().endsWith(".jar")).toList()) {
                jars.add(jar.toUri().toURL());
            }
        }
        ClassLoader loader = new URLClassLoader(jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        return (Driver) Class.forName("org.apache.hive.jdbc.HiveDriver", true, loader).getDeclaredConstructor().newInstance();
    }

    /** What one query measured through each client; (c) comes from another application, so it is given to print. */
    private record Measured(List<Double> viaJdbc, List<Double> viaAthena, List<Double> engineReported) {
        void print(String name, List<Double> inProcess) {
            System.out.println(name + ":");
            System.out.println("                                      p50 ms    p95 ms    min ms    max ms");
            SqlBenchmark.print("(a) JDBC", viaJdbc);
            SqlBenchmark.print("(b) Athena API, 10 ms polls", viaAthena);
            SqlBenchmark.print("(c) spark.sql().collect()", inProcess);
            SqlBenchmark.print("    engine time Athena reports", engineReported);
            double c = percentile(inProcess, 50);
            System.out.printf(Locale.ROOT, "  goals at p50: (a) - (c) = %.1f ms (goal <= 25), (b) - (c) = %.1f ms (goal <= 50)%n%n",
                    percentile(viaJdbc, 50) - c, percentile(viaAthena, 50) - c);
        }
    }

    private Measured measure(String sql, Connection jdbc, int runs) throws Exception {
        List<Double> viaJdbc = new ArrayList<>();
        List<Double> viaAthena = new ArrayList<>();
        List<Double> inEngine = new ArrayList<>();
        jdbcRun(jdbc, sql);
        athena(sql);
        for (int run = 0; run < runs; run++) {
            // Which client goes first alternates, so neither always meets a warmer engine.
            if (run % 2 == 0) {
                viaJdbc.add(jdbcRun(jdbc, sql));
            }
            Timed timed = athena(sql);
            viaAthena.add(timed.millis());
            inEngine.add(timed.engineMillis());
            if (run % 2 == 1) {
                viaJdbc.add(jdbcRun(jdbc, sql));
            }
        }
        return new Measured(viaJdbc, viaAthena, inEngine);
    }

    /** Runs io.hearth.spark.bench.SqlInProcess with the engine's configuration; its timings, query by query. */
    private static List<List<Double>> inProcess(Path engineConf, int runs) {
        List<String> command = new ArrayList<>(List.of(Distribution.sparkHome().resolve("bin/spark-submit").toString(), "--class",
                "io.hearth.spark.bench.SqlInProcess", "--conf", "spark.ui.enabled=false", "spark-internal", Integer.toString(runs)));
        command.addAll(QUERIES.values());
        ExternalCommand.Result result = ExternalCommand.run(command, Map.of("SPARK_HOME", Distribution.sparkHome().toString(),
                "SPARK_CONF_DIR", engineConf.toString(), "SPARK_LOCAL_IP", "127.0.0.1", "JAVA_HOME", System.getProperty("java.home")), null, 1200);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("SqlInProcess failed: " + result.stderr());
        }
        List<List<Double>> times = new ArrayList<>();
        result.stdout().lines().filter(line -> line.startsWith("TIMES ")).forEach(line -> times.add(
                Stream.of(line.split(" ")).skip(2).map(Double::parseDouble).toList()));
        return times;
    }

    private static double jdbcRun(Connection jdbc, String sql) throws Exception {
        long start = System.nanoTime();
        try (Statement statement = jdbc.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                rows.getObject(1);
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private record Timed(double millis, double engineMillis) {}

    /** One query through the Athena API: start, poll every 10 ms, read the first page of results. */
    private Timed athena(String sql) throws InterruptedException {
        long start = System.nanoTime();
        String id = athena.startQueryExecution(r -> r.queryString(sql).resultConfiguration(c -> c.outputLocation("s3://bench/results/")))
                .queryExecutionId();
        QueryExecution execution = athena.getQueryExecution(r -> r.queryExecutionId(id)).queryExecution();
        while (!ENDED.contains(execution.status().state())) {
            Thread.sleep(POLL_MILLIS);
            execution = athena.getQueryExecution(r -> r.queryExecutionId(id)).queryExecution();
        }
        if (execution.status().state() != QueryExecutionState.SUCCEEDED) {
            throw new IllegalStateException(sql + ": " + execution.status().stateChangeReason());
        }
        athena.getQueryResults(r -> r.queryExecutionId(id));
        return new Timed((System.nanoTime() - start) / 1e6, execution.statistics().engineExecutionTimeInMillis());
    }

    /** (d): each query as a {@code spark-sql -e} step on a one-instance cluster, AddJobFlowSteps to COMPLETED. */
    private void steps(EmrClient emr, int runs) throws Exception {
        String clusterId = createCluster(emr, singleInstanceCluster("sql bench").toBuilder().build());
        while (emr.describeCluster(r -> r.clusterId(clusterId)).cluster().status().state() != ClusterState.WAITING) {
            Thread.sleep(50);
        }
        System.out.printf(Locale.ROOT, "(d) spark-sql -e as a step, %d runs of each query:%n", runs);
        for (Map.Entry<String, String> query : QUERIES.entrySet()) {
            List<Double> times = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                long start = System.nanoTime();
                String stepId = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(s -> s.name("spark-sql").actionOnFailure(ActionOnFailure.CONTINUE)
                        .hadoopJarStep(j -> j.jar("command-runner.jar").args("spark-sql", "-e", query.getValue())))).stepIds().get(0);
                StepState state;
                do {
                    Thread.sleep(100);
                    state = emr.describeStep(r -> r.clusterId(clusterId).stepId(stepId)).step().status().state();
                } while (state == StepState.PENDING || state == StepState.RUNNING);
                if (state != StepState.COMPLETED) {
                    throw new IllegalStateException("The spark-sql step ended " + state);
                }
                times.add((System.nanoTime() - start) / 1e6);
            }
            System.out.println("  " + query.getKey() + ":");
            print("(d) spark-sql step", times);
        }
        emr.terminateJobFlows(r -> r.jobFlowIds(clusterId));
    }

    private static void print(String label, List<Double> millis) {
        System.out.printf(Locale.ROOT, "  %-34s %8.1f  %8.1f  %8.1f  %8.1f%n", label, percentile(millis, 50), percentile(millis, 95),
                Collections.min(millis), Collections.max(millis));
    }

    /** The nearest-rank percentile. */
    static double percentile(List<Double> values, int percent) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
