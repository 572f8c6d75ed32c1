package io.hearth.server.catalog.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.server.config.CatalogConfig;
import io.hearth.server.testing.TestingHearth;
import io.hearth.server.testing.TestingSparkRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.AlreadyExistsException;
import software.amazon.awssdk.services.glue.model.BatchCreatePartitionResponse;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.GetPartitionsResponse;
import software.amazon.awssdk.services.glue.model.GlueException;
import software.amazon.awssdk.services.glue.model.InvalidInputException;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.glue.model.PartitionError;
import software.amazon.awssdk.services.glue.model.PartitionInput;
import software.amazon.awssdk.services.glue.model.PartitionValueList;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.TableInput;

/** Glue partitions with the AWS SDK for Java v2, over the real metastore. */
class TestGluePartitions {
    private static final String DB = "events";
    private static TestingHearth hearth;
    private static GlueClient glue;

    @BeforeAll
    static void start() throws Exception {
        hearth = TestingHearth.builder().sparkHome(TestingSparkRuntime.assembled()).setting(CatalogConfig.ENABLED.key(), "true").start();
        hearth.server().catalog().awaitReady(Duration.ofMinutes(3));
        glue = hearth.glue();
        glue.createDatabase(r -> r.databaseInput(d -> d.name(DB)));
    }

    @AfterAll
    static void stop() {
        hearth.close();
    }

    /** A Parquet table partitioned by day (string) and hour (int). */
    private static void createTable(String name) {
        glue.createTable(r -> r.databaseName(DB).tableInput(TableInput.builder()
                .name(name)
                .tableType("EXTERNAL_TABLE")
                .partitionKeys(Column.builder().name("dt").type("string").build(), Column.builder().name("hour").type("int").build())
                .storageDescriptor(StorageDescriptor.builder()
                        .columns(Column.builder().name("user_id").type("bigint").build(), Column.builder().name("action").type("string").build())
                        .location("s3://lake/" + name + "/")
                        .inputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat")
                        .outputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat")
                        .serdeInfo(s -> s.serializationLibrary("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"))
                        .build())
                .build()));
    }

    private static PartitionInput partition(String table, String dt, String hour) {
        return PartitionInput.builder().values(dt, hour).parameters(Map.of("source", "test"))
                .storageDescriptor(StorageDescriptor.builder().location("s3://lake/" + table + "/dt=" + dt + "/hour=" + hour + "/")
                        .inputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat")
                        .outputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat")
                        .serdeInfo(s -> s.serializationLibrary("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"))
                        .build())
                .build();
    }

    private static void addDays(String table, int days, int hours) {
        List<PartitionInput> inputs = new ArrayList<>();
        for (int day = 1; day <= days; day++) {
            for (int hour = 0; hour < hours; hour++) {
                inputs.add(partition(table, String.format("2024-01-%02d", day), Integer.toString(hour)));
            }
        }
        for (int i = 0; i < inputs.size(); i += 100) {
            List<PartitionInput> batch = inputs.subList(i, Math.min(inputs.size(), i + 100));
            assertThat(glue.batchCreatePartition(r -> r.databaseName(DB).tableName(table).partitionInputList(batch)).errors()).isEmpty();
        }
    }

