package io.hearth.server.athena;

import io.hearth.server.HearthException;
import java.util.ArrayList;
import java.util.List;

/**
 * Athena's SQL spelled as Spark SQL, where the translation is safe: double-quoted identifiers ({@code "my col"}, which
 * Spark would read as a string) become back-quoted, and the {@code ?} placeholders take the query's ExecutionParameters
 * in order. String literals, back-quoted identifiers and comments are copied as they are.
 */
final class AthenaSql {
    private AthenaSql() {}

    static String toSpark(String sql, List<String> parameters) {
        StringBuilder out = new StringBuilder(sql.length() + 16);
        int used = 0;
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '`') {
                int end = closing(sql, i, c);
                out.append(sql, i, end);
                i = end;
            } else if (c == '-' && sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? sql.length() : end;
                out.append(sql, i, end);
                i = end;
            } else if (c == '/' && sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? sql.length() : end + 2;
                out.append(sql, i, end);
                i = end;
            } else if (c == '"') {
                int end = closing(sql, i, '"');
                String name = sql.substring(i + 1, Math.max(i + 1, end - 1)).replace("\"\"", "\"");
                out.append('`').append(name.replace("`", "``")).append('`');
                i = end;
            } else if (c == '?') {
                if (used == parameters.size()) {
                    throw HearthException.invalidArgument("The query has more ? placeholders than the %d ExecutionParameters given", parameters.size());
                }
                out.append(parameters.get(used++));
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        if (used < parameters.size()) {
            throw HearthException.invalidArgument("%d ExecutionParameters were given for %d ? placeholders in the query", parameters.size(), used);
        }
        return out.toString();
    }

    /** The parts of a list split at the commas outside quotes, parentheses and brackets. */
    static List<String> splitAtTopLevelCommas(String list) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '\'') {
                i = closing(list, i, '\'') - 1;
            } else if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(list.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(list.substring(start));
        return parts;
    }

    /** The index after the quote that closes the one at {@code start}; a doubled quote is part of the text. */
    static int closing(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            if (quote == '\'' && sql.charAt(i) == '\\') {
                i++;
            }
            i++;
        }
        return sql.length();
    }
}
