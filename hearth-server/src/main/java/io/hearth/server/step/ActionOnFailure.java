package io.hearth.server.step;

/** What happens to the cluster when a step fails. */
public enum ActionOnFailure {
    /** Legacy name of TERMINATE_CLUSTER. */
    TERMINATE_JOB_FLOW,
    /** Cancel pending steps and terminate the cluster (cancel-and-wait if termination protected). */
    TERMINATE_CLUSTER,
    /** Cancel pending steps; the cluster goes back to WAITING. */
    CANCEL_AND_WAIT,
    /** Go on with the next step. */
    CONTINUE;

    public boolean terminatesCluster() {
        return this == TERMINATE_JOB_FLOW || this == TERMINATE_CLUSTER;
    }
}
