package io.hearth.server.athena;

import io.hearth.server.HearthException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Athena's CTAS, {@code CREATE TABLE t WITH (format = 'PARQUET', external_location = 's3://...', partitioned_by =
 * ARRAY['dt']) AS SELECT ...}, spelled as Spark SQL: {@code CREATE TABLE t USING parquet PARTITIONED BY (dt) LOCATION
 * 's3://...' AS SELECT ...}. A property Spark has no counterpart for is an error naming it. Other statements pass
 * through as they are.
 */
final class AthenaCtas {
    private static final String PART = "(?:`(?:[^`]|``)*`|[A-Za-z0-9_]+)";
    private static final Pattern HEAD = Pattern.compile(
            "\\s*CREATE\\s+TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?(" + PART + "(?:\\s*\\.\\s*" + PART + ")*)\\s+WITH\\s*\\(",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern AS = Pattern.compile("\\s*AS\\s", Pattern.CASE_INSENSITIVE);
    private static final Pattern PROPERTY = Pattern.compile("\\s*([A-Za-z_]+)\\s*=\\s*(.*?)\\s*", Pattern.DOTALL);
    private static final Pattern ARRAY = Pattern.compile("ARRAY\\s*\\[(.*)\\]", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern WITH_DATA = Pattern.compile("(.*?)\\s+WITH\\s+(NO\\s+)?DATA\\s*;?\\s*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Map<String, String> FORMATS = Map.of("PARQUET", "parquet", "ORC", "orc", "JSON", "json", "TEXTFILE", "csv",
            "AVRO", "avro");

    private AthenaCtas() {}

    static String toSpark(String sql) {
        Matcher head = HEAD.matcher(sql);
        if (!head.lookingAt()) {
            return sql;
        }
        int open = head.end() - 1;
        int close = closingParenthesis(sql, open);
        Matcher as = AS.matcher(sql).region(close + 1, sql.length());
        if (!as.lookingAt()) {
            throw HearthException.invalidArgument("CREATE TABLE ... WITH (...) must be followed by AS SELECT ...: Athena's WITH form is for CTAS");
        }
        Map<String, String> properties = properties(sql.substring(open + 1, close));
        String select = sql.substring(as.end());
        Matcher withData = WITH_DATA.matcher(select);
        if (withData.matches()) {
            select = withData.group(2) == null ? withData.group(1) : "SELECT * FROM (" + withData.group(1) + ") LIMIT 0";
        }
        StringBuilder spark = new StringBuilder("CREATE TABLE ");
        if (head.group(1) != null) {
            spark.append("IF NOT EXISTS ");
        }
        spark.append(head.group(2)).append(clauses(properties)).append(" AS ").append(select);
        return spark.toString();
    }

    /** Spark's clauses for the WITH properties, in Spark's order. */
    private static String clauses(Map<String, String> properties) {
        Map<String, String> rest = new LinkedHashMap<>(properties);
        String format = rest.remove("format");
        String sparkFormat = FORMATS.get(format == null ? "PARQUET" : format.toUpperCase(Locale.ROOT));
        if (sparkFormat == null) {
            throw HearthException.invalidArgument("CTAS format = '%s' is not one Hearth writes: use PARQUET, ORC, JSON, TEXTFILE or AVRO", format);
        }
        StringBuilder out = new StringBuilder(" USING ").append(sparkFormat);
        List<String> options = new ArrayList<>();
        for (String compression : List.of("write_compression", "parquet_compression", "orc_compression")) {
            String value = rest.remove(compression);
            if (value != null) {
                options.add("compression " + literal(value.toLowerCase(Locale.ROOT)));
            }
        }
        String delimiter = rest.remove("field_delimiter");
        if (delimiter != null || sparkFormat.equals("csv")) {
            // Athena's TEXTFILE default delimiter is \001, as Hive's
            options.add("sep " + literal(delimiter == null ? "\u0001" : delimiter));
        }
        if (!options.isEmpty()) {
            out.append(" OPTIONS (").append(String.join(", ", options)).append(')');
        }
        String partitions = rest.remove("partitioned_by");
        if (partitions != null) {
            out.append(" PARTITIONED BY (").append(columns(partitions, "partitioned_by")).append(')');
        }
        String buckets = rest.remove("bucketed_by");
        String bucketCount = rest.remove("bucket_count");
        if (buckets != null || bucketCount != null) {
            if (buckets == null || bucketCount == null || !bucketCount.matches("[0-9]+")) {
                throw HearthException.invalidArgument("CTAS bucketed_by needs bucket_count, a number, and bucket_count needs bucketed_by");
            }
            out.append(" CLUSTERED BY (").append(columns(buckets, "bucketed_by")).append(") INTO ").append(bucketCount).append(" BUCKETS");
        }
        String location = rest.remove("external_location");
        if (location != null) {
            out.append(" LOCATION ").append(literal(location));
        }
        rest.remove("is_external"); // Spark makes a table with a LOCATION external, as Athena does
        if (!rest.isEmpty()) {
            throw HearthException.invalidArgument("CTAS property %s is not one Hearth translates to Spark SQL; the ones it does are format, "
                    + "external_location, partitioned_by, bucketed_by, bucket_count, write_compression, field_delimiter and is_external",
                    rest.keySet().iterator().next());
        }
        return out.toString();
    }

    /** The WITH list as property names (lower case) to values: strings unquoted, arrays kept as {@code ARRAY[...]}. */
    private static Map<String, String> properties(String list) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String entry : AthenaSql.splitAtTopLevelCommas(list)) {
            if (entry.isBlank()) {
                continue;
            }
            Matcher property = PROPERTY.matcher(entry);
            if (!property.matches()) {
                throw HearthException.invalidArgument("CTAS WITH entry %s is not name = value", entry.strip());
            }
            properties.put(property.group(1).toLowerCase(Locale.ROOT), unquote(property.group(2)));
        }
        return properties;
    }

    /** The back-quoted column list an {@code ARRAY['a', 'b']} names. */
    private static String columns(String array, String property) {
        Matcher matcher = ARRAY.matcher(array);
        if (!matcher.matches()) {
            throw HearthException.invalidArgument("CTAS %s must be an ARRAY of column names, like ARRAY['dt']", property);
        }
        List<String> names = AthenaSql.splitAtTopLevelCommas(matcher.group(1)).stream().map(AthenaCtas::unquote).toList();
        return String.join(", ", names.stream().map(name -> "`" + name.replace("`", "``") + "`").toList());
    }

    private static String unquote(String value) {
        String v = value.strip();
        return v.length() >= 2 && v.startsWith("'") && v.endsWith("'") ? v.substring(1, v.length() - 1).replace("''", "'") : v;
    }

    /** A Spark SQL string literal: Spark escapes with a backslash, and reads {@code ''} as two literals. */
    private static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static int closingParenthesis(String sql, int open) {
        int depth = 0;
        for (int i = open; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'') {
                i = AthenaSql.closing(sql, i, '\'') - 1;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw HearthException.invalidArgument("CREATE TABLE ... WITH ( has no closing parenthesis");
    }
}