    private static List<String> matching(String table, String expression) {
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            GetPartitionsResponse page = glue.getPartitions(r -> r.databaseName(DB).tableName(table).expression(expression).nextToken(next));
            page.partitions().forEach(p -> names.add(String.join("/", p.values())));
            token = page.nextToken();
        } while (token != null);
        return names;
    }

    @Test
    void batchCreateReportsEachBadEntryAndCreatesTheRest() {
        createTable("clicks");
        glue.createPartition(r -> r.databaseName(DB).tableName("clicks").partitionInput(partition("clicks", "2024-01-01", "0")));
        BatchCreatePartitionResponse response = glue.batchCreatePartition(r -> r.databaseName(DB).tableName("clicks").partitionInputList(
                partition("clicks", "2024-01-01", "1"),
                partition("clicks", "2024-01-01", "0"),
                PartitionInput.builder().values("2024-01-01").build(),
                partition("clicks", "2024-01-01", "noon"),
                partition("clicks", "2024-01-02", "1"),
                partition("clicks", "2024-01-02", "1")));

        assertThat(response.errors()).extracting(PartitionError::partitionValues, e -> e.errorDetail().errorCode()).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(List.of("2024-01-01", "0"), "AlreadyExistsException"),
                org.assertj.core.groups.Tuple.tuple(List.of("2024-01-01"), "InvalidInputException"),
                org.assertj.core.groups.Tuple.tuple(List.of("2024-01-01", "noon"), "InvalidInputException"),
                org.assertj.core.groups.Tuple.tuple(List.of("2024-01-02", "1"), "AlreadyExistsException"));
        assertThat(response.errors()).filteredOn(e -> e.partitionValues().equals(List.of("2024-01-01"))).singleElement()
                .satisfies(e -> assertThat(e.errorDetail().errorMessage()).contains("has 1 value(s) but the table has 2 partition key(s) (dt, hour)"));
        assertThat(response.errors()).filteredOn(e -> e.partitionValues().equals(List.of("2024-01-01", "noon"))).singleElement()
                .satisfies(e -> assertThat(e.errorDetail().errorMessage()).contains("'noon' is not a valid value for partition key 'hour' of type int"));
        assertThat(matching("clicks", null)).containsExactly("2024-01-01/0", "2024-01-01/1", "2024-01-02/1");

        Partition partition = glue.getPartition(r -> r.databaseName(DB).tableName("clicks").partitionValues("2024-01-02", "1")).partition();
        assertThat(partition.storageDescriptor().location()).isEqualTo("s3://lake/clicks/dt=2024-01-02/hour=1/");
        assertThat(partition.parameters()).containsExactly(Map.entry("source", "test"));
        assertThat(partition.databaseName()).isEqualTo(DB);
        assertThat(partition.tableName()).isEqualTo("clicks");
        assertThat(partition.creationTime()).isNotNull();
        assertThat(hearth.dataDirectory().resolve("s3/lake/clicks/dt=2024-01-02/hour=1")).isDirectory();

        assertThatThrownBy(() -> glue.createPartition(r -> r.databaseName(DB).tableName("clicks").partitionInput(partition("clicks", "2024-01-01", "0"))))
                .isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> glue.getPartition(r -> r.databaseName(DB).tableName("clicks").partitionValues("2030-01-01", "1")))
                .isInstanceOf(EntityNotFoundException.class).hasMessageContaining("Cannot find partition.");
        assertThatThrownBy(() -> glue.getPartition(r -> r.databaseName(DB).tableName("nope").partitionValues("2030-01-01", "1")))
                .isInstanceOf(EntityNotFoundException.class).hasMessageContaining("Table nope not found");

        List<PartitionInput> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(partition("clicks", "2025-01-01", Integer.toString(i)));
        }
        assertThatThrownBy(() -> glue.batchCreatePartition(r -> r.databaseName(DB).tableName("clicks").partitionInputList(tooMany)))
                .isInstanceOfSatisfying(GlueException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.getMessage()).contains("at 'partitionInputList' failed to satisfy constraint: Member must have length less than or equal to 100");
                });
        assertThat(matching("clicks", "dt = '2025-01-01'")).isEmpty();
    }

    @Test
    void expressionsSelectPartitionsByTypedComparison() {
        createTable("views");
        addDays("views", 4, 12);
        assertThat(matching("views", null)).hasSize(48);
        assertThat(matching("views", "dt = '2024-01-02' AND hour < 2")).containsExactly("2024-01-02/0", "2024-01-02/1");
        // hour is an int: 10 > 9, where string order would say otherwise.
        assertThat(matching("views", "dt = '2024-01-01' and hour >= 9")).containsExactly("2024-01-01/10", "2024-01-01/11", "2024-01-01/9");
        assertThat(matching("views", "dt BETWEEN '2024-01-02' AND '2024-01-03' AND hour IN (3, 4)"))
                .containsExactly("2024-01-02/3", "2024-01-02/4", "2024-01-03/3", "2024-01-03/4");
        assertThat(matching("views", "(dt = '2024-01-04' OR dt = '2024-01-01') AND NOT hour <> 5")).containsExactly("2024-01-01/5", "2024-01-04/5");
        assertThat(matching("views", "dt LIKE '%-04' AND hour > 10")).containsExactly("2024-01-04/11");
        assertThat(matching("views", "hour NOT BETWEEN 1 AND 10 AND dt NOT IN ('2024-01-01', '2024-01-02', '2024-01-03')"))
                .containsExactly("2024-01-04/0", "2024-01-04/11");
        assertThat(matching("views", "dt IS NULL")).isEmpty();
        assertThat(matching("views", "'2024-01-04' <= dt AND hour = 0")).containsExactly("2024-01-04/0");

        assertThatThrownBy(() -> matching("views", "dt = "))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Expression 'dt = ' is not valid: a value is missing at the end");
        assertThatThrownBy(() -> matching("views", "region = 'eu'"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'region' is not a partition key of the table; its partition keys are: dt, hour");
        assertThatThrownBy(() -> matching("views", "hour = 'noon'"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'noon' is not a valid value for partition key 'hour' of type int");
        assertThatThrownBy(() -> matching("views", "hour LIKE '1%'"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("LIKE applies to string partition keys only");
    }

    @Test
    void aTableRecreatedWithOtherPartitionKeysIsListedByItsNewKeys() {
        createTable("taps");
        addDays("taps", 3, 12);
        // The first listing makes Hearth remember the keys (dt string, hour int) for the next ones.
        assertThat(matching("taps", "hour > 9")).containsExactly("2024-01-01/10", "2024-01-01/11", "2024-01-02/10", "2024-01-02/11",
                "2024-01-03/10", "2024-01-03/11");

        // Same name, same key names, but hour is now a string: the same expression compares text.
        glue.deleteTable(r -> r.databaseName(DB).name("taps"));
        glue.createTable(r -> r.databaseName(DB).tableInput(TableInput.builder().name("taps").tableType("EXTERNAL_TABLE")
                .partitionKeys(Column.builder().name("dt").type("string").build(), Column.builder().name("hour").type("string").build())
                .storageDescriptor(StorageDescriptor.builder().columns(Column.builder().name("user_id").type("bigint").build())
                        .location("s3://lake/taps/").build())
                .build()));
        glue.batchCreatePartition(r -> r.databaseName(DB).tableName("taps").partitionInputList(
                PartitionInput.builder().values("2024-02-01", "9").build(), PartitionInput.builder().values("2024-02-01", "10").build(),
                PartitionInput.builder().values("2024-02-01", "95").build()));
        assertThat(matching("taps", "hour > 9")).containsExactly("2024-02-01/95");

        glue.deleteTable(r -> r.databaseName(DB).name("taps"));
        assertThatThrownBy(() -> matching("taps", "hour > 9")).isInstanceOf(EntityNotFoundException.class)
                .hasMessageContaining("Table taps not found");
    }

    @Test
    void pagesAndSegmentsCoverEveryPartitionOnce() {
        createTable("pages");
        addDays("pages", 5, 24);
        List<String> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            GetPartitionsResponse page = glue.getPartitions(r -> r.databaseName(DB).tableName("pages").maxResults(7).nextToken(next));
            assertThat(page.partitions()).hasSizeLessThanOrEqualTo(7);
            page.partitions().forEach(p -> paged.add(String.join("/", p.values())));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(paged).hasSize(120).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(18);

        // A paged expression the metastore evaluates, and one it cannot (LIKE).
        List<String> filtered = new ArrayList<>();
        glue.getPartitionsPaginator(r -> r.databaseName(DB).tableName("pages").expression("dt >= '2024-01-04'").maxResults(10))
                .forEach(page -> page.partitions().forEach(p -> filtered.add(String.join("/", p.values()))));
        assertThat(filtered).hasSize(48).allMatch(name -> name.startsWith("2024-01-04") || name.startsWith("2024-01-05"));
        List<String> liked = new ArrayList<>();
        glue.getPartitionsPaginator(r -> r.databaseName(DB).tableName("pages").expression("dt LIKE '2024-01-0_' AND hour < 3").maxResults(4))
                .forEach(page -> page.partitions().forEach(p -> liked.add(String.join("/", p.values()))));
        assertThat(liked).hasSize(15).doesNotHaveDuplicates();

        Set<String> union = new HashSet<>();
        int total = 0;
        for (int segment = 0; segment < 4; segment++) {
            int number = segment;
            List<String> names = new ArrayList<>();
            glue.getPartitionsPaginator(r -> r.databaseName(DB).tableName("pages").segment(s -> s.segmentNumber(number).totalSegments(4)).maxResults(20))
                    .forEach(page -> page.partitions().forEach(p -> names.add(String.join("/", p.values()))));
            total += names.size();
            union.addAll(names);
        }
        assertThat(total).isEqualTo(120);
        assertThat(union).hasSize(120);

        GetPartitionsResponse withoutColumns = glue.getPartitions(r -> r.databaseName(DB).tableName("pages").maxResults(1).excludeColumnSchema(true));
        assertThat(withoutColumns.partitions().get(0).storageDescriptor().hasColumns()).isFalse();
        assertThatThrownBy(() -> glue.getPartitions(r -> r.databaseName(DB).tableName("pages").nextToken("not-a-token")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("NextToken is not valid");
        assertThatThrownBy(() -> glue.getPartitions(r -> r.databaseName(DB).tableName("pages").segment(s -> s.segmentNumber(4).totalSegments(4))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must be less than Segment.TotalSegments");
    }

    @Test
    void partitionsAreFetchedUpdatedAndDeleted() {
        createTable("edits");
        addDays("edits", 2, 2);
        List<Partition> fetched = glue.batchGetPartition(r -> r.databaseName(DB).tableName("edits").partitionsToGet(
                PartitionValueList.builder().values("2024-01-01", "1").build(),
                PartitionValueList.builder().values("2024-01-09", "1").build())).partitions();
        assertThat(fetched).extracting(Partition::values).containsExactly(List.of("2024-01-01", "1"));

        glue.updatePartition(r -> r.databaseName(DB).tableName("edits").partitionValueList("2024-01-01", "1")
                .partitionInput(partition("edits", "2024-01-01", "1").toBuilder()
                        .storageDescriptor(partition("edits", "2024-01-01", "1").storageDescriptor().toBuilder().location("s3://lake/moved/").build())
                        .build()));
        assertThat(glue.getPartition(r -> r.databaseName(DB).tableName("edits").partitionValues("2024-01-01", "1")).partition()
                .storageDescriptor().location()).isEqualTo("s3://lake/moved/");
        glue.updatePartition(r -> r.databaseName(DB).tableName("edits").partitionValueList("2024-01-01", "1")
                .partitionInput(partition("edits", "2024-01-01", "7")));
        assertThat(matching("edits", null)).containsExactly("2024-01-01/0", "2024-01-01/7", "2024-01-02/0", "2024-01-02/1");

        glue.deletePartition(r -> r.databaseName(DB).tableName("edits").partitionValues("2024-01-01", "0"));
        assertThatThrownBy(() -> glue.deletePartition(r -> r.databaseName(DB).tableName("edits").partitionValues("2024-01-01", "0")))
                .isInstanceOf(EntityNotFoundException.class);
        List<PartitionError> errors = glue.batchDeletePartition(r -> r.databaseName(DB).tableName("edits").partitionsToDelete(
                PartitionValueList.builder().values("2024-01-02", "0").build(),
                PartitionValueList.builder().values("2024-01-05", "0").build(),
                PartitionValueList.builder().values("2024-01-02").build())).errors();
        assertThat(errors).extracting(e -> e.errorDetail().errorCode()).containsExactly("EntityNotFoundException", "InvalidInputException");
        assertThat(matching("edits", null)).containsExactly("2024-01-01/7", "2024-01-02/1");
        // Deleting a partition of an external table keeps its data.
        assertThat(hearth.dataDirectory().resolve("s3/lake/edits/dt=2024-01-01/hour=0")).isDirectory();
    }
}
