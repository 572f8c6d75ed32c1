package io.hearth.server.catalog.metastore;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.server.config.CatalogConfig;
import io.hearth.server.testing.TestingHearth;
import io.hearth.server.testing.TestingPostgres;
import io.hearth.server.testing.TestingSparkRuntime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.TableInput;

/** The metastore keeping the catalog in PostgreSQL (its own schema), through a restart of Hearth. */
class TestMetastoreOnPostgres {
    private TestingPostgres postgres;

    @BeforeEach
    void createSchema() {
        postgres = TestingPostgres.create();
    }

    @AfterEach
    void dropSchema() {
        // Null when the test was aborted for want of a PostgreSQL server.
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theCatalogLivesInPostgresqlAndSurvivesARestart() throws Exception {
        try (TestingHearth hearth = TestingHearth.builder().sparkHome(TestingSparkRuntime.assembled())
                .setting(CatalogConfig.ENABLED.key(), "true")
                .setting(CatalogConfig.DATABASE_URL.key(), postgres.jdbcUrl())
                .start()) {
            hearth.server().catalog().awaitReady(Duration.ofMinutes(3));
            hearth.glue().createDatabase(r -> r.databaseInput(d -> d.name("kept")));
            hearth.glue().createTable(r -> r.databaseName("kept").tableInput(TableInput.builder().name("events")
                    .partitionKeys(Column.builder().name("dt").type("string").build())
                    .storageDescriptor(StorageDescriptor.builder().columns(Column.builder().name("id").type("int").build())
                            .location("s3://lake/events/")
                            .serdeInfo(s -> s.serializationLibrary("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe")).build())
                    .build()));
            hearth.glue().createPartition(r -> r.databaseName("kept").tableName("events").partitionInput(p -> p.values("2024-01-01")));

            assertThat(metastoreTables()).contains("DBS", "TBLS", "PARTITIONS");
            assertThat(hearth.dataDirectory().resolve("catalog/metastore_db")).doesNotExist();

            hearth.restart();
            hearth.server().catalog().awaitReady(Duration.ofMinutes(3));
            assertThat(hearth.glue().getTable(r -> r.databaseName("kept").name("events")).table().storageDescriptor().location())
                    .isEqualTo("s3://lake/events/");
            assertThat(hearth.glue().getPartitions(r -> r.databaseName("kept").tableName("events").expression("dt = '2024-01-01'")).partitions())
                    .singleElement().satisfies(p -> assertThat(p.values()).containsExactly("2024-01-01"));
            assertThat(hearth.glue().getDatabases(r -> r.maxResults(10)).databaseList()).extracting(d -> d.name()).contains("kept", "default");
        }
    }

    private List<String> metastoreTables() throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl()); Statement statement = connection.createStatement();
                ResultSet tables = statement.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + postgres.schema() + "'")) {
            while (tables.next()) {
                names.add(tables.getString(1));
            }
        }
        return names;
    }
}
