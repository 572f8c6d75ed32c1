package io.hearth.server.athena;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestAthenaCsvReader {
    private static List<List<String>> read(String csv) throws IOException {
        BufferedReader reader = new BufferedReader(new StringReader(csv));
        List<List<String>> rows = new ArrayList<>();
        for (List<String> row = AthenaCsvReader.next(reader); row != null; row = AthenaCsvReader.next(reader)) {
            rows.add(row);
        }
        return rows;
    }

    @Test
    void quotedValuesMayHoldCommasQuotesAndLineBreaks() throws IOException {
        assertThat(read("\"a\",\"b\"\n\"x, \"\"y\"\"\",\"line\nbreak\"\n")).containsExactly(List.of("a", "b"), List.of("x, \"y\"", "line\nbreak"));
    }

    @Test
    void anUnquotedEmptyFieldIsNullAndAQuotedOneIsEmpty() throws IOException {
        assertThat(read(",\"\",\"z\"\n\"q\",\n")).containsExactly(Arrays.asList(null, "", "z"), Arrays.asList("q", null));
    }

    @Test
    void noInputIsNoRows() throws IOException {
        assertThat(read("")).isEmpty();
    }
}
