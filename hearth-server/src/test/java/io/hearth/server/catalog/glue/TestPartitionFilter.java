package io.hearth.server.catalog.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.server.HearthException;
import java.util.List;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.junit.jupiter.api.Test;

class TestPartitionFilter {
    private static final List<FieldSchema> KEYS = List.of(
            new FieldSchema("dt", "string", null),
            new FieldSchema("hour", "int", null),
            new FieldSchema("day", "date", null),
            new FieldSchema("price", "decimal(10,2)", null),
            new FieldSchema("tags", "array<string>", null));

    private static PartitionFilter bind(String expression) {
        return PartitionFilter.bind(expression, KEYS);
    }

    private static List<String> values(String dt, String hour, String day, String price) {
        return List.of(dt, hour, day, price, "x");
    }

    @Test
    void comparisonsOfStringAndIntegerKeysGoToTheMetastore() {
        PartitionFilter filter = bind("dt = '2024-01-01' AND hour >= 9");
        assertThat(filter.metastoreFilter()).contains("dt = '2024-01-01' and hour >= 9");
        assertThat(filter.hasRest()).isFalse();

        assertThat(bind("dt BETWEEN 'a' AND 'c'").metastoreFilter()).contains("(dt >= 'a' and dt <= 'c')");
        assertThat(bind("hour IN (1, 2)").metastoreFilter()).contains("(hour = 1 or hour = 2)");
        assertThat(bind("hour NOT IN (1, 2)").metastoreFilter()).contains("(hour <> 1 and hour <> 2)");
        assertThat(bind("NOT (dt = 'a' OR hour < 3)").metastoreFilter()).contains("(dt <> 'a' and hour >= 3)");
        assertThat(bind("'2024' < dt").metastoreFilter()).contains("dt > '2024'");
        assertThat(bind("hour = '7'").metastoreFilter()).contains("hour = 7");
    }

    @Test
    void whatTheMetastoreCannotSayIsEvaluatedHere() {
        PartitionFilter filter = bind("dt = '2024-01-01' AND day > DATE '2024-01-05' AND dt LIKE '2024%'");
        assertThat(filter.metastoreFilter()).contains("dt = '2024-01-01'");
        assertThat(filter.hasRest()).isTrue();
        assertThat(filter.matchesRest(values("2024-01-01", "1", "2024-01-06", "1.00"))).isTrue();
        assertThat(filter.matchesRest(values("2024-01-01", "1", "2024-01-05", "1.00"))).isFalse();

        PartitionFilter either = bind("dt = 'a' OR dt LIKE 'b%'");
        assertThat(either.metastoreFilter()).isEmpty();
        assertThat(either.matchesRest(values("bee", "1", "2024-01-01", "1"))).isTrue();
        assertThat(either.matchesRest(values("cee", "1", "2024-01-01", "1"))).isFalse();
        assertThat(bind("dt = 'it''s'").metastoreFilter()).as("quotes stay out of the metastore's filter").isEmpty();
    }

    @Test
    void valuesCompareByTheirKeysType() {
        assertThat(bind("hour > 9").matches(values("a", "10", "2024-01-01", "1"))).isTrue();
        assertThat(bind("dt > '9'").matches(values("10", "1", "2024-01-01", "1"))).isFalse();
        assertThat(bind("price BETWEEN 1.5 AND 2").matches(values("a", "1", "2024-01-01", "2.00"))).isTrue();
        assertThat(bind("price = 2").matches(values("a", "1", "2024-01-01", "2.00"))).isTrue();
        assertThat(bind("day < '2024-02-01'").matches(values("a", "1", "2024-01-31", "1"))).isTrue();
        assertThat(bind("dt LIKE 'a_c%'").matches(values("abcdef", "1", "2024-01-31", "1"))).isTrue();
        assertThat(bind("dt LIKE 'a.c'").matches(values("abc", "1", "2024-01-31", "1"))).as("LIKE is not a regex").isFalse();
        assertThat(bind("dt IS NULL").matches(values(PartitionFilter.DEFAULT_PARTITION, "1", "2024-01-31", "1"))).isTrue();
        assertThat(bind("dt IS NOT NULL").matches(values("a", "1", "2024-01-31", "1"))).isTrue();
        assertThat(bind("hour > 1").matches(values("a", "not-a-number", "2024-01-31", "1"))).isFalse();
    }

    @Test
    void badExpressionsAreRefusedSayingWhere() {
        assertThatThrownBy(() -> bind("dt = 'a' AND")).isInstanceOf(HearthException.class)
                .hasMessage("Expression 'dt = 'a' AND' is not valid: a condition is missing at the end at position 13");
        assertThatThrownBy(() -> bind("dt == 'a'")).hasMessageContaining("expected a value (a quoted string or a number), found '='");
        assertThatThrownBy(() -> bind("dt = 'a")).hasMessageContaining("unclosed string literal at position 6");
        assertThatThrownBy(() -> bind("dt = hour")).hasMessageContaining("a partition key can only be compared with a literal value");
        assertThatThrownBy(() -> bind("(dt = 'a'")).hasMessageContaining("expected ')' at the end");
        assertThatThrownBy(() -> bind("dt ~ 'a'")).hasMessageContaining("unexpected character '~'");
        assertThatThrownBy(() -> bind("city = 'x'")).hasMessageContaining("'city' is not a partition key of the table; its partition keys are: dt, hour, day, price, tags");
        assertThatThrownBy(() -> bind("day = 'soon'")).hasMessageContaining("'soon' is not a valid value for partition key 'day' of type date");
        assertThatThrownBy(() -> bind("tags = 'x'")).hasMessageContaining("has type array<string>, which expressions cannot compare");
        assertThatThrownBy(() -> bind("hour LIKE '1%'")).hasMessageContaining("LIKE applies to string partition keys only");
    }
}
