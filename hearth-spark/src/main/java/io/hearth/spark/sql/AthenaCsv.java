package io.hearth.spark.sql;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Query results in the CSV form Athena writes to {@code <QueryExecutionId>.csv}: every value in double quotes with
 * quotes doubled, SQL NULL as an empty unquoted field, a header line of the column names, {@code \n} line ends.
 */
final class AthenaCsv {
    private final Writer out;

    AthenaCsv(Writer out) {
        this.out = out;
    }

    void header(List<String> names) throws IOException {
        line(names);
    }

    /** One row; a null element is SQL NULL. */
    void line(List<String> values) throws IOException {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            String value = values.get(i);
            if (value != null) {
                out.write('"');
                out.write(value.replace("\"", "\"\""));
                out.write('"');
            }
        }
        out.write('\n');
    }
}
