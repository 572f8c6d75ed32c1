package io.hearth.server.cluster;

/** The states Hearth gives instances (EMR's InstanceState). */
public enum InstanceState {
    /** Not used by Hearth: instances are never waiting for capacity. */
    AWAITING_FULFILLMENT,
    /** The instance's directory and configuration are being prepared. */
    PROVISIONING,
    /** Bootstrap actions run on the instance. */
    BOOTSTRAPPING,
    /** The instance runs its Spark daemon (or, for a single-instance cluster, is ready for drivers). */
    RUNNING,
    /** The instance was stopped or failed. */
    TERMINATED
}
