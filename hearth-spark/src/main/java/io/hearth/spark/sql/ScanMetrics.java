package io.hearth.spark.sql;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.collection.JavaConverters;

/**
 * Bytes read from storage per query (a query is a Spark job group), from the input metrics of its finished tasks: what
 * Athena reports as DataScannedInBytes. A query over its cutoff is told through {@link Cutoff} once.
 */
final class ScanMetrics extends SparkListener {
    private static final String JOB_GROUP = "spark.jobGroup.id";

    /** Called from Spark's listener thread when a query has read more than its limit. */
    interface Cutoff {
        void exceeded(String group, long bytes, long limit);

        /** Called from Spark's listener thread when a job of a tracked query starts: one asked to stop may start no job. */
        void jobStarted(String group, int jobId);
    }

    private record Tracked(AtomicLong bytes, AtomicLong written, long limit) {}

    private final Map<String, Tracked> groups = new ConcurrentHashMap<>();
    private final Map<Integer, String> stageGroups = new ConcurrentHashMap<>();
    private final Cutoff cutoff;

    ScanMetrics(Cutoff cutoff) {
        this.cutoff = cutoff;
    }

    /** Starts counting for {@code group}; {@code limit} 0 is no limit. */
    void track(String group, long limit) {
        groups.put(group, new Tracked(new AtomicLong(), new AtomicLong(), limit));
    }

    /** Stops counting for {@code group}; returns the bytes it read. */
    long release(String group) {
        Tracked tracked = groups.remove(group);
        stageGroups.values().removeIf(group::equals);
        return tracked == null ? 0 : tracked.bytes().get();
    }

    /** The rows the group's tasks wrote (an INSERT's or a CTAS's output records). */
    long written(String group) {
        Tracked tracked = groups.get(group);
        return tracked == null ? 0 : tracked.written().get();
    }

    private final Map<String, CountDownLatch> marks = new ConcurrentHashMap<>();

    /**
     * Waits, at most {@code timeoutMillis}, until this listener has heard every event posted before now, so that the
     * group's counts are whole: Spark delivers listener events on its own thread, after the jobs they report have ended.
     */
    void catchUp(SparkContext context, String group, long timeoutMillis) throws InterruptedException {
        CountDownLatch heard = new CountDownLatch(1);
        marks.put(group, heard);
        try {
            context.listenerBus().post(new ListenerMark(group));
            heard.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } finally {
            marks.remove(group);
        }
    }

    @Override
    public void onOtherEvent(SparkListenerEvent event) {
        if (event instanceof ListenerMark mark) {
            CountDownLatch heard = marks.get(mark.group());
            if (heard != null) {
                heard.countDown();
            }
        }
    }

    long bytes(String group) {
        Tracked tracked = groups.get(group);
        return tracked == null ? 0 : tracked.bytes().get();
    }

    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
        String group = jobStart.properties() == null ? null : jobStart.properties().getProperty(JOB_GROUP);
        if (group != null && groups.containsKey(group)) {
            for (Object stageId : JavaConverters.seqAsJavaList(jobStart.stageIds())) {
                stageGroups.put((Integer) stageId, group);
            }
            cutoff.jobStarted(group, jobStart.jobId());
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        String group = stageGroups.get(taskEnd.stageId());
        Tracked tracked = group == null ? null : groups.get(group);
        if (tracked == null || taskEnd.taskMetrics() == null) {
            return;
        }
        tracked.written().addAndGet(taskEnd.taskMetrics().outputMetrics().recordsWritten());
        long before = tracked.bytes().get();
        long after = tracked.bytes().addAndGet(taskEnd.taskMetrics().inputMetrics().bytesRead());
        if (tracked.limit() > 0 && after > tracked.limit() && before <= tracked.limit()) {
            cutoff.exceeded(group, after, tracked.limit());
        }
    }
}
