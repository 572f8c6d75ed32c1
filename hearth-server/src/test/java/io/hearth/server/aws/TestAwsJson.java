package io.hearth.server.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestAwsJson {
    record Timeline(Instant creationDateTime, Instant endDateTime) {}

    record ClusterSummary(String id, String name, int normalizedInstanceHours, Timeline timeline, List<String> tags) {}

    private final ObjectMapper mapper = AwsJson.newMapper();

    @Test
    void timestampIsEpochSecondsWithMillisecondFraction() throws Exception {
        assertThat(mapper.writeValueAsString(Instant.ofEpochMilli(1700000000123L))).isEqualTo("1700000000.123");
    }

    @Test
    void timestampOnAWholeSecondKeepsThreeDecimals() throws Exception {
        assertThat(mapper.writeValueAsString(Instant.ofEpochSecond(1700000000L))).isEqualTo("1700000000.000");
    }

    @Test
    void timestampDropsSubMillisecondPrecision() throws Exception {
        assertThat(mapper.writeValueAsString(Instant.ofEpochSecond(1700000000L, 123_999_999L))).isEqualTo("1700000000.123");
    }

    @Test
    void timestampReadsBackAsTheSameDecimal() throws Exception {
        JsonNode tree = mapper.readTree(mapper.writeValueAsString(new Timeline(Instant.ofEpochMilli(1700000000123L), null)));

        assertThat(new BigDecimal(tree.get("CreationDateTime").asText())).isEqualByComparingTo("1700000000.123");
    }

    @Test
    void recordComponentsBecomePascalCaseMembers() throws Exception {
        String json = mapper.writeValueAsString(new ClusterSummary("j-1", "etl", 8, null, List.of("a")));

        assertThat(json).isEqualTo("{\"Id\":\"j-1\",\"Name\":\"etl\",\"NormalizedInstanceHours\":8,\"Tags\":[\"a\"]}");
    }

    @Test
    void nullMembersAreOmitted() throws Exception {
        String json = mapper.writeValueAsString(new Timeline(Instant.ofEpochMilli(1000L), null));

        assertThat(json).isEqualTo("{\"CreationDateTime\":1.000}");
    }

    @Test
    void nestedRecordsAreWrittenWithTheSameRules() throws Exception {
        String json = mapper.writeValueAsString(
                new ClusterSummary("j-1", null, 0, new Timeline(Instant.ofEpochMilli(1700000000123L), Instant.ofEpochMilli(1700000060000L)), null));

        assertThat(json).isEqualTo("{\"Id\":\"j-1\",\"NormalizedInstanceHours\":0,"
                + "\"Timeline\":{\"CreationDateTime\":1700000000.123,\"EndDateTime\":1700000060.000}}");
    }

    @Test
    void pascalCaseMembersReadIntoRecordsIgnoringUnknownOnes() throws Exception {
        ClusterSummary summary = mapper.readValue(
                "{\"Id\":\"j-2\",\"Name\":\"ml\",\"NormalizedInstanceHours\":16,\"Unknown\":true}", ClusterSummary.class);

        assertThat(summary).isEqualTo(new ClusterSummary("j-2", "ml", 16, null, null));
    }
}
