package io.hearth.server.catalog.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.server.catalog.metastore.MetastoreClient;
import io.hearth.server.config.CatalogConfig;
import io.hearth.server.testing.TestingHearth;
import io.hearth.server.testing.TestingSparkRuntime;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.AlreadyExistsException;
import software.amazon.awssdk.services.glue.model.BatchDeleteTableResponse;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.ConcurrentModificationException;
import software.amazon.awssdk.services.glue.model.Database;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.GlueException;
import software.amazon.awssdk.services.glue.model.InvalidInputException;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.Table;
import software.amazon.awssdk.services.glue.model.TableInput;
import software.amazon.awssdk.services.glue.model.TableVersion;

/** Glue databases and tables with the AWS SDK for Java v2, over the real metastore. */
class TestGlueDatabasesAndTables {
    private static TestingHearth hearth;
    private static GlueClient glue;

    @BeforeAll
    static void start() throws Exception {
        hearth = TestingHearth.builder().sparkHome(TestingSparkRuntime.assembled()).setting(CatalogConfig.ENABLED.key(), "true").start();
        hearth.server().catalog().awaitReady(Duration.ofMinutes(3));
        glue = hearth.glue();
    }

    @AfterAll
    static void stop() {
        hearth.close();
    }

    static TableInput csvTable(String name, String location) {
        return TableInput.builder()
                .name(name)
                .description("Housing prices")
                .tableType("EXTERNAL_TABLE")
                .parameters(Map.of("classification", "csv", "skip.header.line.count", "1"))
                .storageDescriptor(StorageDescriptor.builder()
                        .columns(Column.builder().name("id").type("int").build(),
                                Column.builder().name("price").type("double").comment("in dollars").build(),
                                Column.builder().name("city").type("string").build())
                        .location(location)
                        .inputFormat("org.apache.hadoop.mapred.TextInputFormat")
                        .outputFormat("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat")
                        .serdeInfo(s -> s.serializationLibrary("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe")
                                .parameters(Map.of("field.delim", ",")))
                        .build())
                .build();
    }

