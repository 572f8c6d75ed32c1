package io.hearth.spark.sql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.sql.hive.thriftserver.ui.SparkListenerThriftServerOperationCanceled;
import org.apache.spark.sql.hive.thriftserver.ui.SparkListenerThriftServerOperationError;
import org.apache.spark.sql.hive.thriftserver.ui.SparkListenerThriftServerOperationFinish;
import org.apache.spark.sql.hive.thriftserver.ui.SparkListenerThriftServerOperationStart;
import org.apache.spark.sql.hive.thriftserver.ui.SparkListenerThriftServerOperationTimeout;
import org.apache.spark.sql.hive.thriftserver.ui.SparkListenerThriftServerSessionClosed;
import org.apache.spark.sql.hive.thriftserver.ui.SparkListenerThriftServerSessionCreated;

/**
 * The statements JDBC and ODBC clients ran through the Thrift server, as the server reports them on Spark's listener
 * bus, so that Hearth lists them with its Athena queries; and the open sessions, so that Hearth does not stop an engine a
 * client is connected to. Each change gets the next version; Hearth asks for what changed after the last one it saw.
 * The metadata calls of JDBC clients ({@code getTables}, ...; their statements read "Listing ...") are left out, and only
 * the latest {@link #KEPT} statements are kept.
 */
final class JdbcQueries extends SparkListener {
    static final int KEPT = 1000;

    /** One statement: RUNNING, then SUCCEEDED, FAILED (with the error) or CANCELLED. */
    record JdbcQuery(long version, String id, String statement, String statementType, String user, long startMillis, String state,
            Long endMillis, String error) {
        JdbcQuery ended(long newVersion, String endState, long at, String message) {
            return new JdbcQuery(newVersion, id, statement, statementType, user, startMillis, endState, at, message);
        }
    }

    /** What changed after a version: the statements, oldest change first, and the sessions open now. */
    record Changes(long version, int openSessions, List<JdbcQuery> queries) {}

    private final Map<String, JdbcQuery> queries = new LinkedHashMap<>();
    private final Set<String> sessions = new HashSet<>();
    private long version;

    @Override
    public void onOtherEvent(SparkListenerEvent event) {
        if (event instanceof SparkListenerThriftServerOperationStart start) {
            if (!start.statement().startsWith("Listing ")) {
                started(start.id(), start.statement(), start.userName(), start.startTime());
            }
        } else if (event instanceof SparkListenerThriftServerOperationFinish finish) {
            ended(finish.id(), "SUCCEEDED", finish.finishTime(), null);
        } else if (event instanceof SparkListenerThriftServerOperationError error) {
            ended(error.id(), "FAILED", error.finishTime(), error.errorMsg());
        } else if (event instanceof SparkListenerThriftServerOperationCanceled canceled) {
            ended(canceled.id(), "CANCELLED", canceled.finishTime(), "Cancelled by the JDBC client");
        } else if (event instanceof SparkListenerThriftServerOperationTimeout timeout) {
            ended(timeout.id(), "CANCELLED", timeout.finishTime(), "The statement timed out (the JDBC client's query timeout)");
        } else if (event instanceof SparkListenerThriftServerSessionCreated created) {
            synchronized (this) {
                sessions.add(created.sessionId());
            }
        } else if (event instanceof SparkListenerThriftServerSessionClosed closed) {
            synchronized (this) {
                sessions.remove(closed.sessionId());
            }
        }
    }

    synchronized void started(String id, String statement, String user, long startMillis) {
        queries.put(id, new JdbcQuery(++version, id, statement, StatementType.of(statement).name(), user, startMillis, "RUNNING", null, null));
        if (queries.size() > KEPT) {
            queries.remove(queries.keySet().iterator().next());
        }
    }

    synchronized void ended(String id, String state, long endMillis, String error) {
        JdbcQuery query = queries.get(id);
        // the first end counts: a statement that failed is closed (and reported cancelled) afterwards
        if (query != null && query.state().equals("RUNNING")) {
            queries.remove(id);
            queries.put(id, query.ended(++version, state, endMillis, error));
        }
    }

    /** The statements changed after {@code seen}, in the map's order, which is the order of their changes (each change moves one last). */
    synchronized Changes after(long seen) {
        List<JdbcQuery> changed = new ArrayList<>();
        for (JdbcQuery query : queries.values()) {
            if (query.version() > seen) {
                changed.add(query);
            }
        }
        return new Changes(version, sessions.size(), changed);
    }
}
