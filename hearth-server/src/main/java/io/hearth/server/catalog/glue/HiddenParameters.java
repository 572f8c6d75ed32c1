package io.hearth.server.catalog.glue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parameters Hearth keeps in the metastore next to a Glue object's own, to give back exactly what
 * Glue clients sent: values the metastore has no field for (LastAnalyzedTime, a location as
 * written) and the names of parameters Hearth added for Spark or Hive. Glue responses never show
 * them.
 */
final class HiddenParameters {
    static final String PREFIX = "hearth.glue.";
    static final String ADDED = PREFIX + "added-parameters";
    static final String ADDED_SERDE = PREFIX + "added-serde-parameters";
    static final String LOCATION = PREFIX + "location";
    /** A database's description and location as last written: the metastore keeps only the first ones. */
    static final String DESCRIPTION = PREFIX + "description";
    static final String LAST_ANALYZED_TIME = PREFIX + "last-analyzed-time";
    static final String CREATE_TIME = PREFIX + "create-time";
    static final String COLUMN_PARAMETERS = PREFIX + "column-parameters";
    static final String TABLE_TYPE_UNSET = PREFIX + "table-type-unset";
    /** The metastore stamps every change; Glue shows it as UpdateTime. */
    static final String DDL_TIME = "transient_lastDdlTime";

    private HiddenParameters() {}

    /**
     * Adds parameters on Hearth's behalf to {@code target} (keeping any the user set), and writes
     * their names into {@code ledger} (the table's parameters) under {@code ledgerKey}.
     */
    static void add(Map<String, String> target, Map<String, String> additions, Map<String, String> ledger, String ledgerKey) {
        Set<String> names = new LinkedHashSet<>(names(ledger.get(ledgerKey)));
        additions.forEach((key, value) -> {
            if (!target.containsKey(key)) {
                target.put(key, value);
                names.add(key);
            }
        });
        if (!names.isEmpty()) {
            ledger.put(ledgerKey, String.join(",", names));
        }
    }

    /** The parameters as Glue shows them: without Hearth's own and without those it added. */
    static Map<String, String> visible(Map<String, String> parameters, String ledger) {
        Map<String, String> visible = new LinkedHashMap<>();
        if (parameters == null) {
            return visible;
        }
        Set<String> added = names(ledger);
        parameters.forEach((key, value) -> {
            if (!key.startsWith(PREFIX) && !key.equals(DDL_TIME) && !added.contains(key)) {
                visible.put(key, value);
            }
        });
        return visible;
    }

    static Set<String> names(String ledger) {
        if (ledger == null || ledger.isEmpty()) {
            return Set.of();
        }
        return Arrays.stream(ledger.split(",")).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
