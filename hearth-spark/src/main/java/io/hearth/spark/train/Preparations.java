package io.hearth.spark.train;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The preparations of a sweep's tasks in one application, each made once, by the first task that
 * needs it (the others with the same {@link Preparation#keyOf key} wait for it), and released
 * once the last task that uses it has ended. A preparation that fails is not kept: the next task
 * tries again, so a cancelled task does not fail the others.
 */
final class Preparations {
    private final Function<TrainingSpec.Input, Dataset<Row>> reader;
    private final Map<TrainingSpec, Entry> entries = new ConcurrentHashMap<>();

    /** {@code specs}: every task's spec, so each preparation knows how many tasks will use it. */
    Preparations(Function<TrainingSpec.Input, Dataset<Row>> reader, List<TrainingSpec> specs) {
        this.reader = reader;
        for (TrainingSpec spec : specs) {
            entries.computeIfAbsent(Preparation.keyOf(spec), key -> new Entry()).users++;
        }
    }

    /** The spec's preparation, made now if no task has made it yet. */
    Preparation acquire(TrainingSpec spec) {
        Entry entry = entries.computeIfAbsent(Preparation.keyOf(spec), key -> new Entry(1));
        synchronized (entry) {
            if (entry.preparation == null) {
                entry.preparation = Preparation.prepare(spec, reader);
                entry.made++;
            }
            return entry.preparation;
        }
    }

    /** Says that one task of {@code spec} has ended (whether or not it acquired the preparation). */
    void release(TrainingSpec spec) {
        Entry entry = entries.get(Preparation.keyOf(spec));
        if (entry == null) {
            return;
        }
        synchronized (entry) {
            entry.users--;
            if (entry.users <= 0 && entry.preparation != null) {
                entry.preparation.release();
                entry.preparation = null;
            }
        }
    }

    /** How many preparations were made in all (a shared one counts once). */
    int made() {
        return entries.values().stream().mapToInt(entry -> {
            synchronized (entry) {
                return entry.made;
            }
        }).sum();
    }

    /** How many preparations are held in memory now. */
    int held() {
        return (int) entries.values().stream().filter(entry -> {
            synchronized (entry) {
                return entry.preparation != null;
            }
        }).count();
    }

    private static final class Entry {
        int users;
        int made;
        Preparation preparation;

        Entry() {}

        Entry(int users) {
            this.users = users;
        }
    }
}
