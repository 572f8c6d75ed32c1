package io.hearth.server.catalog.glue;

import io.hearth.server.HearthException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Names of databases and tables. Glue folds them to lower case; the metastore (and so Spark and
 * Hive SQL) accepts letters, digits and underscores only, so other names are refused up front
 * with a message naming the request member.
 */
final class CatalogNames {
    private static final Pattern VALID = Pattern.compile("[a-z0-9_]+");

    private CatalogNames() {}

    /** The stored form of a database or table name, or InvalidInputException naming {@code member}. */
    static String normalize(String name, String member) {
        if (name == null || name.isEmpty()) {
            throw HearthException.invalidArgument("%s is required", member);
        }
        String folded = name.toLowerCase(Locale.ROOT);
        if (!VALID.matcher(folded).matches()) {
            throw HearthException.invalidArgument("%s '%s' is not a valid name: use only letters, digits and underscores", member, name);
        }
        return folded;
    }

    /** Names used only to look something up: an invalid name cannot exist, which is not an input error. */
    static String lookup(String name) {
        return name == null ? "" : name.toLowerCase(Locale.ROOT);
    }
}
