package io.hearth.server.step;

/** What CancelSteps did for one step: SUBMITTED, or FAILED with the reason. */
public record CancelStepResult(String stepId, boolean submitted, String reason) {
    public static CancelStepResult submitted(String stepId) {
        return new CancelStepResult(stepId, true, null);
    }

    public static CancelStepResult failed(String stepId, String reason) {
        return new CancelStepResult(stepId, false, reason);
    }
}
