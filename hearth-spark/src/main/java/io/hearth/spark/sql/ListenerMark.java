package io.hearth.spark.sql;

import org.apache.spark.scheduler.SparkListenerEvent;

/**
 * An event Hearth posts on Spark's listener bus after a query's jobs have ended: the bus delivers a queue's events in
 * order, so when {@link ScanMetrics} hears the mark, it has heard every task end of the query before it.
 */
record ListenerMark(String group) implements SparkListenerEvent {
    /** Not for the event log: it is Hearth's own, and says nothing about the application. */
    @Override
    public boolean logEvent() {
        return false;
    }
}
