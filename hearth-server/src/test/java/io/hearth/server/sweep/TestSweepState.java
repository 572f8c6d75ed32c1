package io.hearth.server.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class TestSweepState {
    @Test
    void aRunningSweepEndsOneOfThreeWaysAndOnlyAFailedOrCancelledOneRunsAgain() {
        assertThat(SweepState.RUNNING.next()).containsExactlyInAnyOrder(SweepState.COMPLETED, SweepState.FAILED, SweepState.CANCELLED);
        assertThat(SweepState.FAILED.next()).containsExactly(SweepState.RUNNING);
        assertThat(SweepState.CANCELLED.next()).containsExactly(SweepState.RUNNING);
        assertThat(SweepState.COMPLETED.next()).as("nothing leaves COMPLETED").isEmpty();
    }

    @Test
    void everyEndIsReachedOnlyFromRunning() {
        for (SweepState end : EnumSet.of(SweepState.COMPLETED, SweepState.FAILED, SweepState.CANCELLED)) {
            assertThat(SweepState.from(end)).as(end.name()).containsExactly(SweepState.RUNNING);
            assertThat(end.isTerminal()).isTrue();
        }
        assertThat(SweepState.from(SweepState.RUNNING)).containsExactlyInAnyOrder(SweepState.FAILED, SweepState.CANCELLED);
        assertThat(SweepState.RUNNING.isTerminal()).isFalse();
    }

    @Test
    void noStateMovesToItself() {
        for (SweepState state : SweepState.values()) {
            assertThat(state.next()).as(state.name()).doesNotContain(state);
        }
    }
}
