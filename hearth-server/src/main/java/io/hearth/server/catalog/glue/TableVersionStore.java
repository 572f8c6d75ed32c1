package io.hearth.server.catalog.glue;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.jdbi.v3.core.Jdbi;

/**
 * The version history of catalog tables, in Hearth's database: one row per definition Glue
 * clients wrote (CreateTable, then each UpdateTable), stored as the Glue Table JSON. Rows belong
 * to one incarnation of a table (its metastore creation time), so a table dropped and created
 * again starts a history of its own.
 */
final class TableVersionStore {
    record StoredVersion(long versionId, String definition) {}

    private final Jdbi jdbi;

    TableVersionStore(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    OptionalLong latestVersion(String database, String table, long createdAt) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT MAX(version_id) FROM catalog_table_versions
                        WHERE database_name = :database AND table_name = :table AND table_created_at = :createdAt""")
                .bind("database", database).bind("table", table).bind("createdAt", createdAt)
                .mapTo(Long.class).findOne()
                .map(OptionalLong::of).orElse(OptionalLong.empty()));
    }

    /** Versions in ascending order. */
    List<StoredVersion> versions(String database, String table, long createdAt) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT version_id, definition FROM catalog_table_versions
                        WHERE database_name = :database AND table_name = :table AND table_created_at = :createdAt
                        ORDER BY version_id""")
                .bind("database", database).bind("table", table).bind("createdAt", createdAt)
                .map((rows, context) -> new StoredVersion(rows.getLong("version_id"), rows.getString("definition")))
                .list());
    }

    void record(String database, String table, long createdAt, long versionId, String definition, Instant now) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO catalog_table_versions (database_name, table_name, table_created_at, version_id, definition, recorded_at)
                        VALUES (:database, :table, :createdAt, :versionId, :definition, :now)""")
                .bind("database", database).bind("table", table).bind("createdAt", createdAt).bind("versionId", versionId)
                .bind("definition", definition).bind("now", now.toEpochMilli())
                .execute());
    }

    void forget(String database, String table, long createdAt, long versionId) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        DELETE FROM catalog_table_versions
                        WHERE database_name = :database AND table_name = :table AND table_created_at = :createdAt AND version_id = :versionId""")
                .bind("database", database).bind("table", table).bind("createdAt", createdAt).bind("versionId", versionId)
                .execute());
    }

    /** Forgets every version of the table (all incarnations): DeleteTable. */
    void forgetTable(String database, String table) {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM catalog_table_versions WHERE database_name = :database AND table_name = :table")
                .bind("database", database).bind("table", table).execute());
    }

    void forgetDatabase(String database) {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM catalog_table_versions WHERE database_name = :database")
                .bind("database", database).execute());
    }
}
