package io.hearth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.server.testing.TestingHearth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hearth command of the built distribution: quickstart, env, help and its errors. */
class TestCommandLine {
    @TempDir
    Path workingDirectory;

    private ExternalCommand.Result hearth(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(Distribution.hearthCommand().toString()));
        command.addAll(List.of(args));
        return ExternalCommand.run(command, Map.of(), workingDirectory, 600);
    }

    @Test
    void quickstartRunsTheExampleEndToEndAndStopsCleanly() {
        ExternalCommand.Result result = hearth("quickstart");
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        Path data = workingDirectory.resolve("hearth-quickstart");
        assertThat(result.stdout())
                .contains("Hearth is serving the EMR API at http://127.0.0.1:")
                .containsPattern("Created cluster j-[A-Z0-9]{13}")
                .containsPattern("Added Spark step s-[A-Z0-9]{13}")
                .contains("Wrote 3 groups of 150 rows")
                .containsPattern("\\|setosa\\s*\\|50\\s*\\|5\\.006")
                .contains("Step logs:      " + data.toAbsolutePath().resolve("logs"))
                .contains("What to try next:");
        assertThat(Distribution.processesMentioning(data.toAbsolutePath().toString())).as("quickstart leaves nothing running").isEmpty();
        assertThat(data.resolve("run/endpoint")).doesNotExist();
    }

    @Test
    void envPrintsTheVariablesForTheAwsClients() {
        ExternalCommand.Result result = hearth("env", "--port", "9123");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                export AWS_ENDPOINT_URL=http://127.0.0.1:9123
                export AWS_ACCESS_KEY_ID=hearth
                export AWS_SECRET_ACCESS_KEY=hearth-secret
                export AWS_DEFAULT_REGION=us-east-1
                export AWS_REGION=us-east-1
                """);
    }

    @Test
    void envFindsTheEndpointOfARunningHearth() {
        try (TestingHearth running = TestingHearth.builder().start()) {
            ExternalCommand.Result result = hearth("env", "--data-dir", running.dataDirectory().toString());
            assertThat(result.stdout()).startsWith("export AWS_ENDPOINT_URL=" + running.endpoint() + "\n")
                    .contains("export HEARTH_JDBC_URL=" + running.server().sqlEngine().orElseThrow().jdbcUrl() + "\n")
                    .containsPattern("HEARTH_JDBC_URL=jdbc:hive2://127\\.0\\.0\\.1:\\d+/default")
                    .contains("export HEARTH_JDBC_HTTP_URL='" + running.server().sqlEngine().orElseThrow().jdbcHttpUrl() + "'\n")
                    .containsPattern("HEARTH_JDBC_HTTP_URL='jdbc:hive2://127\\.0\\.0\\.1:\\d+/default;transportMode=http;httpPath=cliservice'");
        }
    }

    @Test
    void helpDescribesEveryCommand() {
        ExternalCommand.Result help = hearth("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("up", "env", "quickstart");
        ExternalCommand.Result up = hearth("up", "--help");
        assertThat(up.stdout()).contains("--port", "--data-dir", "--set", "--config");
    }

    @Test
    void badSettingsAreReportedNamingTheSetting() throws IOException {
        ExternalCommand.Result unknown = hearth("up", "--data-dir", workingDirectory.resolve("data").toString(), "--set", "steps.max-concurency=5");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("hearth: Unknown setting 'steps.max-concurency'");

        Path config = workingDirectory.resolve("hearth.properties");
        Files.writeString(config, "steps.stop-grace-period=soon\n");
        ExternalCommand.Result bad = hearth("up", "--config", config.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("Setting 'steps.stop-grace-period' must be a duration");
    }

    @Test
    void aSecondHearthOnTheSameDataDirectoryIsRefused() {
        try (TestingHearth running = TestingHearth.builder().start()) {
            ExternalCommand.Result second = hearth("up", "--data-dir", running.dataDirectory().toString(), "--port", "0");
            assertThat(second.exitCode()).isEqualTo(2);
            assertThat(second.stderr()).contains("Another Hearth is already running with the data directory " + running.dataDirectory());
        }
    }
}
