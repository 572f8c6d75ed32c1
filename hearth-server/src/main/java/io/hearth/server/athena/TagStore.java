package io.hearth.server.athena;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Persistence of the tags of Athena resources, keyed by the resource ({@code workgroup/name}, {@code datacatalog/name}). */
public final class TagStore {
    private final Jdbi jdbi;

    public TagStore(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /** A resource's tags, by key. */
    Map<String, String> tags(String resource) {
        Map<String, String> tags = new LinkedHashMap<>();
        jdbi.useHandle(handle -> handle.createQuery("SELECT tag_key, tag_value FROM athena_tags WHERE resource = :resource ORDER BY tag_key")
                .bind("resource", resource)
                .map((row, context) -> tags.put(row.getString("tag_key"), row.getString("tag_value")))
                .list());
        return tags;
    }

    /** Sets tags on a resource, replacing the values of keys it has, in one transaction. */
    void put(String resource, Map<String, String> tags) {
        jdbi.useTransaction(handle -> {
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                handle.createUpdate("DELETE FROM athena_tags WHERE resource = :resource AND tag_key = :key")
                        .bind("resource", resource)
                        .bind("key", tag.getKey())
                        .execute();
                handle.createUpdate("INSERT INTO athena_tags (resource, tag_key, tag_value) VALUES (:resource, :key, :value)")
                        .bind("resource", resource)
                        .bind("key", tag.getKey())
                        .bind("value", tag.getValue())
                        .execute();
            }
        });
    }

    void remove(String resource, Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM athena_tags WHERE resource = :resource AND tag_key IN (<keys>)")
                .bind("resource", resource)
                .bindList("keys", keys)
                .execute());
    }

    void removeAll(String resource) {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM athena_tags WHERE resource = :resource").bind("resource", resource).execute());
    }
}
