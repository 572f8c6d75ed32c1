package io.hearth.server.cluster;

/** Why a cluster changed state, as EMR reports it. */
public enum ClusterStateChangeReasonCode {
    /** Hearth itself failed (a Spark daemon exited, a directory could not be written). */
    INTERNAL_ERROR,
    /** The cluster's definition could not be applied. */
    VALIDATION_ERROR,
    /** An instance's process failed. */
    INSTANCE_FAILURE,
    /** Instance fleets are not used by Hearth; kept for completeness of the wire enum. */
    INSTANCE_FLEET_TIMEOUT,
    /** A bootstrap action returned a non-zero exit code. */
    BOOTSTRAP_FAILURE,
    /** TerminateJobFlows was called. */
    USER_REQUEST,
    /** A step with ActionOnFailure TERMINATE_CLUSTER failed. */
    STEP_FAILURE,
    /** A transient cluster ran its last step, or an idle cluster reached its auto-termination timeout. */
    ALL_STEPS_COMPLETED
}
