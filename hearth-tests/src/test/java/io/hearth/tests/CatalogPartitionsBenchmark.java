package io.hearth.tests;

import io.hearth.server.catalog.metastore.MetastoreClient;
import io.hearth.server.config.CatalogConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.thrift.TException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.GetPartitionsResponse;
import software.amazon.awssdk.services.glue.model.PartitionInput;
import software.amazon.awssdk.services.glue.model.TableInput;

/**
 * bench/catalog-partitions: Glue partition calls against the same lookups made directly on the
 * metastore's thrift API, on tables of 10,000 and 100,000 daily partitions ({@code dt} strings).
 * <ol>
 *   <li>BatchCreatePartition throughput (100 per call) filling both tables, against the metastore's
 *       own add_partitions (100 per call) filling a third table of 10,000;</li>
 *   <li>GetPartitions with an expression selecting 1% of the 100,000 (one page of 1,000), against
 *       get_partitions_by_filter with the same filter, interleaved, p50 and p95; the goal is the
 *       Glue call within 1.5 times the direct call plus one HTTP round trip (measured as a plain GET
 *       of Hearth's status page);</li>
 *   <li>the same with an expression selecting 100 partitions on both tables: the p50 at 100,000
 *       should be at most twice the p50 at 10,000;</li>
 *   <li>a full paginated GetPartitions scan of the 100,000 (pages of 1,000) against one
 *       get_partitions call.</li>
 * </ol>
 * Hearth runs as its own process ({@code bin/hearth up}). Usage: {@code CatalogPartitionsBenchmark
 * [large partitions] [samples]} (defaults 100000 and 30).
 */
public final class CatalogPartitionsBenchmark {
    private static final String DB = "bench";
    private static final LocalDate FIRST_DAY = LocalDate.of(1800, 1, 1);

    private final GlueClient glue;
    private final MetastoreClient metastore;
    private final URI endpoint;
    private final HttpClient http = HttpClient.newHttpClient();

    private CatalogPartitionsBenchmark(GlueClient glue, MetastoreClient metastore, URI endpoint) {
        this.glue = glue;
        this.metastore = metastore;
        this.endpoint = endpoint;
    }

    public static void main(String[] args) throws Exception {
        int large = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int small = large / 10;
        Path work = Files.createTempDirectory("hearth-bench-catalog-");
        StepOverheadBenchmark.printMachine();
        int metastorePort = HearthProcess.freePort();
        try (HearthProcess hearth = HearthProcess.start(work.resolve("data"), HearthProcess.freePort(),
                Map.of(CatalogConfig.PORT.key(), Integer.toString(metastorePort)));
                GlueClient glue = GlueClient.builder().endpointOverride(hearth.endpoint()).region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIABENCH", "secret")))
                        .httpClient(UrlConnectionHttpClient.create()).build();
                MetastoreClient metastore = new MetastoreClient("127.0.0.1", metastorePort, 600_000)) {
            CatalogPartitionsBenchmark bench = new CatalogPartitionsBenchmark(glue, metastore, hearth.endpoint());
            glue.createDatabase(r -> r.databaseInput(d -> d.name(DB)));
            System.out.printf(Locale.ROOT, "Tables of daily partitions (dt string), Parquet, locations under s3://bench/; metastore on embedded Derby.%n%n");

            System.out.println("Filling the tables:");
            double largeRate = bench.fillThroughGlue("days_large", large);
            double smallRate = bench.fillThroughGlue("days_small", small);
            double directRate = bench.fillDirectly("days_direct", small);
            System.out.printf(Locale.ROOT, "  BatchCreatePartition: %,.0f partitions/s (%,d partitions), %,.0f partitions/s (%,d)%n", largeRate, large,
                    smallRate, small);
            System.out.printf(Locale.ROOT, "  metastore add_partitions, 100 per call: %,.0f partitions/s (%,d); Glue/direct = %.2f%n%n", directRate, small,
                    smallRate / directRate);

            double roundTrip = percentile(bench.sample(samples, i -> bench.statusPage()), 50);
            System.out.printf(Locale.ROOT, "HTTP round trip (GET / on Hearth's port): p50 %.2f ms%n%n", roundTrip);

            int onePercent = large / 100;
            bench.compare("1% of " + String.format(Locale.ROOT, "%,d", large) + " (" + onePercent + " partitions)", "days_large", large, onePercent,
                    samples, roundTrip);
            double smallP50 = bench.compare("100 of " + String.format(Locale.ROOT, "%,d", small), "days_small", small, 100, samples, roundTrip);
            double largeP50 = bench.compare("100 of " + String.format(Locale.ROOT, "%,d", large), "days_large", large, 100, samples, roundTrip);
            System.out.printf(Locale.ROOT, "Table size: Glue p50 for 100 partitions at %,d = %.2f ms, at %,d = %.2f ms; ratio %.2f (goal <= 2)%n%n",
                    large, largeP50, small, smallP50, largeP50 / smallP50);

            bench.fullScan("days_large", large);
        }
    }

