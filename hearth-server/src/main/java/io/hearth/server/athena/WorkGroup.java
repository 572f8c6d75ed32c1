package io.hearth.server.athena;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * An Athena work group: where its queries' results go by default, whether that overrides the query's own location,
 * and the most a query may scan before it is cancelled.
 *
 * @param enabled DISABLED work groups accept no queries
 * @param bytesScannedCutoff the per-query data usage control, or null for none
 */
public record WorkGroup(String name, boolean enabled, String description, String outputLocation, boolean enforceConfiguration,
        Long bytesScannedCutoff, Instant createdAt) {
    public static final String PRIMARY = "primary";

    public WorkGroup {
        requireNonNull(name, "name is null");
        requireNonNull(createdAt, "createdAt is null");
    }
}
