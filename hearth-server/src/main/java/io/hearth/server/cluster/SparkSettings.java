package io.hearth.server.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a cluster's Configurations ask of Spark, by target file. {@code environment} holds the
 * {@code spark-env} exports, given to every Spark process of the cluster. {@code notes} say what
 * was accepted without effect, for the cluster log.
 */
public record SparkSettings(
        Map<String, String> sparkDefaults,
        Map<String, String> environment,
        Map<String, String> log4j2,
        Map<String, String> hiveSite,
        Map<String, String> coreSite,
        Map<String, String> metrics,
        boolean maximizeResourceAllocation,
        List<String> notes) {
    public SparkSettings {
        sparkDefaults = new LinkedHashMap<>(sparkDefaults);
        environment = new LinkedHashMap<>(environment);
        log4j2 = new LinkedHashMap<>(log4j2);
        hiveSite = new LinkedHashMap<>(hiveSite);
        coreSite = new LinkedHashMap<>(coreSite);
        metrics = new LinkedHashMap<>(metrics);
        notes = List.copyOf(notes);
    }

    /** No configuration at all: Spark's defaults. */
    public static SparkSettings none() {
        return new SparkSettings(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), false, List.of());
    }

    public SparkSettings withHiveSite(Map<String, String> site) {
        return new SparkSettings(sparkDefaults, environment, log4j2, site, coreSite, metrics, maximizeResourceAllocation, notes);
    }
}
