package io.hearth.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class TestClusterState {
    @Test
    void aClusterBootstrapsThenAlternatesBetweenWaitingAndRunningUntilItTerminates() {
        assertThat(ClusterState.STARTING.next()).containsExactlyInAnyOrder(ClusterState.BOOTSTRAPPING, ClusterState.TERMINATING);
        assertThat(ClusterState.BOOTSTRAPPING.next()).as("a restart bootstraps again")
                .containsExactlyInAnyOrder(ClusterState.BOOTSTRAPPING, ClusterState.WAITING, ClusterState.TERMINATING);
        assertThat(ClusterState.WAITING.next()).containsExactlyInAnyOrder(ClusterState.RUNNING, ClusterState.TERMINATING);
        assertThat(ClusterState.RUNNING.next()).containsExactlyInAnyOrder(ClusterState.WAITING, ClusterState.TERMINATING);
        assertThat(ClusterState.TERMINATING.next()).containsExactlyInAnyOrder(ClusterState.TERMINATED, ClusterState.TERMINATED_WITH_ERRORS);
    }

    @Test
    void nothingLeavesAnEndAndOnlyTerminatingReachesOne() {
        for (ClusterState end : ClusterState.terminal()) {
            assertThat(end.isTerminal()).isTrue();
            assertThat(end.next()).as(end.name()).isEmpty();
            assertThat(ClusterState.from(end)).as(end.name()).containsExactly(ClusterState.TERMINATING);
        }
        assertThat(ClusterState.terminal()).containsExactlyInAnyOrder(ClusterState.TERMINATED, ClusterState.TERMINATED_WITH_ERRORS);
    }

    @Test
    void everyStateBeforeTerminatingMayTerminate() {
        assertThat(ClusterState.from(ClusterState.TERMINATING))
                .isEqualTo(EnumSet.of(ClusterState.STARTING, ClusterState.BOOTSTRAPPING, ClusterState.RUNNING, ClusterState.WAITING));
        assertThat(ClusterState.from(ClusterState.RUNNING)).containsExactly(ClusterState.WAITING);
        assertThat(ClusterState.from(ClusterState.WAITING)).containsExactlyInAnyOrder(ClusterState.BOOTSTRAPPING, ClusterState.RUNNING);
    }

    @Test
    void aUsersRequestOrTheLastStepEndsTerminatedAndAnythingElseWithErrors() {
        assertThat(ClusterStateMachine.finalStateFor("USER_REQUEST")).isEqualTo(ClusterState.TERMINATED);
        assertThat(ClusterStateMachine.finalStateFor("ALL_STEPS_COMPLETED")).isEqualTo(ClusterState.TERMINATED);
        assertThat(ClusterStateMachine.finalStateFor("BOOTSTRAP_FAILURE")).isEqualTo(ClusterState.TERMINATED_WITH_ERRORS);
        assertThat(ClusterStateMachine.finalStateFor("STEP_FAILURE")).isEqualTo(ClusterState.TERMINATED_WITH_ERRORS);
        assertThat(ClusterStateMachine.finalStateFor(null)).isEqualTo(ClusterState.TERMINATED_WITH_ERRORS);
    }
}
