package io.hearth.server.sweep;

import static java.util.Objects.requireNonNull;

import io.hearth.server.catalog.metastore.MetastoreServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.thrift.TException;

/**
 * A sweep's leaderboard as a catalog table, {@code hearth_sweeps.<sweep id>} (for example
 * {@code hearth_sweeps.sw_k2j4...}), so it can be queried with SQL from any step or with the Glue API.
 * The rows are a tab-separated file under the sweep's folder, rewritten whole each time; the
 * table is created once over that folder.
 */
final class LeaderboardTable {
    static final String DATABASE = "hearth_sweeps";
    /** The test metrics that get a column of their own; a task kind fills the ones it has. */
    static final List<String> METRIC_COLUMNS = List.of("auc_roc", "auc_pr", "accuracy", "f1", "precision", "recall", "log_loss", "rmse", "mae", "r2");
    private static final Duration READY_WAIT = Duration.ofSeconds(60);

    private final MetastoreServer metastore;
    private final Path sweepsDirectory;

    LeaderboardTable(MetastoreServer metastore, Path sweepsDirectory) {
        this.metastore = requireNonNull(metastore, "metastore is null");
        this.sweepsDirectory = requireNonNull(sweepsDirectory, "sweepsDirectory is null");
    }

    static String tableName(String sweepId) {
        return sweepId.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /** Writes the rows, then makes sure the table exists; returns {@code database.table}. */
    String publish(Leaderboard leaderboard) throws IOException, TException, InterruptedException {
        Path folder = sweepsDirectory.resolve(leaderboard.sweepId()).resolve("leaderboard");
        Files.createDirectories(folder);
        Path file = folder.resolve("leaderboard.tsv");
        Path temporary = sweepsDirectory.resolve(leaderboard.sweepId()).resolve(".leaderboard.tsv.tmp");
        Files.writeString(temporary, rows(leaderboard), StandardCharsets.UTF_8);
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
        metastore.awaitReady(READY_WAIT);
        String table = tableName(leaderboard.sweepId());
        metastore.client().call(client -> {
            try {
                client.get_database(DATABASE);
            } catch (NoSuchObjectException e) {
                client.create_database(new Database(DATABASE, "Leaderboards of Hearth sweeps, one table per sweep", null, Map.of()));
            }
            try {
                client.get_table(DATABASE, table);
            } catch (NoSuchObjectException e) {
                client.create_table(definition(table, leaderboard.sweepId(), folder));
            }
            return null;
        });
        return DATABASE + "." + table;
    }

    private static Table definition(String name, String sweepId, Path folder) {
        List<FieldSchema> columns = new ArrayList<>();
        columns.add(new FieldSchema("rank", "int", "1 for the best; empty for a task that did not succeed"));
        columns.add(new FieldSchema("task_id", "string", null));
        columns.add(new FieldSchema("description", "string", null));
        columns.add(new FieldSchema("label", "string", null));
        columns.add(new FieldSchema("model", "string", "model.type of the task's spec"));
        columns.add(new FieldSchema("state", "string", null));
        columns.add(new FieldSchema("attempt", "int", null));
        columns.add(new FieldSchema("metric", "string", "what rank orders by, as split.name"));
        columns.add(new FieldSchema("value", "double", "the ranking metric's value"));
        for (String metric : METRIC_COLUMNS) {
            columns.add(new FieldSchema("test_" + metric, "double", null));
        }
        columns.add(new FieldSchema("duration_seconds", "double", null));
        columns.add(new FieldSchema("best", "boolean", "the best model of its label"));
        columns.add(new FieldSchema("model_id", "string", "the model's id in the registry"));
        columns.add(new FieldSchema("application_id", "string", null));
        columns.add(new FieldSchema("reason", "string", "why the task did not succeed"));
        SerDeInfo serde = new SerDeInfo(null, "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", Map.of("field.delim", "\t", "serialization.format", "\t"));
        StorageDescriptor sd = new StorageDescriptor();
        sd.setCols(columns);
        sd.setLocation(folder.toUri().toString());
        sd.setInputFormat("org.apache.hadoop.mapred.TextInputFormat");
        sd.setOutputFormat("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat");
        sd.setSerdeInfo(serde);
        sd.setBucketCols(List.of());
        sd.setSortCols(List.of());
        sd.setParameters(Map.of());
        Table table = new Table();
        table.setDbName(DATABASE);
        table.setTableName(name);
        table.setTableType("EXTERNAL_TABLE");
        table.setParameters(Map.of("EXTERNAL", "TRUE", "comment", "Leaderboard of sweep " + sweepId + " (written by Hearth)"));
        table.setSd(sd);
        table.setPartitionKeys(List.of());
        return table;
    }

    static String rows(Leaderboard leaderboard) {
        StringBuilder text = new StringBuilder();
        for (Leaderboard.Entry entry : leaderboard.entries()) {
            List<Object> values = new ArrayList<>();
            values.add(entry.rank());
            values.add(entry.taskId());
            values.add(entry.description());
            values.add(entry.label());
            values.add(entry.model());
            values.add(entry.state().name());
            values.add(entry.attempt());
            values.add(entry.value() == null ? null : leaderboard.metric());
            values.add(entry.value());
            for (String metric : METRIC_COLUMNS) {
                values.add(entry.test().get(metric));
            }
            values.add(entry.durationSeconds());
            values.add(entry.best());
            values.add(entry.modelId());
            values.add(entry.applicationId());
            values.add(entry.reason());
            for (int i = 0; i < values.size(); i++) {
                text.append(i == 0 ? "" : "\t").append(field(values.get(i)));
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** Hive's text form: \N for null, no tabs or line breaks inside a field. */
    private static String field(Object value) {
        if (value == null) {
            return "\\N";
        }
        return value.toString().replace('\t', ' ').replace('\r', ' ').replace('\n', ' ');
    }
}
