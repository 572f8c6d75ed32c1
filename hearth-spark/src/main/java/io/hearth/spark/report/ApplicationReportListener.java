package io.hearth.spark.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationStart;

/**
 * Tells Hearth which Spark application a step started. Hearth registers this listener in every
 * cluster's spark-defaults and names a report file in the driver's environment; when the
 * application starts, its id, name and user are written there as a properties file. Without
 * that environment variable (a Spark application Hearth did not launch) it does nothing.
 */
public class ApplicationReportListener extends SparkListener {
    public static final String REPORT_FILE_ENV = "HEARTH_APPLICATION_REPORT";

    private final Path reportFile;

    public ApplicationReportListener() {
        this(reportFileFromEnvironment());
    }

    ApplicationReportListener(Path reportFile) {
        this.reportFile = reportFile;
    }

    private static Path reportFileFromEnvironment() {
        String value = System.getenv(REPORT_FILE_ENV);
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    @Override
    public void onApplicationStart(SparkListenerApplicationStart event) {
        if (reportFile == null) {
            return;
        }
        Properties report = new Properties();
        report.setProperty("applicationId", event.appId().isDefined() ? event.appId().get() : "");
        report.setProperty("applicationName", event.appName());
        report.setProperty("sparkUser", event.sparkUser());
        report.setProperty("startTime", Long.toString(event.time()));
        writeAtomically(report);
    }

    private void writeAtomically(Properties report) {
        Path temporary = reportFile.resolveSibling(reportFile.getFileName() + ".tmp");
        try {
            Files.createDirectories(reportFile.toAbsolutePath().getParent());
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                report.store(writer, "Spark application started by a Hearth step");
            }
            Files.move(temporary, reportFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the application report " + reportFile, e);
        }
    }
}
