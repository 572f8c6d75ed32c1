package io.hearth.server.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestTaskState {
    @Test
    void aPendingTaskStartsOrEndsAndARunningOneEnds() {
        assertThat(TaskState.PENDING.next()).containsExactlyInAnyOrder(TaskState.RUNNING, TaskState.SUCCEEDED, TaskState.FAILED, TaskState.CANCELLED);
        assertThat(TaskState.RUNNING.next()).containsExactlyInAnyOrder(TaskState.SUCCEEDED, TaskState.FAILED, TaskState.CANCELLED);
    }

    @Test
    void onlyAFailedOrCancelledTaskWaitsAgainAndNothingLeavesSucceeded() {
        assertThat(TaskState.FAILED.next()).containsExactly(TaskState.PENDING);
        assertThat(TaskState.CANCELLED.next()).containsExactly(TaskState.PENDING);
        assertThat(TaskState.SUCCEEDED.next()).isEmpty();
        assertThat(TaskState.from(TaskState.PENDING)).containsExactlyInAnyOrder(TaskState.FAILED, TaskState.CANCELLED);
    }

    @Test
    void everyEndIsReachedFromPendingOrRunningOnly() {
        for (TaskState end : new TaskState[] {TaskState.SUCCEEDED, TaskState.FAILED, TaskState.CANCELLED}) {
            assertThat(end.isTerminal()).as(end.name()).isTrue();
            assertThat(TaskState.from(end)).as(end.name()).containsExactlyInAnyOrder(TaskState.PENDING, TaskState.RUNNING);
        }
        assertThat(TaskState.PENDING.isTerminal()).isFalse();
        assertThat(TaskState.RUNNING.isTerminal()).isFalse();
    }
}