    private double fillThroughGlue(String table, int count) {
        createTable(table);
        long start = System.nanoTime();
        for (int first = 0; first < count; first += 100) {
            List<PartitionInput> batch = new ArrayList<>();
            for (int i = first; i < Math.min(count, first + 100); i++) {
                batch.add(PartitionInput.builder().values(day(i)).build());
            }
            var errors = glue.batchCreatePartition(r -> r.databaseName(DB).tableName(table).partitionInputList(batch)).errors();
            if (!errors.isEmpty()) {
                throw new IllegalStateException("BatchCreatePartition failed: " + errors.get(0));
            }
            progress(table, first + batch.size(), count);
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private double fillDirectly(String table, int count) throws TException {
        createTable(table);
        org.apache.hadoop.hive.metastore.api.Table hive = metastore.call(client -> client.get_table(DB, table));
        long start = System.nanoTime();
        for (int first = 0; first < count; first += 100) {
            List<Partition> batch = new ArrayList<>();
            for (int i = first; i < Math.min(count, first + 100); i++) {
                StorageDescriptor sd = hive.getSd().deepCopy();
                sd.setLocation(hive.getSd().getLocation() + "/dt=" + day(i));
                batch.add(new Partition(List.of(day(i)), DB, table, (int) (System.currentTimeMillis() / 1000), 0, sd, Map.of()));
            }
            metastore.call(client -> client.add_partitions(batch));
            progress(table, first + batch.size(), count);
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private void createTable(String table) {
        glue.createTable(r -> r.databaseName(DB).tableInput(TableInput.builder().name(table).tableType("EXTERNAL_TABLE")
                .partitionKeys(Column.builder().name("dt").type("string").build())
                .storageDescriptor(s -> s.columns(Column.builder().name("user_id").type("bigint").build(), Column.builder().name("action").type("string").build())
                        .location("s3://bench/" + table + "/")
                        .inputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat")
                        .outputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat")
                        .serdeInfo(d -> d.serializationLibrary("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe")))
                .build()));
    }

    /** Interleaved samples of the Glue call and the direct call for a range of {@code selected} days; returns the Glue p50. */
    private double compare(String label, String table, int size, int selected, int samples, double roundTrip) throws Exception {
        // A range in the middle of the table.
        int first = (size - selected) / 2;
        String from = day(first);
        String to = day(first + selected - 1);
        String expression = "dt BETWEEN '" + from + "' AND '" + to + "'";
        String filter = "dt >= \"" + from + "\" and dt <= \"" + to + "\"";
        List<Double> viaGlue = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        for (int i = -3; i < samples; i++) {
            long start = System.nanoTime();
            GetPartitionsResponse response = glue.getPartitions(r -> r.databaseName(DB).tableName(table).expression(expression));
            double glueMillis = (System.nanoTime() - start) / 1e6;
            start = System.nanoTime();
            List<Partition> partitions = metastore.call(client -> client.get_partitions_by_filter(DB, table, filter, (short) -1));
            double directMillis = (System.nanoTime() - start) / 1e6;
            if (response.partitions().size() != selected || partitions.size() != selected || response.nextToken() != null) {
                throw new IllegalStateException("Expected " + selected + " partitions, got " + response.partitions().size() + " and " + partitions.size());
            }
            if (i >= 0) {
                viaGlue.add(glueMillis);
                direct.add(directMillis);
            }
        }
        double glueP50 = percentile(viaGlue, 50);
        double directP50 = percentile(direct, 50);
        System.out.printf(Locale.ROOT, "GetPartitions, %s, %d interleaved samples:%n", label, samples);
        System.out.printf(Locale.ROOT, "  Glue GetPartitions:            p50 %8.2f ms   p95 %8.2f ms%n", glueP50, percentile(viaGlue, 95));
        System.out.printf(Locale.ROOT, "  get_partitions_by_filter:      p50 %8.2f ms   p95 %8.2f ms%n", directP50, percentile(direct, 95));
        System.out.printf(Locale.ROOT, "  Glue p50 / (1.5 x direct p50 + round trip) = %.2f (goal <= 1)%n%n", glueP50 / (1.5 * directP50 + roundTrip));
        return glueP50;
    }

    private void fullScan(String table, int count) throws Exception {
        System.out.printf(Locale.ROOT, "Full scan of %,d partitions (Glue pages of 1,000 against one get_partitions call), 3 runs each:%n", count);
        List<Double> viaGlue = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            long start = System.nanoTime();
            int seen = 0;
            String token = null;
            do {
                String next = token;
                GetPartitionsResponse page = glue.getPartitions(r -> r.databaseName(DB).tableName(table).nextToken(next));
                seen += page.partitions().size();
                token = page.nextToken();
            } while (token != null);
            viaGlue.add((System.nanoTime() - start) / 1e6);
            start = System.nanoTime();
            int all = metastore.call(client -> client.get_partitions(DB, table, (short) -1)).size();
            direct.add((System.nanoTime() - start) / 1e6);
            if (seen != count || all != count) {
                throw new IllegalStateException("Full scan saw " + seen + " and " + all + " partitions, expected " + count);
            }
        }
        System.out.printf(Locale.ROOT, "  Glue, paginated:   median %8.0f ms (%s)%n", percentile(viaGlue, 50), viaGlue);
        System.out.printf(Locale.ROOT, "  get_partitions:    median %8.0f ms (%s)%n", percentile(direct, 50), direct);
        System.out.printf(Locale.ROOT, "  ratio Glue/direct = %.2f%n", percentile(viaGlue, 50) / percentile(direct, 50));
    }

    private double statusPage() {
        try {
            long start = System.nanoTime();
            http.send(HttpRequest.newBuilder(endpoint).GET().build(), HttpResponse.BodyHandlers.discarding());
            return (System.nanoTime() - start) / 1e6;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<Double> sample(int samples, IntFunction<Double> measure) {
        List<Double> values = new ArrayList<>();
        for (int i = -3; i < samples; i++) {
            double value = measure.apply(i);
            if (i >= 0) {
                values.add(value);
            }
        }
        return values;
    }

    private static String day(int index) {
        return FIRST_DAY.plusDays(index).toString();
    }

    private static void progress(String table, int done, int count) {
        if (done % 10_000 == 0 || done == count) {
            System.out.printf(Locale.ROOT, "  %s: %,d / %,d%n", table, done, count);
        }
    }

    static double percentile(List<Double> values, int percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
