package io.hearth.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.server.HearthException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TestBootstrapRunIf {
    private static final Instance MASTER = instance(InstanceRole.MASTER);
    private static final Instance CORE = instance(InstanceRole.CORE);
    private static final Instance TASK = instance(InstanceRole.TASK);

    private static Instance instance(InstanceRole role) {
        return new Instance("hi-" + role, "j-1", "ig-" + role, "i-" + role, 0, role, "m5.xlarge", InstanceState.BOOTSTRAPPING,
                StateChangeReason.NONE, Instant.parse("2024-01-01T00:00:00Z"), null, null, 4, 12288, null, null, null, null);
    }

    @Test
    void isRunIfRecognisesTheRunIfActionByNameOrPath() {
        assertThat(BootstrapRunner.isRunIf("run-if")).isTrue();
        assertThat(BootstrapRunner.isRunIf("s3://elasticmapreduce/bootstrap-actions/run-if")).isTrue();
        assertThat(BootstrapRunner.isRunIf("s3://bucket/my-run-if")).isFalse();
        assertThat(BootstrapRunner.isRunIf("s3://bucket/run-if.sh")).isFalse();
    }

    @Test
    void isMasterTrueHoldsOnlyOnTheMaster() {
        assertThat(BootstrapRunner.conditionHolds("instance.isMaster=true", MASTER)).isTrue();
        assertThat(BootstrapRunner.conditionHolds("instance.isMaster=true", CORE)).isFalse();
        assertThat(BootstrapRunner.conditionHolds("instance.isMaster=true", TASK)).isFalse();
    }

    @Test
    void isMasterFalseHoldsOnlyOffTheMaster() {
        assertThat(BootstrapRunner.conditionHolds("instance.isMaster=false", MASTER)).isFalse();
        assertThat(BootstrapRunner.conditionHolds("instance.isMaster=false", CORE)).isTrue();
        assertThat(BootstrapRunner.conditionHolds("instance.isMaster=false", TASK)).isTrue();
    }

    @Test
    void spacesAroundKeyAndValueAreIgnored() {
        assertThat(BootstrapRunner.conditionHolds(" instance.isMaster = true ", MASTER)).isTrue();
    }

    @Test
    void instanceRoleIsComparedCaseInsensitively() {
        assertThat(BootstrapRunner.conditionHolds("instance.instanceRole=core", CORE)).isTrue();
        assertThat(BootstrapRunner.conditionHolds("instance.instanceRole=CORE", CORE)).isTrue();
        assertThat(BootstrapRunner.conditionHolds("instance.instanceRole=Core", MASTER)).isFalse();
        assertThat(BootstrapRunner.conditionHolds("instance.instanceRole=core", TASK)).isFalse();
        assertThat(BootstrapRunner.conditionHolds("instance.instanceRole=task", TASK)).isTrue();
        assertThat(BootstrapRunner.conditionHolds("instance.instanceRole=master", MASTER)).isTrue();
    }

    @Test
    void unknownKeyIsRejected() {
        assertThatThrownBy(() -> BootstrapRunner.conditionHolds("instance.instanceType=m5.xlarge", MASTER))
                .isInstanceOf(HearthException.class)
                .hasMessage("run-if condition key 'instance.instanceType' is not supported; use instance.isMaster or instance.instanceRole");
    }

    @Test
    void conditionWithoutEqualsIsRejected() {
        assertThatThrownBy(() -> BootstrapRunner.conditionHolds("instance.isMaster", MASTER))
                .isInstanceOf(HearthException.class)
                .hasMessage("run-if condition 'instance.isMaster' must be key=value, e.g. instance.isMaster=true");
    }

    @Test
    void isMasterValueOtherThanTrueOrFalseIsRejected() {
        assertThatThrownBy(() -> BootstrapRunner.conditionHolds("instance.isMaster=ture", CORE))
                .isInstanceOf(HearthException.class);
    }
}
