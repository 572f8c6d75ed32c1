package io.hearth.server.cluster;

import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.fakeStep;
import static io.hearth.server.testing.EmrRequests.singleInstanceCluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.server.config.HttpConfig;
import io.hearth.server.testing.TestingHearth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.StepState;

/** Spark processes listen where Hearth listens, not on a fixed address. */
class TestProcessAddress {
    @Test
    void sparkProcessesGetHearthsBindAddress() throws IOException {
        // Any 127.0.0.0/8 address is this machine's loopback.
        try (TestingHearth hearth = TestingHearth.builder().setting(HttpConfig.BIND_ADDRESS.key(), "127.0.0.2").start()) {
            assertThat(hearth.endpoint().getHost()).isEqualTo("127.0.0.2");
            String clusterId = createCluster(hearth.emr(), singleInstanceCluster("address"));
            String stepId = hearth.emr().addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(fakeStep("env", ActionOnFailure.CONTINUE, "PrintEnv")))
                    .stepIds().get(0);
            awaitStepState(hearth.emr(), clusterId, stepId, StepState.COMPLETED);

            assertThat(Files.readAllLines(hearth.stepLogs(clusterId, stepId).resolve("stdout"))).contains("SPARK_LOCAL_IP=127.0.0.2");
            Path defaults = hearth.dataDirectory().resolve("clusters").resolve(clusterId).resolve("conf/spark-defaults.conf");
            assertThat(Files.readAllLines(defaults)).anySatisfy(line -> assertThat(line).matches("spark\\.driver\\.host=127\\.0\\.0\\.2"))
                    .anySatisfy(line -> assertThat(line).matches("spark\\.driver\\.bindAddress=127\\.0\\.0\\.2"));
        }
    }
}
