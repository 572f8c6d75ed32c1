package io.hearth.server.athena;

import io.hearth.server.HearthException;
import io.hearth.server.athena.AthenaShapes.AthenaError;
import io.hearth.server.athena.AthenaShapes.ColumnInfo;
import io.hearth.server.athena.AthenaShapes.EngineVersion;
import io.hearth.server.athena.AthenaShapes.QueryExecutionContext;
import io.hearth.server.athena.AthenaShapes.QueryExecutionStatistics;
import io.hearth.server.athena.AthenaShapes.QueryExecutionStatus;
import io.hearth.server.athena.AthenaShapes.ResultConfiguration;
import io.hearth.server.athena.AthenaShapes.ResultReuseInformation;
import io.hearth.server.athena.AthenaShapes.WorkGroupConfiguration;
import io.hearth.server.athena.AthenaShapes.WorkGroupShape;
import io.hearth.server.sql.EngineClient.Column;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** Stored queries and work groups in the Athena API's shapes, and the API's page tokens. */
final class AthenaResponses {
    /** What Athena calls its engine version; Hearth's queries run on Spark SQL. */
    static final EngineVersion ENGINE_VERSION = new EngineVersion("AUTO", "Hearth SQL engine (Apache Spark 3.5)");

    private AthenaResponses() {}

    static AthenaShapes.QueryExecution queryExecution(QueryExecution query, Clock clock) {
        AthenaError error = query.state() == QueryState.FAILED
                ? new AthenaError(query.errorCategory() == null ? QueryExecutions.SYSTEM_ERROR : query.errorCategory(), query.errorType(),
                        query.errorCategory() == null || query.errorCategory() == QueryExecutions.SYSTEM_ERROR, query.stateReason())
                : null;
        QueryExecutionStatus status = new QueryExecutionStatus(query.state().name(), query.stateReason(), query.submittedAt(), query.completedAt(),
                error);
        // a JDBC client got its statement's rows: there is no result location to report
        ResultConfiguration result = query.fromJdbc() ? null : new ResultConfiguration(query.resultLocation());
        return new AthenaShapes.QueryExecution(query.id(), query.query(), query.statementType(), result,
                new QueryExecutionContext(query.database(), query.catalog()), status, statistics(query, clock), query.workGroup(), ENGINE_VERSION,
                query.executionParameters().isEmpty() ? null : query.executionParameters());
    }

    /** Times as Athena splits them: queued until handed to the engine, then the engine's time; the rest is Hearth's. */
    static QueryExecutionStatistics statistics(QueryExecution query, Clock clock) {
        Instant now = clock.instant();
        Instant started = query.startedAt();
        Instant ended = query.completedAt() == null ? now : query.completedAt();
        long queue = Duration.between(query.submittedAt(), started == null ? ended : started).toMillis();
        long total = Duration.between(query.submittedAt(), ended).toMillis();
        Long engine = query.engineMillis() != null ? query.engineMillis() : started == null ? 0L : Duration.between(started, ended).toMillis();
        long service = Math.max(0, total - queue - engine);
        return new QueryExecutionStatistics(engine, query.bytesScanned() == null ? 0L : query.bytesScanned(), total, queue, 0L, 0L, service,
                new ResultReuseInformation(false));
    }

    static ColumnInfo columnInfo(Column column) {
        return new ColumnInfo("hive", "", "", column.name(), column.name(), column.type(), column.precision(), column.scale(), column.nullable(),
                column.type().equals("varchar") || column.type().equals("char"));
    }

    static WorkGroupShape workGroup(WorkGroup group) {
        return new WorkGroupShape(group.name(), group.enabled() ? "ENABLED" : "DISABLED",
                new WorkGroupConfiguration(group.outputLocation() == null ? null : new ResultConfiguration(group.outputLocation()),
                        group.enforceConfiguration(), false, group.bytesScannedCutoff(), false, ENGINE_VERSION),
                group.description(), group.createdAt());
    }

    /** A page token: what the next page starts after, in one listing {@code kind}. */
    static String token(String kind, String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + ":" + position).getBytes(StandardCharsets.UTF_8));
    }

    /** The sequence number a token of {@code kind} holds; InvalidRequestException for a token that is not one. */
    static long seq(String token, String kind) {
        try {
            return Long.parseLong(position(token, kind));
        } catch (NumberFormatException e) {
            throw HearthException.invalidArgument("NextToken '%s' is not a token of this listing", token);
        }
    }

    /** The position a token of {@code kind} holds; InvalidRequestException for a token that is not one. */
    static String position(String token, String kind) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(kind + ":")) {
                return text.substring(kind.length() + 1);
            }
        } catch (IllegalArgumentException e) {
            // not base64: answered below
        }
        throw HearthException.invalidArgument("NextToken '%s' is not a token of this listing", token);
    }
}
