package io.hearth.server.catalog.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.server.config.CatalogConfig;
import io.hearth.server.testing.TestingHearth;
import io.hearth.server.testing.TestingSparkRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.InvalidInputException;
import software.amazon.awssdk.services.glue.model.PartitionError;
import software.amazon.awssdk.services.glue.model.PartitionInput;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.TableInput;

/**
 * Where Glue may put databases, tables and partitions, over the real metastore (which creates the
 * folders locations name): nothing outside the object store, the warehouse and the allowed roots;
 * and what deleting each kind of table does to its data.
 */
class TestGlueLocations {
    private static Path home;
    private static Path allowed;
    private static TestingHearth hearth;
    private static GlueClient glue;

    @BeforeAll
    static void start() throws Exception {
        home = Files.createTempDirectory("hearth-locations-");
        allowed = Files.createDirectories(home.resolve("exports"));
        hearth = TestingHearth.builder().sparkHome(TestingSparkRuntime.assembled())
                .dataDirectory(Files.createDirectories(home.resolve("data")))
                .setting(CatalogConfig.ENABLED.key(), "true")
                .setting(CatalogConfig.ALLOWED_LOCAL_ROOTS.key(), allowed.toString())
                .start();
        hearth.server().catalog().awaitReady(Duration.ofMinutes(3));
        glue = hearth.glue();
        hearth.s3().createBucket(r -> r.bucket("lake"));
    }

    @AfterAll
    static void stop() {
        hearth.close();
        TestingHearth.deleteRecursively(home);
    }

    private static TableInput table(String name, String type, String location, Column... partitionKeys) {
        return TableInput.builder().name(name).tableType(type).partitionKeys(partitionKeys)
                .storageDescriptor(StorageDescriptor.builder().columns(Column.builder().name("id").type("bigint").build()).location(location)
                        .inputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat")
                        .outputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat")
                        .serdeInfo(s -> s.serializationLibrary("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe")).build())
                .build();
    }

