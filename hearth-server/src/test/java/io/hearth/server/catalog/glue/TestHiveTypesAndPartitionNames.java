package io.hearth.server.catalog.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.junit.jupiter.api.Test;

class TestHiveTypesAndPartitionNames {
    @Test
    void hiveTypesParseAndNormalize() {
        assertThat(HiveType.parse("INT").hiveName()).isEqualTo("int");
        assertThat(HiveType.parse("long").hiveName()).isEqualTo("bigint");
        assertThat(HiveType.parse("decimal").hiveName()).isEqualTo("decimal(10,0)");
        assertThat(HiveType.parse("Decimal( 12 , 2 )").hiveName()).isEqualTo("decimal(12,2)");
        assertThat(HiveType.parse("array< struct<a:int, `b c`:map<string,double>> >").hiveName())
                .isEqualTo("array<struct<a:int,b c:map<string,double>>>");
        assertThat(HiveType.parse("varchar(10)").sparkJson()).isEqualTo("string");
        assertThat(HiveType.parse("map<string,array<int>>").sparkJson().toString())
                .isEqualTo("{\"type\":\"map\",\"keyType\":\"string\",\"valueType\":{\"type\":\"array\",\"elementType\":\"integer\",\"containsNull\":true},"
                        + "\"valueContainsNull\":true}");
    }

    @Test
    void badHiveTypesSayWhatIsWrong() {
        assertThatThrownBy(() -> HiveType.parse("integr")).hasMessage("'integr' is not a Hive type");
        assertThatThrownBy(() -> HiveType.parse("array<int")).hasMessage("expected '>' at the end");
        assertThatThrownBy(() -> HiveType.parse("decimal(40,2)")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> HiveType.parse("map<array<int>,int>")).hasMessage("map keys must be of a primitive type");
        assertThatThrownBy(() -> HiveType.parse("int int")).hasMessage("unexpected 'int' after the type");
        assertThatThrownBy(() -> HiveType.parse(" ")).hasMessage("the type is empty");
    }

    @Test
    void partitionNamesEscapeAsHiveDoes() {
        List<FieldSchema> keys = List.of(new FieldSchema("Region", "string", null), new FieldSchema("ts", "string", null));
        String name = PartitionValues.name(keys, List.of("eu/west", "2024-01-01 10:00"));
        assertThat(name).isEqualTo("region=eu%2Fwest/ts=2024-01-01 10%3A00");
        assertThat(PartitionValues.valuesOf(name)).containsExactly("eu/west", "2024-01-01 10:00");
        assertThat(PartitionValues.valuesOf("a=100%/b=%zz")).containsExactly("100%", "%zz");
    }

    @Test
    void partitionValuesAreCheckedAgainstTheirKeys() {
        List<FieldSchema> keys = List.of(new FieldSchema("day", "date", null), new FieldSchema("n", "tinyint", null));
        assertThat(PartitionValues.check(keys, List.of("2024-02-29", "-128"), "Values")).containsExactly("2024-02-29", "-128");
        assertThatThrownBy(() -> PartitionValues.check(keys, List.of("2024-02-30", "1"), "Values"))
                .hasMessage("Values: '2024-02-30' is not a valid value for partition key 'day' of type date: expected a date as yyyy-MM-dd");
        assertThatThrownBy(() -> PartitionValues.check(keys, List.of("2024-02-01", "128"), "Values")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> PartitionValues.check(keys, List.of("2024-02-01", ""), "Values")).hasMessageContaining("the value for partition key 'n' is empty");
        assertThatThrownBy(() -> PartitionValues.check(keys, List.of("2024-02-01"), "Values"))
                .hasMessage("Values has 1 value(s) but the table has 2 partition key(s) (day, n)");
    }

    @Test
    void pageTokensResumeTheirOwnListingOnly() {
        String token = PageTokens.after("tables\ndb\n", "sales");
        assertThat(PageTokens.lastName(token, "tables\ndb\n")).contains("sales");
        assertThat(PageTokens.lastName(null, "tables\ndb\n")).isEmpty();
        assertThatThrownBy(() -> PageTokens.lastName(token, "tables\nother\n")).hasMessageContaining("NextToken belongs to another listing");
        assertThatThrownBy(() -> PageTokens.lastName("%%%", "x")).hasMessageContaining("NextToken is not valid");
    }
}
