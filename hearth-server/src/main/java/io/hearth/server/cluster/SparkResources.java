package io.hearth.server.cluster;

/** The Spark cores and memory Hearth gives one instance after scaling its type to this machine. */
public record SparkResources(int cores, int memoryMb) {}
