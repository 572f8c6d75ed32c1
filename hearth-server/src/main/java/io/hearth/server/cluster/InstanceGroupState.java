package io.hearth.server.cluster;

/** The states Hearth gives instance groups (a subset of EMR's InstanceGroupState). */
public enum InstanceGroupState {
    /** The cluster is starting. */
    PROVISIONING,
    /** Bootstrap actions are running on the group's instances. */
    BOOTSTRAPPING,
    /** The group's instances run their Spark daemons. */
    RUNNING,
    /** The cluster is terminating. */
    TERMINATING,
    /** The cluster ended; so did the group. */
    ENDED
}
