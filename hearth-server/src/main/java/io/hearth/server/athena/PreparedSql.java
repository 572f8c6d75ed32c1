package io.hearth.server.athena;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Athena's statements about prepared statements, which Hearth runs itself rather than the engine (Spark SQL has none):
 * {@code PREPARE name FROM statement}, {@code EXECUTE name [USING value, ...]} and {@code DEALLOCATE PREPARE name}.
 */
sealed interface PreparedSql {
    String NAME = "([A-Za-z_][A-Za-z0-9_@:]*)";
    Pattern PREPARE = Pattern.compile("PREPARE\\s+" + NAME + "\\s+FROM\\s+(.+)", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    Pattern EXECUTE = Pattern.compile("EXECUTE\\s+" + NAME + "(?:\\s+USING\\s+(.+))?", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    Pattern DEALLOCATE = Pattern.compile("DEALLOCATE\\s+PREPARE\\s+" + NAME, Pattern.CASE_INSENSITIVE);

    /** {@code PREPARE name FROM statement}: saves the statement, replacing one of that name. */
    record Prepare(String name, String statement) implements PreparedSql {}

    /** {@code EXECUTE name USING values}: runs the statement with its placeholders taking the values, in order. */
    record Execute(String name, List<String> values) implements PreparedSql {}

    /** {@code DEALLOCATE PREPARE name}: deletes the statement. */
    record Deallocate(String name) implements PreparedSql {}

    /** The prepared-statement statement the query is, if it is one. */
    static Optional<PreparedSql> parse(String query) {
        String sql = query.strip();
        while (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1).strip();
        }
        Matcher prepare = PREPARE.matcher(sql);
        if (prepare.matches()) {
            return Optional.of(new Prepare(prepare.group(1), prepare.group(2)));
        }
        Matcher execute = EXECUTE.matcher(sql);
        if (execute.matches()) {
            return Optional.of(new Execute(execute.group(1), execute.group(2) == null ? List.of() : values(execute.group(2))));
        }
        Matcher deallocate = DEALLOCATE.matcher(sql);
        return deallocate.matches() ? Optional.of(new Deallocate(deallocate.group(1))) : Optional.empty();
    }

    /** The values of a USING list: split at the commas outside string literals and parentheses. */
    private static List<String> values(String list) {
        return AthenaSql.splitAtTopLevelCommas(list).stream().map(String::strip).toList();
    }
}
