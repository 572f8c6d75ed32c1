package io.hearth.server.athena;

import java.util.List;

/**
 * One page of a list sorted by name, as the Athena API pages lists: up to {@code MaxResults} names after the one the
 * NextToken names, and a NextToken when more follow.
 */
record Page<T>(List<T> items, String nextToken) {
    private static final int DEFAULT_PAGE = 50;

    /** The page of {@code sorted} after {@code token}, of {@code kind} (tokens of one kind do not page another). */
    static Page<String> of(List<String> sorted, String token, Integer maxResults, String kind) {
        int limit = maxResults == null ? DEFAULT_PAGE : maxResults;
        String after = token == null ? null : AthenaResponses.position(token, kind);
        List<String> rest = after == null ? sorted : sorted.stream().filter(name -> name.compareTo(after) > 0).toList();
        boolean more = rest.size() > limit;
        List<String> shown = more ? rest.subList(0, limit) : rest;
        return new Page<>(shown, more ? AthenaResponses.token(kind, shown.get(shown.size() - 1)) : null);
    }
}
