package io.hearth.tests;

import static io.hearth.server.testing.EmrRequests.awaitClusterState;
import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.singleInstanceCluster;
import static io.hearth.server.testing.EmrRequests.sparkStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearth.server.config.DatabaseConfig;
import io.hearth.server.testing.TestingHearth;
import io.hearth.server.testing.TestingPostgres;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.StepState;

/** Hearth with its state in PostgreSQL instead of the embedded file: real Spark steps, a restart, nothing lost. */
class TestPostgresBackedHearth {
    @Test
    void clustersAndStepsLiveInPostgresAcrossARestart() {
        try (TestingPostgres postgres = TestingPostgres.create();
                TestingHearth hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome())
                        .setting(DatabaseConfig.URL.key(), postgres.jdbcUrl()).start()) {
            String clusterId = createCluster(hearth.emr(), singleInstanceCluster("on postgres"));
            List<String> stepIds = hearth.emr().addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(
                    sparkStep("long", ActionOnFailure.CONTINUE, "io.hearth.spark.examples.SleepTasks", Distribution.examplesJar(), "120", "1"),
                    sparkStep("after", ActionOnFailure.CONTINUE, "io.hearth.spark.examples.NoOp", Distribution.examplesJar()))).stepIds();
            awaitStepState(hearth.emr(), clusterId, stepIds.get(0), StepState.RUNNING);
            // RUNNING is recorded before the driver starts; the restart must catch the driver itself running.
            await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(
                    () -> Distribution.read(hearth.stepLogs(clusterId, stepIds.get(0)).resolve("controller")).contains("Spark application id"));

            hearth.restart();

            awaitStepState(hearth.emr(), clusterId, stepIds.get(0), StepState.INTERRUPTED);
            awaitStepState(hearth.emr(), clusterId, stepIds.get(1), StepState.COMPLETED);
            assertThat(awaitClusterState(hearth.emr(), clusterId, ClusterState.WAITING)).isEqualTo(ClusterState.WAITING);
            assertThat(hearth.dataDirectory().resolve("db")).as("no embedded database when PostgreSQL is configured").doesNotExist();
        }
    }
}
