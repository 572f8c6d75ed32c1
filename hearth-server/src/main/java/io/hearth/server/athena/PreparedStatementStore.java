package io.hearth.server.athena;

import static io.hearth.server.persistence.Columns.instant;
import static io.hearth.server.persistence.Columns.millis;
import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;

/** Persistence of prepared statements, keyed by work group and name. */
public final class PreparedStatementStore {
    private static final String SELECT_ONE = "SELECT * FROM athena_prepared_statements WHERE work_group = :workGroup AND statement_name = :name";

    private final Jdbi jdbi;

    public PreparedStatementStore(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /** Writes a new prepared statement; false when its work group has one of that name. */
    boolean insert(PreparedStatement statement) {
        return jdbi.inTransaction(handle -> {
            if (find(handle.createQuery(SELECT_ONE), statement.workGroup(), statement.name()).isPresent()) {
                return false;
            }
            bind(handle.createUpdate("""
                    INSERT INTO athena_prepared_statements (work_group, statement_name, query_statement, description, last_modified_at)
                    VALUES (:workGroup, :name, :query, :description, :modified)"""), statement).execute();
            return true;
        });
    }

    /** Replaces a prepared statement's text and description; false when there is none of that name. */
    boolean update(PreparedStatement statement) {
        return jdbi.withHandle(handle -> bind(handle.createUpdate("""
                UPDATE athena_prepared_statements SET query_statement = :query, description = :description, last_modified_at = :modified
                WHERE work_group = :workGroup AND statement_name = :name"""), statement).execute() == 1);
    }

    Optional<PreparedStatement> find(String workGroup, String name) {
        return jdbi.withHandle(handle -> find(handle.createQuery(SELECT_ONE), workGroup, name));
    }

    /** The names of a work group's prepared statements, sorted. */
    List<String> names(String workGroup) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT statement_name FROM athena_prepared_statements WHERE work_group = :workGroup ORDER BY statement_name")
                .bind("workGroup", workGroup)
                .mapTo(String.class)
                .list());
    }

    /** The named statements of a work group that exist, in name order. */
    List<PreparedStatement> findAll(String workGroup, List<String> names) {
        if (names.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT * FROM athena_prepared_statements WHERE work_group = :workGroup AND statement_name IN (<names>) ORDER BY statement_name")
                .bind("workGroup", workGroup)
                .bindList("names", names)
                .map((row, context) -> read(row))
                .list());
    }

    boolean delete(String workGroup, String name) {
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "DELETE FROM athena_prepared_statements WHERE work_group = :workGroup AND statement_name = :name")
                .bind("workGroup", workGroup)
                .bind("name", name)
                .execute() == 1);
    }

    /** Deletes the prepared statements of a work group that is deleted. */
    void deleteAll(String workGroup) {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM athena_prepared_statements WHERE work_group = :workGroup")
                .bind("workGroup", workGroup)
                .execute());
    }

    private static Optional<PreparedStatement> find(Query query, String workGroup, String name) {
        return query.bind("workGroup", workGroup).bind("name", name).map((row, context) -> read(row)).findOne();
    }

    private static Update bind(Update update, PreparedStatement statement) {
        return update.bind("workGroup", statement.workGroup())
                .bind("name", statement.name())
                .bind("query", statement.queryStatement())
                .bind("description", statement.description())
                .bind("modified", millis(statement.lastModified()));
    }

    private static PreparedStatement read(ResultSet row) throws SQLException {
        return new PreparedStatement(row.getString("work_group"), row.getString("statement_name"), row.getString("query_statement"),
                row.getString("description"), instant(row, "last_modified_at"));
    }
}
