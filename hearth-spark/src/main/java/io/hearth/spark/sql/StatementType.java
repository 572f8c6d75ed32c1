package io.hearth.spark.sql;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Athena's StatementType of a query, from its first keyword: DML for queries and writes (SELECT, WITH, INSERT, CTAS),
 * UTILITY for SHOW, DESCRIBE and EXPLAIN, DDL for the rest (CREATE, DROP, ALTER, MSCK ...). {@link #returnsRows} says
 * whether Athena answers with a result set (a header row first) rather than an update count.
 */
public enum StatementType {
    DDL, DML, UTILITY;

    private static final Pattern COMMENTS = Pattern.compile("(?s)(--[^\\n]*(\\n|$)|/\\*.*?\\*/)");
    private static final Pattern AS_SELECT = Pattern.compile("(?is).*\\bAS\\s*\\(?\\s*(SELECT|WITH|VALUES|TABLE)\\b.*");
    private static final Set<String> QUERIES = Set.of("SELECT", "WITH", "VALUES", "TABLE", "FROM", "(");
    private static final Set<String> UTILITIES = Set.of("SHOW", "DESCRIBE", "DESC", "EXPLAIN");

    public static StatementType of(String sql) {
        String keyword = firstKeyword(sql);
        if (QUERIES.contains(keyword) || keyword.equals("INSERT") || isCreateTableAsSelect(sql, keyword)) {
            return DML;
        }
        return UTILITIES.contains(keyword) ? UTILITY : DDL;
    }

    /** Whether the statement answers with rows: queries and utilities do, writes and DDL do not. */
    public static boolean returnsRows(String sql) {
        String keyword = firstKeyword(sql);
        return QUERIES.contains(keyword) || UTILITIES.contains(keyword);
    }

    static String firstKeyword(String sql) {
        String text = COMMENTS.matcher(sql).replaceAll(" ").strip();
        if (text.startsWith("(")) {
            return "(";
        }
        int end = 0;
        while (end < text.length() && Character.isLetter(text.charAt(end))) {
            end++;
        }
        return text.substring(0, end).toUpperCase(Locale.ROOT);
    }

    private static boolean isCreateTableAsSelect(String sql, String keyword) {
        return keyword.equals("CREATE") && AS_SELECT.matcher(COMMENTS.matcher(sql).replaceAll(" ")).matches();
    }
}
