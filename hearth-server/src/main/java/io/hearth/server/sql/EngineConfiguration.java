package io.hearth.server.sql;

import io.hearth.server.catalog.CatalogEndpoint;
import io.hearth.server.cluster.HostResources;
import io.hearth.server.cluster.SparkConfWriter;
import io.hearth.server.cluster.SparkSettings;
import io.hearth.server.config.HearthConfig;
import io.hearth.server.config.OwnerOnlyFiles;
import io.hearth.server.storage.ObjectStoreHadoopSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SQL engine's Spark configuration directory ({@code <data-dir>/sql/conf}): spark-defaults.conf sized from this
 * machine (local mode, {@code sql.cores}, {@code sql.memory-mb}), the FAIR scheduler with a FAIR default pool so that
 * a short query shares the cores with a long one, the shared catalog's hive-site.xml and the {@code s3://} storage
 * of every cluster.
 */
final class EngineConfiguration {
    private EngineConfiguration() {}

    /** Writes the directory; returns the spark-defaults it wrote (the engine's fingerprint includes them). */
    static Map<String, String> write(HearthConfig config, CatalogEndpoint catalog, HostResources host, Path confDirectory) throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>();
        String address = config.processAddress();
        defaults.put("spark.master", "local[" + config.sql().coresOn(host.cores()) + "]");
        defaults.put("spark.driver.memory", config.sql().memoryMbOn(host.memoryMb()) + "m");
        defaults.put("spark.driver.host", address);
        defaults.put("spark.driver.bindAddress", address);
        defaults.put("spark.ui.showConsoleProgress", "false");
        defaults.put("spark.port.maxRetries", "100");
        defaults.put("spark.sql.warehouse.dir", config.warehouseDirectory().toUri().toString());
        defaults.put("spark.scheduler.mode", "FAIR");
        defaults.put("spark.scheduler.allocation.file", confDirectory.resolve("fairscheduler.xml").toUri().toString());
        Map<String, String> hiveSite = new LinkedHashMap<>();
        // The Thrift server's operation logs and Hive's scratch space stay in the engine's directory, not in /tmp.
        Path engineDirectory = confDirectory.getParent();
        hiveSite.put("hive.server2.logging.operation.log.location", engineDirectory.resolve("operation-logs").toString());
        hiveSite.put("hive.exec.local.scratchdir", engineDirectory.resolve("scratch").toString());
        hiveSite.put("hive.downloaded.resources.dir", engineDirectory.resolve("resources").toString());
        catalog.metastoreUri().ifPresent(uri -> {
            defaults.put("spark.sql.catalogImplementation", "hive");
            hiveSite.put("hive.metastore.uris", uri.toString());
        });
        ObjectStoreHadoopSettings.of(config).forEach((key, value) -> defaults.put("spark.hadoop." + key, value));
        SparkConfWriter.write(confDirectory, defaults, SparkSettings.none().withHiveSite(hiveSite));
        OwnerOnlyFiles.writeString(confDirectory.resolve("fairscheduler.xml"), """
                <?xml version="1.0"?>
                <!-- Written by Hearth: every query's jobs share the engine's cores fairly. -->
                <allocations>
                  <pool name="default">
                    <schedulingMode>FAIR</schedulingMode>
                    <weight>1</weight>
                    <minShare>0</minShare>
                  </pool>
                </allocations>
                """);
        Map<String, String> written = new LinkedHashMap<>(defaults);
        hiveSite.forEach((key, value) -> written.put("hive-site." + key, value));
        return written;
    }
}
