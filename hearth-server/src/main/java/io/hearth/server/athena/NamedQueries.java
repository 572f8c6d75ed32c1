package io.hearth.server.athena;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import io.hearth.server.athena.AthenaShapes.BatchGetNamedQueryResponse;
import io.hearth.server.athena.AthenaShapes.CreateNamedQueryRequest;
import io.hearth.server.athena.AthenaShapes.ListNamedQueriesRequest;
import io.hearth.server.athena.AthenaShapes.ListNamedQueriesResponse;
import io.hearth.server.athena.AthenaShapes.NamedQueryShape;
import io.hearth.server.athena.AthenaShapes.UnprocessedNamedQueryId;
import io.hearth.server.athena.AthenaShapes.UpdateNamedQueryRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Named queries: saved SQL, created, listed and changed through the API; a work group that exists holds each. */
final class NamedQueries {
    private static final int DEFAULT_PAGE = 50;

    private final NamedQueryStore store;
    private final WorkGroups workGroups;
    private final Clock clock;

    NamedQueries(NamedQueryStore store, WorkGroups workGroups, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.workGroups = requireNonNull(workGroups, "workGroups is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The new named query's id; with a client request token seen before in the work group, the id it made. */
    String create(CreateNamedQueryRequest request) {
        String group = workGroups.get(request.workGroup() == null ? WorkGroup.PRIMARY : request.workGroup()).name();
        NamedQuery query = new NamedQuery(0, UUID.randomUUID().toString(), group, request.clientRequestToken(), request.name(), request.description(),
                request.database(), request.queryString());
        return store.insert(query, clock.instant()).map(NamedQuery::id).orElse(query.id());
    }

    NamedQuery get(String id) {
        return store.find(id).orElseThrow(() -> HearthException.invalidArgument("NamedQuery %s was not found", id));
    }

    ListNamedQueriesResponse list(ListNamedQueriesRequest request) {
        String group = workGroups.get(request.workGroup() == null ? WorkGroup.PRIMARY : request.workGroup()).name();
        int limit = request.maxResults() == null || request.maxResults() == 0 ? DEFAULT_PAGE : request.maxResults();
        Long before = request.nextToken() == null ? null : AthenaResponses.seq(request.nextToken(), "named");
        List<NamedQuery> page = store.list(group, before, limit + 1);
        boolean more = page.size() > limit;
        List<NamedQuery> shown = more ? page.subList(0, limit) : page;
        return new ListNamedQueriesResponse(shown.stream().map(NamedQuery::id).toList(),
                more ? AthenaResponses.token("named", Long.toString(shown.get(shown.size() - 1).seq())) : null);
    }

    BatchGetNamedQueryResponse batchGet(List<String> ids) {
        List<NamedQueryShape> found = new ArrayList<>();
        List<UnprocessedNamedQueryId> missing = new ArrayList<>();
        for (String id : ids) {
            store.find(id).ifPresentOrElse(query -> found.add(shape(query)),
                    () -> missing.add(new UnprocessedNamedQueryId(id, "INVALID_INPUT", "NamedQuery " + id + " was not found")));
        }
        return new BatchGetNamedQueryResponse(found, missing);
    }

    void update(UpdateNamedQueryRequest request) {
        if (!store.update(request.namedQueryId(), request.name(), request.description(), request.queryString())) {
            throw HearthException.invalidArgument("NamedQuery %s was not found", request.namedQueryId());
        }
    }

    void delete(String id) {
        if (!store.delete(id)) {
            throw HearthException.invalidArgument("NamedQuery %s was not found", id);
        }
    }

    static NamedQueryShape shape(NamedQuery query) {
        return new NamedQueryShape(query.name(), query.description(), query.database(), query.queryString(), query.id(), query.workGroup());
    }
}
