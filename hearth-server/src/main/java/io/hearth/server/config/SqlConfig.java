package io.hearth.server.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the SQL engine: the long-running Spark application that answers Athena and JDBC queries.
 *
 * @param startWithHearth start the engine when Hearth starts, rather than on the first query
 * @param idleTimeout stop the engine after this long without a query; zero keeps it running
 * @param jdbcPort the HiveServer2 (JDBC / ODBC) port, binary transport; 0 picks a free port once and keeps it in the data directory
 * @param jdbcHttpPort the HiveServer2 port of the HTTP transport; 0 picks a free port as for {@code jdbcPort}
 * @param cores Spark cores of the engine (local mode); 0 is every core of this machine
 * @param memoryMb the engine's Java heap (driver memory) in MiB; 0 is a quarter of this machine's memory, 1 to 16 GiB
 * @param maxConcurrentQueries how many Athena queries of one work group run at once; the rest wait QUEUED
 */
public record SqlConfig(boolean enabled, boolean startWithHearth, Duration idleTimeout, int jdbcPort, int jdbcHttpPort, Duration startTimeout,
        int cores, int memoryMb, int maxConcurrentQueries) {

    public static final Setting<Boolean> ENABLED = Setting.bool("sql.enabled", true);
    public static final Setting<Boolean> START_WITH_HEARTH = Setting.bool("sql.start-with-hearth", false);
    public static final Setting<Duration> IDLE_TIMEOUT = Setting.duration("sql.idle-timeout", Duration.ofMinutes(30), Duration.ZERO);
    public static final Setting<Integer> JDBC_PORT = Setting.integer("sql.jdbc-port", 0, 0, 65535);
    public static final Setting<Integer> JDBC_HTTP_PORT = Setting.integer("sql.jdbc-http-port", 0, 0, 65535);
    public static final Setting<Duration> START_TIMEOUT = Setting.duration("sql.start-timeout", Duration.ofSeconds(180), Duration.ofSeconds(1));
    public static final Setting<Integer> CORES = Setting.integer("sql.cores", 0, 0, 4096);
    public static final Setting<Integer> MEMORY_MB = Setting.integer("sql.memory-mb", 0, 0, 1024 * 1024);
    public static final Setting<Integer> MAX_CONCURRENT_QUERIES = Setting.integer("sql.max-concurrent-queries", 8, 1, 1000);

    static final List<Setting<?>> SETTINGS = List.of(ENABLED, START_WITH_HEARTH, IDLE_TIMEOUT, JDBC_PORT, JDBC_HTTP_PORT, START_TIMEOUT, CORES, MEMORY_MB,
            MAX_CONCURRENT_QUERIES);

    public SqlConfig {
        requireNonNull(idleTimeout, "idleTimeout is null");
        requireNonNull(startTimeout, "startTimeout is null");
    }

    static SqlConfig from(SettingValues values) {
        return new SqlConfig(values.get(ENABLED), values.get(START_WITH_HEARTH), values.get(IDLE_TIMEOUT), values.get(JDBC_PORT),
                values.get(JDBC_HTTP_PORT), values.get(START_TIMEOUT), values.get(CORES), values.get(MEMORY_MB), values.get(MAX_CONCURRENT_QUERIES));
    }

    /** The engine's Spark cores on a machine with {@code machineCores}. */
    public int coresOn(int machineCores) {
        return cores > 0 ? cores : Math.max(1, machineCores);
    }

    /** The engine's heap on a machine with {@code machineMemoryMb}: the setting, else a quarter of the machine, 1 to 16 GiB. */
    public int memoryMbOn(long machineMemoryMb) {
        return memoryMb > 0 ? memoryMb : (int) Math.max(1024, Math.min(16 * 1024, machineMemoryMb / 4));
    }
}
