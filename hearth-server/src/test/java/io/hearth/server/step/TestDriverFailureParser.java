package io.hearth.server.step;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestDriverFailureParser {
    private static final String LOG_FILE = "s3://logs/j-1/steps/s-1/stderr.gz";

    @TempDir
    Path temp;

    private Path stderr(String... lines) throws IOException {
        return Files.writeString(temp.resolve("stderr"), String.join("\n", lines) + "\n");
    }

    @Test
    void mainThreadExceptionGivesItsMessageAsReason() throws IOException {
        Path file = stderr(
                "24/05/01 10:00:00 INFO SparkContext: Running Spark version 3.5.1",
                "Exception in thread \"main\" org.apache.spark.sql.AnalysisException: [PATH_NOT_FOUND] Path does not exist: file:/x.",
                "\tat org.apache.spark.sql.errors.QueryCompilationErrors$.dataPathNotExistError(QueryCompilationErrors.scala:1500)",
                "\tat org.apache.spark.sql.execution.datasources.DataSource$.checkAndGlobPathIfNecessary(DataSource.scala:757)",
                "24/05/01 10:00:01 INFO ShutdownHookManager: Shutdown hook called");

        Step.FailureDetails details = DriverFailureParser.parse(file, 1, LOG_FILE);

        assertThat(details).isEqualTo(new Step.FailureDetails(
                "[PATH_NOT_FOUND] Path does not exist: file:/x.",
                "org.apache.spark.sql.AnalysisException: [PATH_NOT_FOUND] Path does not exist: file:/x.",
                LOG_FILE));
    }

    @Test
    void multiLineExceptionMessageKeepsItsLinesUpToTheStackTrace() throws IOException {
        Path file = stderr(
                "Exception in thread \"main\" org.apache.spark.sql.AnalysisException: [TABLE_OR_VIEW_NOT_FOUND] The table or view `t` cannot be found.",
                "'Project [*]",
                "+- 'UnresolvedRelation [t], [], false",
                "\tat org.apache.spark.sql.catalyst.analysis.package$AnalysisErrorAt.tableNotFound(package.scala:87)",
                "not part of the message");

        Step.FailureDetails details = DriverFailureParser.parse(file, 1, LOG_FILE);

        assertThat(details.reason()).isEqualTo("[TABLE_OR_VIEW_NOT_FOUND] The table or view `t` cannot be found.");
        assertThat(details.message()).isEqualTo(
                "org.apache.spark.sql.AnalysisException: [TABLE_OR_VIEW_NOT_FOUND] The table or view `t` cannot be found.\n"
                        + "'Project [*]\n"
                        + "+- 'UnresolvedRelation [t], [], false");
    }

    @Test
    void messageEndsAtABlankLineOrALogLine() throws IOException {
        Path file = stderr(
                "Exception in thread \"main\" java.lang.IllegalStateException: first",
                "second",
                "24/05/01 10:00:01 INFO ShutdownHookManager: Shutdown hook called",
                "third");

        assertThat(DriverFailureParser.parse(file, 1, LOG_FILE).message()).isEqualTo("java.lang.IllegalStateException: first\nsecond");
    }

    @Test
    void exceptionWithoutMessageGivesItsSimpleClassNameAsReason() throws IOException {
        Path file = stderr(
                "Exception in thread \"main\" java.lang.NullPointerException",
                "\tat com.example.Main.main(Main.java:5)");

        Step.FailureDetails details = DriverFailureParser.parse(file, 1, LOG_FILE);

        assertThat(details.reason()).isEqualTo("NullPointerException");
        assertThat(details.message()).isEqualTo("java.lang.NullPointerException");
    }

    @Test
    void theLastMainThreadExceptionWins() throws IOException {
        Path file = stderr(
                "Exception in thread \"main\" java.lang.RuntimeException: old",
                "\tat a.B.c(B.java:1)",
                "Exception in thread \"main\" java.lang.RuntimeException: new",
                "\tat a.B.c(B.java:1)");

        assertThat(DriverFailureParser.parse(file, 1, LOG_FILE).reason()).isEqualTo("new");
    }

    @Test
    void sparkSqlErrorInQuery() throws IOException {
        Path file = stderr(
                "24/05/01 10:00:00 WARN HiveConf: HiveConf of name hive.stats.jdbc.timeout does not exist",
                "Error in query: [PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'.(line 1, pos 0)",
                "",
                "== SQL ==",
                "SELEC 1");

        Step.FailureDetails details = DriverFailureParser.parse(file, 1, LOG_FILE);

        assertThat(details).isEqualTo(new Step.FailureDetails(
                "[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'.(line 1, pos 0)",
                "Error in query: [PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'.(line 1, pos 0)",
                LOG_FILE));
    }

    @Test
    void plainExceptionLineIsUsedWhenThereIsNoMainThreadLineAndCausedByLinesAreSkipped() throws IOException {
        Path file = stderr(
                "24/05/01 10:00:00 ERROR SparkSubmit: application failed",
                "org.apache.spark.SparkException: Job aborted due to stage failure: Task 0 failed",
                "\tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2844)",
                "Caused by: java.io.IOException: No space left on device",
                "\tat java.io.FileOutputStream.writeBytes(Native Method)",
                "Caused by: java.lang.IllegalStateException",
                "\t... 12 more");

        Step.FailureDetails details = DriverFailureParser.parse(file, 1, LOG_FILE);

        assertThat(details).isEqualTo(new Step.FailureDetails(
                "Job aborted due to stage failure: Task 0 failed",
                "org.apache.spark.SparkException: Job aborted due to stage failure: Task 0 failed",
                LOG_FILE));
    }

    /**
     * A real stderr: a spark-sql step on a single-instance cluster whose query failed in one task
     * while seven others were still sleeping (SELECT CASE WHEN id = 0 THEN raise_error('boom') ELSE
     * reflect('java.lang.Thread', 'sleep', 1400) END FROM range(0, 8, 1, 8), --master local[8]). The
     * CLI printed the job's failure and exited; the tasks then woke up in a stopped SparkContext and
     * logged NullPointerExceptions and a missing broadcast block, which FailureDetails used to name.
     */
    /** The stderr of a real PySpark 3.5.1 step (Hearth's copy of the driver's traceback at its end). */
    private Path pysparkStderr(String name) throws IOException {
        Path file = temp.resolve("stderr");
        try (var in = TestDriverFailureParser.class.getResourceAsStream("pyspark-" + name + "-error.stderr")) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    @Test
    void pythonDriverErrorGivesThePythonExceptionAndWhereItWasRaised() throws IOException {
        Step.FailureDetails details = DriverFailureParser.parse(pysparkStderr("driver"), 1, LOG_FILE);

        assertThat(details.reason()).isEqualTo("ZeroDivisionError: division by zero");
        assertThat(details.message()).isEqualTo("ZeroDivisionError: division by zero\n"
                + "File \"/data/clusters/j-1/steps/s-1/driver.py\", line 4, in ratio\n"
                + "  return a / b");
    }

    @Test
    void pythonWorkerErrorGivesTheWorkersExceptionNotPy4jsWrapping() throws IOException {
        Path file = pysparkStderr("worker");
        assertThat(Files.readString(file)).contains("pyspark.errors.exceptions.captured.PythonException");

        Step.FailureDetails details = DriverFailureParser.parse(file, 1, LOG_FILE);

        assertThat(details.reason()).isEqualTo("ZeroDivisionError: division by zero");
        assertThat(details.message()).endsWith("File \"/data/clusters/j-1/steps/s-1/worker.py\", line 6, in inverse\n  return 1 / x");
    }

    @Test
    void pythonCapturedSparkErrorGivesItsSimpleNameAndErrorClass() throws IOException {
        Step.FailureDetails details = DriverFailureParser.parse(pysparkStderr("analysis"), 1, LOG_FILE);

        assertThat(details.reason()).startsWith("AnalysisException: [TABLE_OR_VIEW_NOT_FOUND] The table or view `no_such_table` cannot be found.");
        assertThat(details.message()).contains("'UnresolvedRelation [no_such_table]")
                .endsWith("File \"/data/clusters/j-1/steps/s-1/analysis.py\", line 3, in <module>\n  spark.sql(\"SELECT * FROM no_such_table\").show()");
    }

    @Test
    void py4jJavaErrorIsReportedAsTheJavaExceptionItWraps() throws IOException {
        Path file = stderr(
                "Traceback (most recent call last):",
                "  File \"/job.py\", line 2, in <module>",
                "    sc._jvm.java.lang.Integer.parseInt(\"x\")",
                "py4j.protocol.Py4JJavaError: An error occurred while calling z:java.lang.Integer.parseInt.",
                ": java.lang.NumberFormatException: For input string: \"x\"",
                "\tat java.base/java.lang.NumberFormatException.forInputString(NumberFormatException.java:67)");

        Step.FailureDetails details = DriverFailureParser.parse(file, 1, LOG_FILE);

        assertThat(details).isEqualTo(new Step.FailureDetails("For input string: \"x\"", "java.lang.NumberFormatException: For input string: \"x\"", LOG_FILE));
    }

    @Test
    void shutdownNoiseAfterARealFailureIsNotTheReason() throws IOException {
        Path file = temp.resolve("stderr");
        try (var in = TestDriverFailureParser.class.getResourceAsStream("spark-sql-job-failure-then-shutdown-noise.stderr")) {
            Files.write(file, in.readAllBytes());
        }
        assertThat(Files.readString(file)).contains("java.lang.NullPointerException: Cannot invoke \"org.apache.spark.SparkEnv.blockManager()\"");

        Step.FailureDetails details = DriverFailureParser.parse(file, 1, LOG_FILE);

        assertThat(details).isEqualTo(new Step.FailureDetails("boom", "java.lang.RuntimeException: boom", LOG_FILE));
    }

    @Test
    void theFirstFailureWinsOverLaterExceptionsWithoutAMainThreadLine() throws IOException {
        Path file = stderr(
                "Job aborted due to stage failure: Task 1 in stage 0.0 failed 4 times, most recent failure: Lost task 1.3: java.io.IOException: disk full",
                "",
                "Driver stacktrace:",
                "org.apache.spark.SparkException: Job aborted due to stage failure: Task 1 in stage 0.0 failed 4 times",
                "\tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2844)",
                "24/05/01 10:00:02 ERROR Utils: Uncaught exception in thread shutdown-hook-0",
                "java.lang.NullPointerException",
                "\tat org.apache.spark.executor.Executor.stop(Executor.scala:332)");

        assertThat(DriverFailureParser.parse(file, 1, LOG_FILE).reason()).isEqualTo("Job aborted due to stage failure: Task 1 in stage 0.0 failed 4 times");
    }

    @Test
    void anExceptionAWarningLogsIsNotAFailure() throws IOException {
        Path file = stderr(
                "24/05/01 10:00:00 WARN FileSystem: Cannot load filesystem",
                "java.util.ServiceConfigurationError: org.apache.hadoop.fs.FileSystem: Provider not found",
                "\tat java.base/java.util.ServiceLoader.fail(ServiceLoader.java:593)",
                "24/05/01 10:00:05 ERROR SparkSQLDriver: Failed in [SELECT 1]",
                "java.lang.IllegalStateException: the query failed");

        assertThat(DriverFailureParser.parse(file, 1, LOG_FILE).reason()).isEqualTo("the query failed");
    }

    @Test
    void aSparkSubmitErrorBeforeShutdownNoiseIsTheReason() throws IOException {
        Path file = stderr(
                "Error: Failed to load class Foo.",
                "24/05/01 10:00:02 ERROR Utils: Uncaught exception in thread shutdown-hook-0",
                "java.lang.NullPointerException");

        assertThat(DriverFailureParser.parse(file, 101, LOG_FILE).reason()).isEqualTo("Failed to load class Foo.");
    }

    @Test
    void sparkSubmitErrorLine() throws IOException {
        Path file = stderr(
                "24/05/01 10:00:00 WARN NativeCodeLoader: Unable to load native-hadoop library for your platform",
                "Error: Failed to load class Foo.",
                "24/05/01 10:00:00 INFO ShutdownHookManager: Shutdown hook called");

        Step.FailureDetails details = DriverFailureParser.parse(file, 101, LOG_FILE);

        assertThat(details).isEqualTo(new Step.FailureDetails("Failed to load class Foo.", "Error: Failed to load class Foo.", LOG_FILE));
    }

    @Test
    void nothingRecognisableIsAnUnknownErrorWithTheExitCodeAndTheLastLines() throws IOException {
        Path file = stderr("line 1", "line 2", "", "line 3", "line 4", "line 5", "line 6", "");

        Step.FailureDetails details = DriverFailureParser.parse(file, 42, LOG_FILE);

        assertThat(details).isEqualTo(new Step.FailureDetails("Unknown Error",
                "The step's process exited with code 42; the end of its stderr:\nline 2\nline 3\nline 4\nline 5\nline 6",
                LOG_FILE));
    }

    @Test
    void emptyStderr() throws IOException {
        Path file = Files.writeString(temp.resolve("stderr"), "");

        assertThat(DriverFailureParser.parse(file, 137, null)).isEqualTo(new Step.FailureDetails("Unknown Error",
                "The step's process exited with code 137 and wrote nothing to stderr", null));
    }

    @Test
    void missingStderr() {
        assertThat(DriverFailureParser.parse(temp.resolve("nope"), 2, LOG_FILE)).isEqualTo(new Step.FailureDetails("Unknown Error",
                "The step's process exited with code 2 and wrote nothing to stderr", LOG_FILE));
    }

    @Test
    void windowsLineEndingsAreSplitToo() throws IOException {
        Path file = Files.writeString(temp.resolve("stderr"),
                "Exception in thread \"main\" java.lang.IllegalArgumentException: bad input\r\n\tat a.B.c(B.java:1)\r\n");

        Step.FailureDetails details = DriverFailureParser.parse(file, 1, LOG_FILE);

        assertThat(details.reason()).isEqualTo("bad input");
        assertThat(details.message()).isEqualTo("java.lang.IllegalArgumentException: bad input");
    }

    @Test
    void longReasonIsTruncatedTo512Characters() throws IOException {
        String text = "x".repeat(600);
        Path file = stderr("Exception in thread \"main\" java.lang.RuntimeException: " + text);

        Step.FailureDetails details = DriverFailureParser.parse(file, 1, LOG_FILE);

        assertThat(details.reason()).hasSize(512).isEqualTo("x".repeat(509) + "...");
        assertThat(details.message()).isEqualTo("java.lang.RuntimeException: " + text);
    }

    @Test
    void sparkSqlErrorWithAnErrorClassIsTheReason(@org.junit.jupiter.api.io.TempDir Path directory) throws java.io.IOException {
        Path stderr = directory.resolve("stderr");
        java.nio.file.Files.writeString(stderr, String.join("\n",
                "26/11/21 09:15:32 WARN ObjectStore: Failed to get database global_temp, returning NoSuchObjectException",
                "Spark master: local[2], Application Id: local-1795252544528",
                "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `nope` cannot be resolved. Did you mean one of the following? [`id`].; line 1 pos 7;",
                "'Project ['nope]",
                "+- Range (0, 1, step=1, splits=None)",
                ""));
        Step.FailureDetails details = DriverFailureParser.parse(stderr, 1, "logs/stderr");
        org.assertj.core.api.Assertions.assertThat(details.reason()).startsWith("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `nope`");
        org.assertj.core.api.Assertions.assertThat(details.message()).contains("'Project ['nope]");
    }
}
