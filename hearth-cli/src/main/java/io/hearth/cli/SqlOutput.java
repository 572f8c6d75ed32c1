package io.hearth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How {@code hearth sql} prints a result: an aligned table, CSV with a header, or one JSON object per row. */
final class SqlOutput {
    enum Format { table, csv, json }

    private static final ObjectMapper JSON = new ObjectMapper();

    private SqlOutput() {}

    static void print(Format format, List<String> names, List<List<String>> rows, PrintStream out) {
        switch (format) {
            case table -> table(names, rows, out);
            case csv -> csv(names, rows, out);
            case json -> json(names, rows, out);
        }
        out.flush();
    }

    private static void table(List<String> names, List<List<String>> rows, PrintStream out) {
        if (names.isEmpty()) {
            return;
        }
        int[] widths = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            widths[i] = names.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], shown(row, i).length());
            }
        }
        out.println(line(names, widths));
        List<String> rule = new ArrayList<>();
        for (int width : widths) {
            rule.add("-".repeat(width));
        }
        out.println(String.join("-+-", rule));
        for (List<String> row : rows) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                cells.add(shown(row, i));
            }
            out.println(line(cells, widths));
        }
    }

    private static String shown(List<String> row, int column) {
        String value = column < row.size() ? row.get(column) : null;
        return value == null ? "NULL" : value.replace("\n", "\\n");
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                text.append(" | ");
            }
            text.append(cells.get(i)).append(" ".repeat(widths[i] - cells.get(i).length()));
        }
        return text.toString().stripTrailing();
    }

    private static void csv(List<String> names, List<List<String>> rows, PrintStream out) {
        out.println(String.join(",", names.stream().map(SqlOutput::csvField).toList()));
        for (List<String> row : rows) {
            out.println(String.join(",", row.stream().map(value -> value == null ? "" : csvField(value)).toList()));
        }
    }

    /** RFC 4180: quoted only when it must be. */
    private static String csvField(String value) {
        return value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")
                ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    private static void json(List<String> names, List<List<String>> rows, PrintStream out) {
        for (List<String> row : rows) {
            Map<String, String> object = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                object.put(names.get(i), i < row.size() ? row.get(i) : null);
            }
            try {
                out.println(JSON.writeValueAsString(object));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Cannot write a row as JSON", e);
            }
        }
    }
}
