package io.hearth.server.athena;

import static java.util.Objects.requireNonNull;

/** A named query: saved SQL with the database it runs in, kept in a work group. */
public record NamedQuery(long seq, String id, String workGroup, String clientRequestToken, String name, String description, String database,
        String queryString) {
    public NamedQuery {
        requireNonNull(id, "id is null");
        requireNonNull(workGroup, "workGroup is null");
        requireNonNull(name, "name is null");
        requireNonNull(database, "database is null");
        requireNonNull(queryString, "queryString is null");
    }
}
