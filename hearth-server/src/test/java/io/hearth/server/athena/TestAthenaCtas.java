package io.hearth.server.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.server.HearthException;
import org.junit.jupiter.api.Test;

class TestAthenaCtas {
    @Test
    void athenasWithPropertiesBecomeSparksClauses() {
        assertThat(AthenaCtas.toSpark("""
                CREATE TABLE shop.daily WITH (format = 'PARQUET', external_location = 's3://lake/daily/',
                    partitioned_by = ARRAY['dt', 'region'], write_compression = 'SNAPPY')
                AS SELECT amount, dt, region FROM sales"""))
                .isEqualTo("CREATE TABLE shop.daily USING parquet OPTIONS (compression 'snappy') PARTITIONED BY (`dt`, `region`) "
                        + "LOCATION 's3://lake/daily/' AS SELECT amount, dt, region FROM sales");
    }

    @Test
    void theFormatDefaultsToParquetAndTextfileIsDelimitedText() {
        assertThat(AthenaCtas.toSpark("create table if not exists `t` with (bucketed_by = ARRAY['id'], bucket_count = 4) as select 1 as id"))
                .isEqualTo("CREATE TABLE IF NOT EXISTS `t` USING parquet CLUSTERED BY (`id`) INTO 4 BUCKETS AS select 1 as id");
        assertThat(AthenaCtas.toSpark("CREATE TABLE t WITH (format = 'TEXTFILE', field_delimiter = ',') AS SELECT 'it''s' AS a"))
                .isEqualTo("CREATE TABLE t USING csv OPTIONS (sep ',') AS SELECT 'it''s' AS a");
    }

    @Test
    void withNoDataMakesAnEmptyTable() {
        assertThat(AthenaCtas.toSpark("CREATE TABLE t WITH (format = 'ORC') AS SELECT * FROM s WITH NO DATA"))
                .isEqualTo("CREATE TABLE t USING orc AS SELECT * FROM (SELECT * FROM s) LIMIT 0");
        assertThat(AthenaCtas.toSpark("CREATE TABLE t WITH (format = 'ORC') AS SELECT * FROM s WITH DATA;"))
                .isEqualTo("CREATE TABLE t USING orc AS SELECT * FROM s");
    }

    @Test
    void aPropertyWithoutASparkCounterpartIsAnErrorNamingIt() {
        assertThatThrownBy(() -> AthenaCtas.toSpark("CREATE TABLE t WITH (table_type = 'ICEBERG') AS SELECT 1"))
                .isInstanceOf(HearthException.class).hasMessageContaining("CTAS property table_type");
        assertThatThrownBy(() -> AthenaCtas.toSpark("CREATE TABLE t WITH (format = 'ION') AS SELECT 1"))
                .hasMessageContaining("format = 'ION'");
        assertThatThrownBy(() -> AthenaCtas.toSpark("CREATE TABLE t WITH (partitioned_by = 'dt') AS SELECT 1"))
                .hasMessageContaining("partitioned_by must be an ARRAY");
    }

    @Test
    void otherStatementsPassAsTheyAre() {
        String cte = "WITH x AS (SELECT 1) SELECT * FROM x";
        assertThat(AthenaCtas.toSpark(cte)).isSameAs(cte);
        String spark = "CREATE TABLE t USING parquet AS SELECT 1";
        assertThat(AthenaCtas.toSpark(spark)).isSameAs(spark);
    }
}
