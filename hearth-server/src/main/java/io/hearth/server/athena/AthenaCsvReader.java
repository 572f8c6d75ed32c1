package io.hearth.server.athena;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Athena's result CSV back: every value double-quoted with quotes doubled (so a value may hold commas and line
 * breaks), SQL NULL an empty field without quotes, {@code \n} after each record.
 */
final class AthenaCsvReader {
    private AthenaCsvReader() {}

    /** The next record, its NULLs as null elements; null at the end of the input. */
    static List<String> next(BufferedReader in) throws IOException {
        int c = in.read();
        if (c < 0) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder value = new StringBuilder();
        boolean quoted = false;
        while (true) {
            if (c < 0 || c == '\n') {
                fields.add(quoted ? value.toString() : null);
                return fields;
            }
            if (c == ',') {
                fields.add(quoted ? value.toString() : null);
                value.setLength(0);
                quoted = false;
            } else if (c == '"') {
                quoted = true;
                readQuoted(in, value);
            } else {
                value.append((char) c);
                quoted = true;
            }
            c = in.read();
        }
    }

    private static void readQuoted(BufferedReader in, StringBuilder value) throws IOException {
        while (true) {
            int c = in.read();
            if (c < 0) {
                return;
            }
            if (c == '"') {
                in.mark(1);
                int after = in.read();
                if (after != '"') {
                    if (after >= 0) {
                        in.reset();
                    }
                    return;
                }
            }
            value.append((char) c);
        }
    }
}
