package io.hearth.server.athena;

import static io.hearth.server.persistence.Columns.instant;
import static io.hearth.server.persistence.Columns.millis;
import static io.hearth.server.persistence.Columns.nullableLong;
import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Persistence of work groups; {@code primary} is created by the schema and never deleted. */
public final class WorkGroupStore {
    private final Jdbi jdbi;

    public WorkGroupStore(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /** Writes a new work group; false when one of that name exists. */
    boolean insert(WorkGroup group) {
        return jdbi.inTransaction(handle -> {
            if (handle.createQuery("SELECT COUNT(*) FROM athena_work_groups WHERE name = :name").bind("name", group.name()).mapTo(Integer.class)
                    .one() > 0) {
                return false;
            }
            write(handle.createUpdate("""
                    INSERT INTO athena_work_groups (name, state, description, output_location, enforce_configuration, bytes_scanned_cutoff, created_at)
                    VALUES (:name, :state, :description, :outputLocation, :enforce, :cutoff, :createdAt)"""), group)
                    .bind("createdAt", millis(group.createdAt()))
                    .execute();
            return true;
        });
    }

    void update(WorkGroup group) {
        jdbi.useHandle(handle -> write(handle.createUpdate("""
                UPDATE athena_work_groups SET state = :state, description = :description, output_location = :outputLocation,
                    enforce_configuration = :enforce, bytes_scanned_cutoff = :cutoff
                WHERE name = :name"""), group).execute());
    }

    private static org.jdbi.v3.core.statement.Update write(org.jdbi.v3.core.statement.Update update, WorkGroup group) {
        return update.bind("name", group.name())
                .bind("state", group.enabled() ? "ENABLED" : "DISABLED")
                .bind("description", group.description())
                .bind("outputLocation", group.outputLocation())
                .bind("enforce", group.enforceConfiguration())
                .bind("cutoff", group.bytesScannedCutoff());
    }

    boolean delete(String name) {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM athena_work_groups WHERE name = :name").bind("name", name).execute() == 1);
    }

    public Optional<WorkGroup> find(String name) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM athena_work_groups WHERE name = :name")
                .bind("name", name)
                .map((row, context) -> read(row))
                .findOne());
    }

    /** Work groups by name, after {@code afterName} when set. */
    List<WorkGroup> list(String afterName, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT * FROM athena_work_groups WHERE name > :after ORDER BY name LIMIT :limit")
                .bind("after", afterName == null ? "" : afterName)
                .bind("limit", limit)
                .map((row, context) -> read(row))
                .list());
    }

    private static WorkGroup read(ResultSet row) throws SQLException {
        return new WorkGroup(row.getString("name"), row.getString("state").equals("ENABLED"), row.getString("description"),
                row.getString("output_location"), row.getBoolean("enforce_configuration"), nullableLong(row, "bytes_scanned_cutoff"),
                instant(row, "created_at"));
    }
}
