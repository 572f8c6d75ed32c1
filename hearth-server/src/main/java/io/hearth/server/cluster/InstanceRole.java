package io.hearth.server.cluster;

/** The role of an instance group and of its instances. */
public enum InstanceRole {
    /** Runs the Spark master and the step drivers; exactly one instance. */
    MASTER,
    /** Runs a Spark worker each. */
    CORE,
    /** Runs a Spark worker each, like CORE (Hearth keeps no HDFS on core nodes). */
    TASK
}
