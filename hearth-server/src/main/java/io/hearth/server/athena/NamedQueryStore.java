package io.hearth.server.athena;

import static io.hearth.server.persistence.Columns.millis;
import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** Persistence of named queries. */
public final class NamedQueryStore {
    private final Jdbi jdbi;

    public NamedQueryStore(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /** Writes a new named query; the one stored before with the same client request token in the work group, if there is one. */
    Optional<NamedQuery> insert(NamedQuery query, Instant now) {
        return jdbi.inTransaction(handle -> {
            if (query.clientRequestToken() != null) {
                Optional<NamedQuery> earlier = handle.createQuery(
                                "SELECT * FROM athena_named_queries WHERE work_group = :workGroup AND client_request_token = :token")
                        .bind("workGroup", query.workGroup())
                        .bind("token", query.clientRequestToken())
                        .map((row, context) -> read(row))
                        .findOne();
                if (earlier.isPresent()) {
                    return earlier;
                }
            }
            handle.createUpdate("""
                    INSERT INTO athena_named_queries (id, work_group, client_request_token, name, description, database_name, query_string, created_at)
                    VALUES (:id, :workGroup, :token, :name, :description, :database, :query, :now)""")
                    .bind("id", query.id())
                    .bind("workGroup", query.workGroup())
                    .bind("token", query.clientRequestToken())
                    .bind("name", query.name())
                    .bind("description", query.description())
                    .bind("database", query.database())
                    .bind("query", query.queryString())
                    .bind("now", millis(now))
                    .execute();
            return Optional.empty();
        });
    }

    Optional<NamedQuery> find(String id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM athena_named_queries WHERE id = :id")
                .bind("id", id)
                .map((row, context) -> read(row))
                .findOne());
    }

    /** Named queries of a work group, newest first, after the one with sequence {@code beforeSeq}. */
    List<NamedQuery> list(String workGroup, Long beforeSeq, int limit) {
        String sql = "SELECT * FROM athena_named_queries WHERE work_group = :workGroup" + (beforeSeq == null ? "" : " AND seq < :beforeSeq")
                + " ORDER BY seq DESC LIMIT :limit";
        return jdbi.withHandle(handle -> {
            Query query = handle.createQuery(sql).bind("workGroup", workGroup).bind("limit", limit);
            if (beforeSeq != null) {
                query.bind("beforeSeq", beforeSeq);
            }
            return query.map((row, context) -> read(row)).list();
        });
    }

    boolean update(String id, String name, String description, String queryString) {
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "UPDATE athena_named_queries SET name = :name, description = :description, query_string = :query WHERE id = :id")
                .bind("name", name)
                .bind("description", description)
                .bind("query", queryString)
                .bind("id", id)
                .execute() == 1);
    }

    boolean delete(String id) {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM athena_named_queries WHERE id = :id").bind("id", id).execute() == 1);
    }

    private static NamedQuery read(ResultSet row) throws SQLException {
        return new NamedQuery(row.getLong("seq"), row.getString("id"), row.getString("work_group"), row.getString("client_request_token"),
                row.getString("name"), row.getString("description"), row.getString("database_name"), row.getString("query_string"));
    }
}
