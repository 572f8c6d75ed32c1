package io.hearth.server.catalog.glue;

import io.hearth.server.HearthException;
import io.hearth.server.catalog.glue.GlueShapes.GetPartitionsRequest;
import io.hearth.server.catalog.glue.GlueShapes.GetPartitionsResponse;
import io.hearth.server.catalog.glue.GlueShapes.Partition;
import io.hearth.server.catalog.glue.GlueShapes.Segment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Table;

/**
 * GetPartitions: which partitions match (the metastore evaluates what it can of the expression,
 * Hearth the rest), in name order, split into Segments and pages.
 *
 * <p>The first page computes the matching names; the metastore's {@code get_partitions_by_filter}
 * answers an expression it can evaluate in one call, which serves a result that fits one page
 * directly. Longer results keep their names in a small cache, and later pages fetch their
 * partitions by name. NextToken holds the last name returned, so a page whose names were evicted
 * (or a restarted Hearth) recomputes them and goes on where it stopped.
 */
final class PartitionListing {
    private static final int DEFAULT_PAGE_SIZE = 1000;
    private static final int CACHED_LISTINGS = 8;
    private static final Duration CACHE_LIFETIME = Duration.ofMinutes(10);

    private final MetastoreAccess metastore;
    private final HiveMapping mapping;
    private final Clock clock;
    private final Map<String, CachedNames> cache = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CachedNames> eldest) {
            return size() > CACHED_LISTINGS;
        }
    };

    private record CachedNames(List<String> names, Instant computedAt) {}

    PartitionListing(MetastoreAccess metastore, HiveMapping mapping, Clock clock) {
        this.metastore = metastore;
        this.mapping = mapping;
        this.clock = clock;
    }

    /**
     * The filter the metastore would be asked for on this request's first page, bound to these
     * partition keys; empty for later pages, expressions the metastore cannot evaluate alone, and
     * expressions that do not bind (the call itself reports why).
     */
    Optional<String> firstPagePushdown(List<FieldSchema> partitionKeys, GetPartitionsRequest request) {
        if (request.nextToken() != null || request.expression() == null || request.expression().isBlank()) {
            return Optional.empty();
        }
        try {
            return PartitionFilter.bind(request.expression(), partitionKeys).metastoreFilter();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A page of the request. {@code candidates}, when not null, is what {@code get_partitions_by_filter}
     * answered for {@link #firstPagePushdown} with this table's keys, fetched beforehand.
     */
    GetPartitionsResponse list(Table table, GetPartitionsRequest request, List<org.apache.hadoop.hive.metastore.api.Partition> candidates) {
        String expression = request.expression() == null || request.expression().isBlank() ? null : request.expression();
        PartitionFilter filter = expression == null ? null : PartitionFilter.bind(expression, table.getPartitionKeys());
        Segment segment = request.segment();
        if (segment != null && segment.segmentNumber() >= segment.totalSegments()) {
            throw HearthException.invalidArgument("Segment.SegmentNumber %d must be less than Segment.TotalSegments %d", segment.segmentNumber(),
                    segment.totalSegments());
        }
        int pageSize = request.maxResults() == null ? DEFAULT_PAGE_SIZE : request.maxResults();
        String listing = listingId(table, expression, segment);
        Optional<String> after = PageTokens.lastName(request.nextToken(), listing);
        boolean excludeColumns = Boolean.TRUE.equals(request.excludeColumnSchema());
        String serdeLedger = HiveMapping.orEmpty(table.getParameters()).get(HiddenParameters.ADDED_SERDE);

        if (after.isEmpty() && filter != null && filter.metastoreFilter().isPresent()) {
            // One call to the metastore; a result that fits one page is the whole answer.
            List<org.apache.hadoop.hive.metastore.api.Partition> found = candidates != null ? candidates : metastore.call(client ->
                    client.get_partitions_by_filter(table.getDbName(), table.getTableName(), filter.metastoreFilter().get(), (short) -1));
            Map<String, org.apache.hadoop.hive.metastore.api.Partition> byName = new java.util.TreeMap<>();
            for (org.apache.hadoop.hive.metastore.api.Partition partition : found) {
                String name = PartitionValues.name(table.getPartitionKeys(), partition.getValues());
                if ((!filter.hasRest() || filter.matchesRest(partition.getValues())) && inSegment(name, segment)) {
                    byName.put(name, partition);
                }
            }
            List<String> names = new ArrayList<>(byName.keySet());
            List<String> page = Paging.after(names, Optional.empty(), pageSize);
            if (Paging.hasMore(names, page)) {
                remember(listing, names);
            }
            List<Partition> partitions = page.stream().map(name -> mapping.toGlue(byName.get(name), serdeLedger, excludeColumns)).toList();
            return new GetPartitionsResponse(partitions, Paging.hasMore(names, page) ? PageTokens.after(listing, page.get(page.size() - 1)) : null);
        }

        List<String> names = after.isPresent() ? cached(listing).orElseGet(() -> matchingNames(table, filter, segment))
                : matchingNames(table, filter, segment);
        List<String> page = Paging.after(names, after, pageSize);
        if (after.isEmpty() && Paging.hasMore(names, page)) {
            remember(listing, names);
        }
        List<Partition> partitions = new ArrayList<>();
        if (!page.isEmpty()) {
            List<org.apache.hadoop.hive.metastore.api.Partition> found = metastore.call(client ->
                    client.get_partitions_by_names(table.getDbName(), table.getTableName(), page));
            found.stream()
                    .sorted(Comparator.comparing(partition -> PartitionValues.name(table.getPartitionKeys(), partition.getValues())))
                    .forEach(partition -> partitions.add(mapping.toGlue(partition, serdeLedger, excludeColumns)));
        }
        return new GetPartitionsResponse(partitions, Paging.hasMore(names, page) ? PageTokens.after(listing, page.get(page.size() - 1)) : null);
    }

    /** The sorted names of the matching partitions of this segment. */
    private List<String> matchingNames(Table table, PartitionFilter filter, Segment segment) {
        List<String> names = new ArrayList<>();
        if (filter != null && filter.metastoreFilter().isPresent()) {
            for (org.apache.hadoop.hive.metastore.api.Partition partition : metastore.call(client ->
                    client.get_partitions_by_filter(table.getDbName(), table.getTableName(), filter.metastoreFilter().get(), (short) -1))) {
                if (!filter.hasRest() || filter.matchesRest(partition.getValues())) {
                    names.add(PartitionValues.name(table.getPartitionKeys(), partition.getValues()));
                }
            }
        } else {
            for (String name : metastore.call(client -> client.get_partition_names(table.getDbName(), table.getTableName(), (short) -1))) {
                if (filter == null || filter.matchesRest(PartitionValues.valuesOf(name))) {
                    names.add(name);
                }
            }
        }
        names.removeIf(name -> !inSegment(name, segment));
        names.sort(null);
        return names;
    }

    /** Segments split the partitions by a stable hash of their names, so each is the same set on every call. */
    private static boolean inSegment(String name, Segment segment) {
        return segment == null || Math.floorMod(name.hashCode(), segment.totalSegments()) == segment.segmentNumber();
    }

    private synchronized void remember(String listing, List<String> names) {
        cache.put(listing, new CachedNames(List.copyOf(names), clock.instant()));
    }

    private synchronized Optional<List<String>> cached(String listing) {
        CachedNames names = cache.get(listing);
        if (names == null || names.computedAt().plus(CACHE_LIFETIME).isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(names.names());
    }

    /** Identifies a listing (table incarnation, expression, segment) so tokens are not mixed up between listings. */
    private static String listingId(Table table, String expression, Segment segment) {
        return "partitions\n" + table.getDbName() + "\n" + table.getTableName() + "\n" + table.getCreateTime() + "\n"
                + (expression == null ? "" : expression) + "\n" + (segment == null ? "" : segment.segmentNumber() + "/" + segment.totalSegments());
    }
}
