package io.hearth.cli;

import io.hearth.client.Leaderboard;
import io.hearth.client.SweepStatus;
import io.hearth.client.TaskStatus;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How sweeps, their tasks and leaderboards look on a terminal. */
final class SweepPrinter {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintStream out;
    private final Map<String, String> lastStates = new HashMap<>();

    SweepPrinter(PrintStream out) {
        this.out = out;
    }

    /** A progress line, then a line for each task that started or ended since the last call. */
    void progress(SweepStatus sweep) {
        out.println("[" + LocalTime.now().format(CLOCK) + "] " + sweep.progress());
        for (TaskStatus task : sweep.tasks()) {
            String before = lastStates.put(task.taskId() + "/" + task.attempt(), task.state());
            if (task.state().equals(before) || task.state().equals("PENDING")) {
                continue;
            }
            switch (task.state()) {
                case "RUNNING" -> out.println("  " + task.taskId() + " started: " + task.description());
                case "SUCCEEDED" -> out.println("  " + task.taskId() + " SUCCEEDED" + duration(task) + metricsOf(task));
                default -> out.println("  " + task.taskId() + " " + task.state() + duration(task) + ": " + oneLine(task.reason())
                        + (task.logLocation() == null ? "" : " (logs: " + task.logLocation() + ")"));
            }
        }
        out.flush();
    }

    void status(SweepStatus sweep) {
        out.println("Sweep " + sweep.sweepId() + (sweep.name() == null ? "" : " (" + sweep.name() + ")") + " on cluster " + sweep.clusterId());
        out.println("  " + sweep.state() + (sweep.stateMessage() == null ? "" : ": " + sweep.stateMessage()));
        out.println("  isolation " + sweep.isolation() + ", at most " + sweep.maxParallel() + " at once, on failure " + sweep.onFailure()
                + (sweep.metric() == null ? "" : ", ranked by " + sweep.metric()));
        out.println("  " + sweep.progress().substring(sweep.sweepId().length() + 1));
        out.println();
        table(List.of("TASK", "STATE", "TRY", "SECONDS", "DESCRIPTION", "APPLICATION", "REASON"), sweep.tasks().stream().map(task -> List.of(
                task.taskId(), task.state(), Integer.toString(task.attempt()), task.durationSeconds() == null ? "" : String.format(Locale.ROOT, "%.1f", task.durationSeconds()),
                task.description(), nullToEmpty(task.applicationId()), oneLine(task.reason()))).toList());
    }

    void list(List<SweepStatus> sweeps) {
        table(List.of("SWEEP", "NAME", "CLUSTER", "STATE", "TASKS", "CREATED"), sweeps.stream().map(sweep -> List.of(sweep.sweepId(),
                nullToEmpty(sweep.name()), sweep.clusterId(), sweep.state(), sweep.count("SUCCEEDED") + "/" + sweep.total() + " succeeded",
                nullToEmpty(sweep.createdAt()))).toList());
    }

    void leaderboard(Leaderboard board) {
        String metric = board.metric() == null ? "(no task has metrics yet)" : board.metric() + (board.higherIsBetter() ? ", higher is better" : ", lower is better");
        out.println("Sweep " + board.sweepId() + " ranked by " + metric + "; * marks the best model of its label");
        out.println();
        table(List.of("RANK", "TASK", "LABEL", "MODEL", "VALUE", "TEST", "SECONDS", "STATE", "MODEL ID", "DESCRIPTION"), board.entries().stream().map(entry -> List.of(
                entry.rank() == null ? "-" : entry.rank() + (entry.best() ? "*" : ""), entry.taskId(), nullToEmpty(entry.label()), nullToEmpty(entry.model()),
                entry.value() == null ? "" : format(entry.value()), testValue(board, entry), entry.durationSeconds() == null ? "" : String.format(Locale.ROOT, "%.1f", entry.durationSeconds()),
                entry.state(), nullToEmpty(entry.modelId()), entry.description())).toList());
    }

    /** The same metric on the test rows, when the ranking used the validation rows. */
    private static String testValue(Leaderboard board, Leaderboard.Entry entry) {
        if (board.metric() == null || entry.test() == null) {
            return "";
        }
        String name = board.metric().contains(".") ? board.metric().substring(board.metric().indexOf('.') + 1) : board.metric();
        Double value = entry.test().get(name);
        return value == null ? "" : format(value);
    }

    private void table(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.min(Math.max(widths[i], row.get(i).length()), 60);
            }
        }
        print(header, widths);
        rows.forEach(row -> print(row, widths));
        out.flush();
    }

    private void print(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i).length() > 60 ? cells.get(i).substring(0, 57) + "..." : cells.get(i);
            line.append(i == cells.size() - 1 ? cell : String.format("%-" + widths[i] + "s  ", cell));
        }
        out.println(line.toString().stripTrailing());
    }

    private static String metricsOf(TaskStatus task) {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("auc_roc", "accuracy", "f1", "rmse", "r2")) {
            Double value = task.testMetric(name);
            if (value != null) {
                text.append(text.length() == 0 ? ": test " : ", ").append(name).append('=').append(format(value));
            }
        }
        return text.toString();
    }

    private static String duration(TaskStatus task) {
        return task.durationSeconds() == null ? "" : String.format(Locale.ROOT, " after %.1f s", task.durationSeconds());
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replace('\n', ' ').replace('\r', ' ');
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
