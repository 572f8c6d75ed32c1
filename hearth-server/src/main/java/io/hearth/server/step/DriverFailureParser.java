package io.hearth.server.step;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds why a step failed in its driver's stderr, as EMR's FailureDetails report it: the
 * exception the driver's main method threw (or the error spark-submit or spark-sql printed),
 * with a short Reason and the exception's text as Message. Without those, the first failure the
 * stderr shows: once an application has failed, Spark's shutdown often logs more exceptions
 * (a NullPointerException, a missing broadcast block from a task stopped half-way), and the last
 * exception in the file is then noise.
 */
final class DriverFailureParser {
    /** How much of the end of stderr is searched: the exception is printed last. */
    private static final int TAIL_BYTES = 2 * 1024 * 1024;
    private static final int MAX_REASON = 512;
    private static final int MAX_MESSAGE = 4096;

    private static final Pattern MAIN_EXCEPTION = Pattern.compile("^Exception in thread \"main\" ([\\w$.]+)(?::\\s?(.*))?$");
    private static final Pattern SQL_ERROR = Pattern.compile("^Error in query: (.*)$");
    /** Spark 3.4+ prints SQL errors with their error class first: "[TABLE_OR_VIEW_NOT_FOUND] The table ...". */
    private static final Pattern ERROR_CLASS = Pattern.compile("^\\[[A-Z][A-Z0-9_]*(?:\\.[A-Z0-9_]+)*] .*$");
    private static final Pattern SUBMIT_ERROR = Pattern.compile("^Error: (.*)$");
    private static final Pattern EXCEPTION_LINE = Pattern.compile("^(?:Caused by: )?((?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error))(?::\\s?(.*))?$");
    private static final Pattern LOG_LINE = Pattern.compile("^\\d{2}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2} [A-Z]+ .*");
    /** A log line below ERROR: an exception it carries is a warning, not a failure. */
    private static final Pattern MINOR_LOG_LINE = Pattern.compile("^\\d{2}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2} (?:WARN|INFO|DEBUG|TRACE) .*");
    private static final String PYTHON_TRACEBACK = "Traceback (most recent call last):";
    private static final Pattern PYTHON_FRAME = Pattern.compile("^\\s+File \"(.*)\", line \\d+.*$");
    private static final Pattern PYTHON_EXCEPTION = Pattern.compile("^([A-Za-z_][\\w.]*)(?::\\s?(.*))?$");
    /** Where py4j's Py4JJavaError names the Java exception it wraps: ": java.io.FileNotFoundException: ...". */
    private static final Pattern PY4J_JAVA_EXCEPTION = Pattern.compile("^: ((?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*)(?::\\s?(.*))?$");
    /** PySpark re-raises JVM errors as these classes; the simple name is what the user knows. */
    private static final String CAPTURED_PREFIX = "pyspark.errors.exceptions.captured.";

    private DriverFailureParser() {}

    /** The failure details for a process that exited with {@code exitCode}, looking in {@code stderr}. */
    static Step.FailureDetails parse(Path stderr, int exitCode, String logFile) {
        List<String> lines = tail(stderr);
        int traceback = lines.lastIndexOf(PYTHON_TRACEBACK);
        if (traceback >= 0) {
            Step.FailureDetails python = fromPythonTraceback(lines, traceback, logFile);
            if (python != null) {
                return python;
            }
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher main = MAIN_EXCEPTION.matcher(lines.get(i));
            if (main.matches()) {
                return fromException(main.group(1), main.group(2), lines, i, logFile);
            }
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher sql = SQL_ERROR.matcher(lines.get(i));
            if (sql.matches()) {
                return new Step.FailureDetails(truncate(sql.group(1), MAX_REASON), truncate(continuation(sql.group(0), lines, i), MAX_MESSAGE), logFile);
            }
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (ERROR_CLASS.matcher(lines.get(i)).matches()) {
                return new Step.FailureDetails(truncate(lines.get(i), MAX_REASON), truncate(continuation(lines.get(i), lines, i), MAX_MESSAGE), logFile);
            }
        }
        // The first failure: an exception (not one a warning logs) or an error spark-submit printed.
        for (int i = 0; i < lines.size(); i++) {
            Matcher exception = EXCEPTION_LINE.matcher(lines.get(i));
            if (exception.matches() && !lines.get(i).startsWith("Caused by") && !(i > 0 && MINOR_LOG_LINE.matcher(lines.get(i - 1)).matches())) {
                return fromException(exception.group(1), exception.group(2), lines, i, logFile);
            }
            Matcher submit = SUBMIT_ERROR.matcher(lines.get(i));
            if (submit.matches()) {
                return new Step.FailureDetails(truncate(submit.group(1), MAX_REASON), truncate(lines.get(i), MAX_MESSAGE), logFile);
            }
        }
        String last = lastMeaningfulLines(lines, 5);
        String message = last.isEmpty()
                ? "The step's process exited with code " + exitCode + " and wrote nothing to stderr"
                : "The step's process exited with code " + exitCode + "; the end of its stderr:\n" + last;
        return new Step.FailureDetails("Unknown Error", truncate(message, MAX_MESSAGE), logFile);
    }

