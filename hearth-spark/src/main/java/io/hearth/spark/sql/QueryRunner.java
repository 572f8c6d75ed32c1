package io.hearth.spark.sql;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.CommandResultExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.functions;
import scala.Option;

/**
 * Runs the engine's queries, each on a thread of its own, in a session of its own (its own current database) and in a
 * Spark job group named by the query id, so that it can be cancelled and its scans counted. A query's rows go to its
 * result file as Athena's CSV while Spark produces them.
 */
final class QueryRunner implements ScanMetrics.Cutoff {
    private static final int KEPT_ENDED = 10_000;
    private static final long LISTENER_DRAIN_MILLIS = 2_000;

    private final SparkSession spark;
    private final ScanMetrics scans = new ScanMetrics(this);
    private final Map<String, EngineQuery> queries = new LinkedHashMap<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(daemonThreads());

    QueryRunner(SparkSession spark) {
        this.spark = spark;
        spark.sparkContext().addSparkListener(scans);
    }

    /** Starts the query, or returns the one already given with that id (Hearth may send it again after a timeout). */
    EngineQuery submit(EngineQuery.Request request) {
        EngineQuery query;
        synchronized (queries) {
            EngineQuery known = queries.get(request.id());
            if (known != null) {
                return known;
            }
            query = new EngineQuery(request);
            queries.put(request.id(), query);
            forgetOldest();
        }
        scans.track(request.id(), request.maxBytesScanned());
        threads.execute(() -> run(query));
        return query;
    }

    Optional<EngineQuery> find(String id) {
        synchronized (queries) {
            return Optional.ofNullable(queries.get(id));
        }
    }

    EngineQuery.Status status(EngineQuery query) {
        return query.status(scans.bytes(query.request().id()));
    }

    int running() {
        synchronized (queries) {
            return (int) queries.values().stream().filter(query -> !query.ended()).count();
        }
    }

    /** Cancels the query's Spark jobs; it ends CANCELLED with {@code reason}. False if it had ended already. */
    boolean cancel(EngineQuery query, String reason) {
        if (!query.cancelling(reason)) {
            return false;
        }
        spark.sparkContext().cancelJobGroup(query.request().id());
        return true;
    }

    @Override
    public void exceeded(String group, long bytes, long limit) {
        find(group).ifPresent(query -> cancel(query, overLimit(bytes, limit)));
    }

    /** A cancel that came before the query's job started: Spark's cancelJobGroup stops only the jobs running then. */
    @Override
    public void jobStarted(String group, int jobId) {
        find(group).filter(EngineQuery::cancelRequested).ifPresent(query -> spark.sparkContext().cancelJob(jobId));
    }

    private static String overLimit(long bytes, long limit) {
        return "Query exhausted the bytes scanned limit: it read " + bytes + " bytes, the work group allows " + limit
                + " per query (BytesScannedCutoffPerQuery)";
    }

    /**
     * Stops counting the query's scans; returns the bytes it read. A query that read more than its limit ends CANCELLED
     * even when its last tasks ended before the listener heard of them.
     */
    private long scanned(EngineQuery query) {
        long bytes = scans.release(query.request().id());
        long limit = query.request().maxBytesScanned();
        if (limit > 0 && bytes > limit) {
            query.cancelling(overLimit(bytes, limit));
        }
        return bytes;
    }

    private void run(EngineQuery query) {
        EngineQuery.Request request = query.request();
        SparkContext context = spark.sparkContext();
        context.setJobGroup(request.id(), "Hearth query " + request.id(), true);
        try {
            SparkSession session = spark.newSession();
            // A new session starts in "default"; naming another database costs a metastore call.
            if (request.database() != null && !request.database().isBlank() && !request.database().equalsIgnoreCase("default")) {
                session.catalog().setCurrentDatabase(request.database());
            }
            Dataset<Row> result = session.sql(request.sql());
            Path file = Path.of(request.resultFile());
            Files.createDirectories(file.getParent());
            if (StatementType.returnsRows(request.sql())) {
                long rows = write(result, file);
                scans.catchUp(context, request.id(), LISTENER_DRAIN_MILLIS);
                query.succeeded(ResultColumn.of(result.schema()), rows, null, scanned(query));
            } else {
                Files.writeString(file, "", StandardCharsets.UTF_8);
                Long planned = writtenRows(result);
                scans.catchUp(context, request.id(), LISTENER_DRAIN_MILLIS);
                long counted = scans.written(request.id());
                query.succeeded(List.of(), 0, planned != null && planned > 0 ? planned : counted > 0 ? Long.valueOf(counted) : planned,
                        scanned(query));
            }
        } catch (Exception | LinkageError e) {
            boolean byUser = e instanceof AnalysisException;
            String type = e instanceof SparkThrowable sparkError && sparkError.getErrorClass() != null ? sparkError.getErrorClass()
                    : e.getClass().getSimpleName();
            query.failed(message(e), type, byUser, scans.release(request.id()));
        } finally {
            context.clearJobGroup();
        }
    }

    /** The rows as strings (Spark's casts), written as Athena's CSV with a header; returns how many. */
    private static long write(Dataset<Row> result, Path file) throws IOException {
        String[] names = result.columns();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            positional.add("c" + i);
        }
        Dataset<Row> renamed = result.toDF(positional.toArray(String[]::new));
        Column[] asText = positional.stream().map(name -> functions.col(name).cast("string")).toArray(Column[]::new);
        long rows = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            AthenaCsv csv = new AthenaCsv(out);
            csv.header(List.of(names));
            Iterator<Row> iterator = renamed.select(asText).toLocalIterator();
            List<String> values = new ArrayList<>(names.length);
            while (iterator.hasNext()) {
                Row row = iterator.next();
                values.clear();
                for (int i = 0; i < names.length; i++) {
                    values.add(row.isNullAt(i) ? null : row.getString(i));
                }
                csv.line(values);
                rows++;
            }
        }
        return rows;
    }

    /** The rows an INSERT or CTAS wrote, from its write command's metrics; null when the plan does not say. */
    /** The rows a write command reports in its plan's metrics (INSERT); null when its plan has none (some CTAS forms). */
    static Long writtenRows(Dataset<Row> result) {
        SparkPlan plan = result.queryExecution().executedPlan();
        if (plan instanceof CommandResultExec command) {
            plan = command.commandPhysicalPlan();
        }
        Option<SQLMetric> rows = plan.metrics().get("numOutputRows");
        return rows.isDefined() ? rows.get().value() : null;
    }

    private static String message(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : message;
    }

    private void forgetOldest() {
        if (queries.size() <= KEPT_ENDED) {
            return;
        }
        Iterator<EngineQuery> oldest = queries.values().iterator();
        while (queries.size() > KEPT_ENDED && oldest.hasNext()) {
            if (oldest.next().ended()) {
                oldest.remove();
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "hearth-sql-query-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