    @Test
    void databasesAreCreatedListedUpdatedAndDeleted() {
        glue.createDatabase(r -> r.databaseInput(d -> d.name("Analytics").description("numbers").parameters(Map.of("team", "ml"))));
        Database database = glue.getDatabase(r -> r.name("analytics")).database();
        assertThat(database.name()).isEqualTo("analytics");
        assertThat(database.description()).isEqualTo("numbers");
        assertThat(database.parameters()).containsExactly(Map.entry("team", "ml"));
        assertThat(database.locationUri()).endsWith("/warehouse/analytics.db");
        assertThat(database.createTime()).isNotNull();
        assertThat(database.catalogId()).isEqualTo("000000000000");

        assertThatThrownBy(() -> glue.createDatabase(r -> r.databaseInput(d -> d.name("analytics"))))
                .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("Database analytics already exists.");
        assertThatThrownBy(() -> glue.getDatabase(r -> r.name("nowhere")))
                .isInstanceOfSatisfying(EntityNotFoundException.class, e -> assertThat(e.statusCode()).isEqualTo(400))
                .hasMessageContaining("Database nowhere not found.");
        assertThatThrownBy(() -> glue.createDatabase(r -> r.databaseInput(d -> d.name("my-data"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("DatabaseInput.Name 'my-data' is not a valid name");

        glue.createDatabase(r -> r.databaseInput(d -> d.name("analytics_two").locationUri("s3://lake/analytics_two/")));
        assertThat(glue.getDatabase(r -> r.name("analytics_two")).database().locationUri()).isEqualTo("s3://lake/analytics_two/");
        assertThat(hearth.dataDirectory().resolve("s3/lake/analytics_two")).isDirectory();
        List<String> names = new ArrayList<>();
        glue.getDatabasesPaginator(r -> r.maxResults(1)).forEach(page -> page.databaseList().forEach(d -> names.add(d.name())));
        assertThat(names).contains("analytics", "analytics_two", "default").doesNotHaveDuplicates();

        glue.updateDatabase(r -> r.name("analytics").databaseInput(d -> d.name("analytics").description("more numbers")));
        Database updated = glue.getDatabase(r -> r.name("analytics")).database();
        assertThat(updated.description()).isEqualTo("more numbers");
        assertThat(updated.createTime()).isEqualTo(database.createTime());
        assertThatThrownBy(() -> glue.updateDatabase(r -> r.name("analytics").databaseInput(d -> d.name("renamed"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("cannot be renamed");

        glue.deleteDatabase(r -> r.name("analytics_two"));
        assertThatThrownBy(() -> glue.getDatabase(r -> r.name("analytics_two"))).isInstanceOf(EntityNotFoundException.class);
        assertThatThrownBy(() -> glue.deleteDatabase(r -> r.name("analytics_two"))).isInstanceOf(EntityNotFoundException.class);
    }

    @Test
    void theDefaultDatabaseCannotBeDeleted() {
        for (String name : List.of("default", "Default")) {
            assertThatThrownBy(() -> glue.deleteDatabase(r -> r.name(name)))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.statusCode()).isEqualTo(400))
                    .hasMessageContaining("Cannot delete database default: the metastore keeps it");
        }
        assertThat(glue.getDatabase(r -> r.name("default")).database().name()).isEqualTo("default");
    }

    @Test
    void aTableReadsBackAsWrittenAndIsStoredForSpark() throws Exception {
        glue.createDatabase(r -> r.databaseInput(d -> d.name("housing")));
        glue.createTable(r -> r.databaseName("housing").tableInput(csvTable("Prices", "s3://lake/housing/v1/")));

        Table table = glue.getTable(r -> r.databaseName("housing").name("prices")).table();
        assertThat(table.name()).isEqualTo("prices");
        assertThat(table.databaseName()).isEqualTo("housing");
        assertThat(table.description()).isEqualTo("Housing prices");
        assertThat(table.tableType()).isEqualTo("EXTERNAL_TABLE");
        assertThat(table.parameters()).containsOnly(Map.entry("classification", "csv"), Map.entry("skip.header.line.count", "1"));
        assertThat(table.storageDescriptor().location()).isEqualTo("s3://lake/housing/v1/");
        assertThat(table.storageDescriptor().columns()).extracting(Column::name, Column::type, Column::comment)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("id", "int", null),
                        org.assertj.core.groups.Tuple.tuple("price", "double", "in dollars"),
                        org.assertj.core.groups.Tuple.tuple("city", "string", null));
        assertThat(table.storageDescriptor().serdeInfo().parameters()).containsOnly(Map.entry("field.delim", ","));
        assertThat(table.partitionKeys()).isEmpty();
        assertThat(table.versionId()).isEqualTo("1");
        assertThat(table.createTime()).isNotNull();

        // In the metastore the table carries what Spark needs to read it with its CSV source and header=true.
        URI uri = hearth.server().catalog().metastoreUri().orElseThrow();
        try (MetastoreClient client = new MetastoreClient("127.0.0.1", uri.getPort(), 60_000)) {
            org.apache.hadoop.hive.metastore.api.Table stored = client.call(metastore -> metastore.get_table("housing", "prices"));
            assertThat(stored.getParameters()).containsEntry("spark.sql.sources.provider", "csv").containsEntry("EXTERNAL", "TRUE");
            assertThat(stored.getParameters().get("spark.sql.sources.schema")).contains("\"name\":\"price\",\"type\":\"double\"");
            assertThat(stored.getSd().getSerdeInfo().getParameters()).containsEntry("header", "true").containsEntry("sep", ",")
                    .containsEntry("path", "s3://lake/housing/v1");
            assertThat(stored.getSd().getLocation()).isEqualTo("s3://lake/housing/v1");
        }
        assertThat(hearth.dataDirectory().resolve("s3/lake/housing/v1")).isDirectory();
    }

    @Test
    void updateTableKeepsTheVersionItReplaces() {
        glue.createDatabase(r -> r.databaseInput(d -> d.name("versions")));
        glue.createTable(r -> r.databaseName("versions").tableInput(csvTable("sales", "s3://lake/sales/v1/")));
        glue.updateTable(r -> r.databaseName("versions").tableInput(csvTable("sales", "s3://lake/sales/v2/")));

        Table current = glue.getTable(r -> r.databaseName("versions").name("sales")).table();
        assertThat(current.storageDescriptor().location()).isEqualTo("s3://lake/sales/v2/");
        assertThat(current.versionId()).isEqualTo("2");
        List<TableVersion> versions = glue.getTableVersions(r -> r.databaseName("versions").tableName("sales")).tableVersions();
        assertThat(versions).extracting(TableVersion::versionId).containsExactly("2", "1");
        assertThat(versions.get(1).table().storageDescriptor().location()).isEqualTo("s3://lake/sales/v1/");
        assertThat(versions.get(0).table().storageDescriptor().location()).isEqualTo("s3://lake/sales/v2/");

        assertThatThrownBy(() -> glue.updateTable(r -> r.databaseName("versions").versionId("1").tableInput(csvTable("sales", "s3://lake/sales/v3/"))))
                .isInstanceOf(ConcurrentModificationException.class).hasMessageContaining("is at version 2");
        glue.updateTable(r -> r.databaseName("versions").versionId("2").skipArchive(true).tableInput(csvTable("sales", "s3://lake/sales/v3/")));
        assertThat(glue.getTableVersions(r -> r.databaseName("versions").tableName("sales")).tableVersions())
                .extracting(TableVersion::versionId).containsExactly("3", "1");
    }

    @Test
    void tablesAreListedByPatternAndPage() {
        glue.createDatabase(r -> r.databaseInput(d -> d.name("listing")));
        for (String name : List.of("sales_2023", "sales_2024", "costs")) {
            glue.createTable(r -> r.databaseName("listing").tableInput(csvTable(name, "s3://lake/listing/" + name + "/")));
        }
        List<String> all = new ArrayList<>();
        glue.getTablesPaginator(r -> r.databaseName("listing").maxResults(1)).forEach(page -> page.tableList().forEach(t -> all.add(t.name())));
        assertThat(all).containsExactly("costs", "sales_2023", "sales_2024");
        assertThat(glue.getTables(r -> r.databaseName("listing").expression("sales_*")).tableList()).extracting(Table::name)
                .containsExactly("sales_2023", "sales_2024");
        assertThat(glue.getTables(r -> r.databaseName("listing").expression("cost.*|.*2024")).tableList()).extracting(Table::name)
                .containsExactly("costs", "sales_2024");
        assertThatThrownBy(() -> glue.getTables(r -> r.databaseName("listing").expression("sales_(")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a valid regular expression");
        assertThatThrownBy(() -> glue.getTables(r -> r.databaseName("nowhere"))).isInstanceOf(EntityNotFoundException.class);

        BatchDeleteTableResponse deleted = glue.batchDeleteTable(r -> r.databaseName("listing").tablesToDelete("costs", "missing"));
        assertThat(deleted.errors()).singleElement().satisfies(error -> {
            assertThat(error.tableName()).isEqualTo("missing");
            assertThat(error.errorDetail().errorCode()).isEqualTo("EntityNotFoundException");
        });
        assertThat(glue.getTables(r -> r.databaseName("listing")).tableList()).extracting(Table::name).containsExactly("sales_2023", "sales_2024");
    }

    @Test
    void badTablesAreRefusedWithGlueErrorsAndNothingIsWritten() {
        glue.createDatabase(r -> r.databaseInput(d -> d.name("refusals")));
        assertThatThrownBy(() -> glue.createTable(r -> r.databaseName("refusals").tableInput(t -> t.name("no_sd"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("TableInput.StorageDescriptor is required");
        assertThatThrownBy(() -> glue.createTable(r -> r.databaseName("refusals").tableInput(csvTable("bad_type", "s3://lake/x/").toBuilder()
                .storageDescriptor(s -> s.columns(Column.builder().name("a").type("integr").build()).location("s3://lake/x/")).build())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("TableInput.StorageDescriptor.Columns.1 'a' has type 'integr', which is not a valid Hive type");
        assertThatThrownBy(() -> glue.createTable(r -> r.databaseName("refusals").tableInput(csvTable("bad name!", "s3://lake/x/"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("TableInput.Name 'bad name!' is not a valid name");
        assertThatThrownBy(() -> glue.createTable(r -> r.databaseName("no_such_db").tableInput(csvTable("t", "s3://lake/x/"))))
                .isInstanceOf(EntityNotFoundException.class).hasMessageContaining("Database no_such_db not found.");
        assertThatThrownBy(() -> glue.createTable(r -> r.databaseName("refusals").tableInput(csvTable("dup", "s3://lake/x/").toBuilder()
                .partitionKeys(Column.builder().name("city").type("string").build()).build())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'city' is also a column");
        assertThat(glue.getTables(r -> r.databaseName("refusals")).tableList()).isEmpty();

        glue.createTable(r -> r.databaseName("refusals").tableInput(csvTable("once", "s3://lake/once/")));
        assertThatThrownBy(() -> glue.createTable(r -> r.databaseName("refusals").tableInput(csvTable("once", "s3://lake/once/"))))
                .isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> glue.getTable(r -> r.databaseName("refusals").name("never")))
                .isInstanceOf(EntityNotFoundException.class).hasMessageContaining("Table never not found in database refusals.");
        assertThatThrownBy(() -> glue.getTable(r -> r.databaseName("refusals").name("once").catalogId("123456789012")))
                .isInstanceOf(EntityNotFoundException.class).hasMessageContaining("Catalog 123456789012 not found");
        assertThatThrownBy(() -> glue.getTables(r -> r.databaseName("refusals").maxResults(1000)))
                .isInstanceOfSatisfying(GlueException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }
}
