package io.hearth.server.athena;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A prepared statement: SQL with {@code ?} placeholders, named in its work group, run by {@code EXECUTE name USING ...}. */
public record PreparedStatement(String workGroup, String name, String queryStatement, String description, Instant lastModified) {
    public PreparedStatement {
        requireNonNull(workGroup, "workGroup is null");
        requireNonNull(name, "name is null");
        requireNonNull(queryStatement, "queryStatement is null");
        requireNonNull(lastModified, "lastModified is null");
    }
}