    private static Consumer<Throwable> invalidInput(String message) {
        return error -> assertThat(error).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorMessage()).contains(message);
        });
    }

    /** Every file and folder under {@code home} outside the data directory and the allowed root. */
    private static List<Path> strayFiles() throws IOException {
        try (var files = Files.walk(home)) {
            return files.filter(file -> !file.equals(home) && !file.startsWith(hearth.dataDirectory()) && !file.startsWith(allowed)).toList();
        }
    }

    @Test
    void locationsThatLeaveTheirPlaceAreRefusedAndNothingIsCreatedOutside() throws IOException {
        for (String escaping : List.of("s3://lake/../../../outside-X", "s3://b/../../../outside-X")) {
            assertThatThrownBy(() -> glue.createDatabase(r -> r.databaseInput(d -> d.name("escape").locationUri(escaping))))
                    .satisfies(invalidInput("DatabaseInput.LocationUri '" + escaping + "' "));
        }
        for (String outside : List.of(home.resolve("outside-abs").toString(), "file://" + home.resolve("outside-file"),
                "file:" + hearth.dataDirectory().resolve("warehouse/../../outside-dots"), "hdfs://namenode/outside")) {
            assertThatThrownBy(() -> glue.createDatabase(r -> r.databaseInput(d -> d.name("escape").locationUri(outside))))
                    .satisfies(invalidInput("DatabaseInput.LocationUri '" + outside + "' "));
        }
        assertThatThrownBy(() -> glue.createDatabase(r -> r.databaseInput(d -> d.name("escape").locationUri(hearth.dataDirectory().resolve("db").toString()))))
                .satisfies(invalidInput("the rest of the data directory is Hearth's own state"));
        assertThat(glue.getDatabases(r -> r.maxResults(100)).databaseList()).extracting(d -> d.name()).doesNotContain("escape");

        glue.createDatabase(r -> r.databaseInput(d -> d.name("places")));
        assertThatThrownBy(() -> glue.createTable(r -> r.databaseName("places").tableInput(table("t", "EXTERNAL_TABLE", "s3://lake/../../outside-t/"))))
                .satisfies(invalidInput("TableInput.StorageDescriptor.Location 's3://lake/../../outside-t/' leaves its bucket"));
        assertThatThrownBy(() -> glue.createTable(r -> r.databaseName("places").tableInput(table("t", "EXTERNAL_TABLE", home.resolve("outside-t").toString()))))
                .satisfies(invalidInput("is outside the folders where the catalog may keep data"));

        glue.createTable(r -> r.databaseName("places").tableInput(table("days", "EXTERNAL_TABLE", "s3://lake/days/",
                Column.builder().name("dt").type("string").build())));
        assertThatThrownBy(() -> glue.updateTable(r -> r.databaseName("places").tableInput(table("days", "EXTERNAL_TABLE", "/outside-update",
                Column.builder().name("dt").type("string").build()))))
                .satisfies(invalidInput("TableInput.StorageDescriptor.Location '/outside-update' is outside the folders"));
        PartitionInput escapingPartition = PartitionInput.builder().values("2024-01-01")
                .storageDescriptor(table("days", "EXTERNAL_TABLE", "file://" + home.resolve("outside-p")).storageDescriptor()).build();
        assertThatThrownBy(() -> glue.createPartition(r -> r.databaseName("places").tableName("days").partitionInput(escapingPartition)))
                .satisfies(invalidInput("PartitionInput.StorageDescriptor.Location 'file://" + home.resolve("outside-p") + "' is outside the folders"));
        List<PartitionError> errors = glue.batchCreatePartition(r -> r.databaseName("places").tableName("days").partitionInputList(escapingPartition,
                PartitionInput.builder().values("2024-01-02").build())).errors();
        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.errorDetail().errorCode()).isEqualTo("InvalidInputException");
            assertThat(error.errorDetail().errorMessage()).startsWith("PartitionInputList.1.StorageDescriptor.Location");
        });
        assertThat(hearth.dataDirectory().resolve("s3/lake/days/dt=2024-01-02")).isDirectory();

        assertThat(strayFiles()).isEmpty();
    }

    @Test
    void locationsAreNormalisedAndTheAllowedRootsAreUsable() {
        glue.createDatabase(r -> r.databaseInput(d -> d.name("exported").locationUri("file://" + allowed + "/dbs/./exported/")));
        assertThat(glue.getDatabase(r -> r.name("exported")).database().locationUri()).isEqualTo("file://" + allowed.resolve("dbs/exported") + "/");
        assertThat(allowed.resolve("dbs/exported")).isDirectory();

        glue.createTable(r -> r.databaseName("exported").tableInput(table("dotted", "EXTERNAL_TABLE", "s3://lake/a/./b/../dotted/")));
        assertThat(glue.getTable(r -> r.databaseName("exported").name("dotted")).table().storageDescriptor().location()).isEqualTo("s3://lake/a/dotted/");
        assertThat(hearth.dataDirectory().resolve("s3/lake/a/dotted")).isDirectory();
        assertThat(hearth.dataDirectory().resolve("s3/lake/a/b")).doesNotExist();
    }

    @Test
    void deletingAManagedTableDeletesItsDataAndAnExternalTableKeepsIt() throws IOException {
        Path lake = hearth.dataDirectory().resolve("s3/lake");
        glue.createDatabase(r -> r.databaseInput(d -> d.name("owned")));
        glue.createTable(r -> r.databaseName("owned").tableInput(table("managed", "MANAGED_TABLE", "s3://lake/owned/managed/")));
        glue.createTable(r -> r.databaseName("owned").tableInput(table("external", "EXTERNAL_TABLE", "s3://lake/owned/external/")));
        glue.createTable(r -> r.databaseName("owned").tableInput(table("untyped", null, "s3://lake/owned/untyped/")));
        glue.createTable(r -> r.databaseName("owned").tableInput(table("in_warehouse", "MANAGED_TABLE", null)));
        for (String folder : List.of("managed", "external", "untyped")) {
            Files.writeString(lake.resolve("owned").resolve(folder).resolve("part-0.parquet"), "rows");
        }
        Path warehouseTable = hearth.dataDirectory().resolve("warehouse/owned.db/in_warehouse");
        Files.writeString(warehouseTable.resolve("part-0.parquet"), "rows");

        glue.deleteTable(r -> r.databaseName("owned").name("managed"));
        glue.deleteTable(r -> r.databaseName("owned").name("external"));
        assertThat(glue.batchDeleteTable(r -> r.databaseName("owned").tablesToDelete("untyped", "in_warehouse")).errors()).isEmpty();

        assertThat(lake.resolve("owned/managed")).doesNotExist();
        assertThat(warehouseTable).doesNotExist();
        assertThat(lake.resolve("owned/external/part-0.parquet")).hasContent("rows");
        assertThat(lake.resolve("owned/untyped/part-0.parquet")).as("a table without a TableType is external").hasContent("rows");
    }

    @Test
    void deletingAManagedTablesPartitionDeletesItsDataAndAnExternalTablesPartitionKeepsIt() throws IOException {
        Path lake = hearth.dataDirectory().resolve("s3/lake");
        Column dt = Column.builder().name("dt").type("string").build();
        glue.createDatabase(r -> r.databaseInput(d -> d.name("parts")));
        glue.createTable(r -> r.databaseName("parts").tableInput(table("managed", "MANAGED_TABLE", "s3://lake/parts/managed/", dt)));
        glue.createTable(r -> r.databaseName("parts").tableInput(table("external", "EXTERNAL_TABLE", "s3://lake/parts/external/", dt)));
        for (String name : List.of("managed", "external")) {
            glue.batchCreatePartition(r -> r.databaseName("parts").tableName(name).partitionInputList(
                    PartitionInput.builder().values("2024-01-01").build(), PartitionInput.builder().values("2024-01-02").build()));
            Files.writeString(lake.resolve("parts").resolve(name).resolve("dt=2024-01-01/part-0.parquet"), "rows");
            Files.writeString(lake.resolve("parts").resolve(name).resolve("dt=2024-01-02/part-0.parquet"), "rows");
            glue.deletePartition(r -> r.databaseName("parts").tableName(name).partitionValues("2024-01-01"));
        }
        assertThat(lake.resolve("parts/managed/dt=2024-01-01")).doesNotExist();
        assertThat(lake.resolve("parts/external/dt=2024-01-01/part-0.parquet")).exists();

        // A database goes with its tables, and a managed table's data with it. Not the default database, and none of its tables.
        glue.createTable(r -> r.databaseName("default").tableInput(table("kept", "MANAGED_TABLE", "s3://lake/default-kept/")));
        Files.writeString(lake.resolve("default-kept/part-0.parquet"), "rows");
        assertThatThrownBy(() -> glue.deleteDatabase(r -> r.name("default"))).satisfies(invalidInput("Cannot delete database default: the metastore keeps it"));
        assertThat(lake.resolve("default-kept/part-0.parquet")).exists();
        assertThat(glue.getTable(r -> r.databaseName("default").name("kept")).table().name()).isEqualTo("kept");
        glue.deleteDatabase(r -> r.name("parts"));
        assertThat(lake.resolve("parts/managed")).doesNotExist();
        assertThat(lake.resolve("parts/external/dt=2024-01-02/part-0.parquet")).exists();
    }
}