    /**
     * A PySpark driver's failure: the exception that ends the last traceback in stderr. An error
     * raised in an executor's Python worker comes wrapped in a PythonException whose text holds the
     * worker's traceback, printed after the driver's, so the last traceback is the user's error
     * (its last frame their code); a Py4JJavaError is reported as the Java exception it wraps.
     */
    private static Step.FailureDetails fromPythonTraceback(List<String> lines, int traceback, String logFile) {
        String frame = null;
        String source = null;
        int i = traceback + 1;
        for (; i < lines.size() && (lines.get(i).startsWith(" ") || lines.get(i).startsWith("\t")); i++) {
            // The user's frame: the last one outside PySpark's and py4j's own code.
            if (PYTHON_FRAME.matcher(lines.get(i)).matches() && (frame == null || !isSparkPython(lines.get(i)))) {
                frame = lines.get(i).strip();
                source = i + 1 < lines.size() && lines.get(i + 1).startsWith("    ") && !PYTHON_FRAME.matcher(lines.get(i + 1)).matches()
                        ? lines.get(i + 1).strip() : null;
            }
        }
        if (i >= lines.size()) {
            return null;
        }
        Matcher exception = PYTHON_EXCEPTION.matcher(lines.get(i));
        if (!exception.matches()) {
            return null;
        }
        String name = exception.group(1);
        String text = exception.group(2) == null ? "" : exception.group(2).strip();
        if (name.equals("py4j.protocol.Py4JJavaError")) {
            for (int j = i + 1; j < lines.size() && j < i + 5; j++) {
                Matcher java = PY4J_JAVA_EXCEPTION.matcher(lines.get(j));
                if (java.matches()) {
                    return fromException(java.group(1), java.group(2), lines, j, logFile);
                }
            }
        }
        if (name.startsWith(CAPTURED_PREFIX)) {
            name = name.substring(CAPTURED_PREFIX.length());
        }
        String reason = text.isEmpty() ? name : name + ": " + text;
        StringBuilder message = new StringBuilder(continuation(reason, lines, i));
        if (frame != null) {
            message.append('\n').append(frame);
            if (source != null) {
                message.append('\n').append("  ").append(source);
            }
        }
        return new Step.FailureDetails(truncate(reason, MAX_REASON), truncate(message.toString(), MAX_MESSAGE), logFile);
    }

    private static boolean isSparkPython(String frame) {
        return frame.contains("/pyspark.zip/") || frame.contains("/py4j-") || frame.contains("/site-packages/pyspark/");
    }

    private static Step.FailureDetails fromException(String exceptionClass, String text, List<String> lines, int index, String logFile) {
        String firstLine = text == null ? "" : text.trim();
        String reason = firstLine.isEmpty() ? simpleName(exceptionClass) : firstLine;
        String message = continuation(exceptionClass + (text == null ? "" : ": " + text), lines, index);
        return new Step.FailureDetails(truncate(reason, MAX_REASON), truncate(message, MAX_MESSAGE), logFile);
    }

    /** The line plus the lines that continue its message, up to the stack trace or the next log line. */
    private static String continuation(String first, List<String> lines, int index) {
        StringBuilder message = new StringBuilder(first);
        for (int i = index + 1; i < lines.size() && i < index + 20; i++) {
            String line = lines.get(i);
            if (line.startsWith("\tat ") || line.startsWith("Caused by") || LOG_LINE.matcher(line).matches() || line.isBlank()) {
                break;
            }
            message.append('\n').append(line);
        }
        return message.toString();
    }

    private static String lastMeaningfulLines(List<String> lines, int count) {
        List<String> kept = new ArrayList<>();
        for (int i = lines.size() - 1; i >= 0 && kept.size() < count; i--) {
            if (!lines.get(i).isBlank()) {
                kept.add(0, lines.get(i));
            }
        }
        return String.join("\n", kept);
    }

    private static List<String> tail(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, in.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            return List.of(new String(bytes, StandardCharsets.UTF_8).split("\\R", -1));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String simpleName(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
