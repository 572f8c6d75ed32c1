package io.hearth.server.catalog.glue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Table;

/**
 * The partition keys of tables whose partitions were listed lately: a hint to start a partition
 * lookup before the table itself is fetched, never an answer on its own (the caller checks it
 * against the table it fetches). Bounded, least recently used first out.
 */
final class KnownPartitionKeys {
    private static final int TABLES = 256;

    private final Map<String, List<FieldSchema>> keys = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<FieldSchema>> eldest) {
            return size() > TABLES;
        }
    };

    /** The keys last seen for this table, or null. */
    synchronized List<FieldSchema> get(String database, String table) {
        return keys.get(key(database, table));
    }

    synchronized void remember(Table table) {
        List<FieldSchema> partitionKeys = table.getPartitionKeys() == null ? List.of() : List.copyOf(table.getPartitionKeys());
        keys.put(key(table.getDbName(), table.getTableName()), partitionKeys);
    }

    private static String key(String database, String table) {
        return database + "." + table;
    }
}
