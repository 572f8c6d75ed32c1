package io.hearth.server.step;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class TestStepState {
    private static final EnumSet<StepState> ENDS = EnumSet.of(StepState.COMPLETED, StepState.CANCELLED, StepState.FAILED, StepState.INTERRUPTED);

    @Test
    void aPendingStepRunsOrEndsBeforeItStarts() {
        assertThat(StepState.PENDING.next()).containsExactlyInAnyOrder(StepState.RUNNING, StepState.CANCELLED, StepState.FAILED);
    }

    @Test
    void aRunningStepEndsAnyWayIsCancelledOrWaitsAgainWhenItsDriverNeverLaunched() {
        assertThat(StepState.RUNNING.next()).containsAll(ENDS).contains(StepState.CANCEL_PENDING, StepState.PENDING).hasSize(6);
        assertThat(StepState.CANCEL_PENDING.next()).isEqualTo(ENDS);
    }

    @Test
    void nothingLeavesAnEnd() {
        for (StepState end : ENDS) {
            assertThat(end.isTerminal()).as(end.name()).isTrue();
            assertThat(end.next()).as(end.name()).isEmpty();
        }
        assertThat(StepState.unfinished()).allMatch(state -> !state.isTerminal()).hasSize(StepState.values().length - ENDS.size());
    }

    @Test
    void onlyALaunchedStepCompletesOrIsInterrupted() {
        assertThat(StepState.from(StepState.COMPLETED)).containsExactlyInAnyOrder(StepState.RUNNING, StepState.CANCEL_PENDING);
        assertThat(StepState.from(StepState.INTERRUPTED)).containsExactlyInAnyOrder(StepState.RUNNING, StepState.CANCEL_PENDING);
        assertThat(StepState.from(StepState.CANCELLED)).containsExactlyInAnyOrder(StepState.PENDING, StepState.RUNNING, StepState.CANCEL_PENDING);
        assertThat(StepState.from(StepState.CANCEL_PENDING)).containsExactly(StepState.RUNNING);
    }
}
