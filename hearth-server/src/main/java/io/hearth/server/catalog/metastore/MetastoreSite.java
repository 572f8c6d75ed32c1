package io.hearth.server.catalog.metastore;

import io.hearth.server.HearthException;
import io.hearth.server.config.CatalogConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The metastore's hive-site.xml: its database (embedded Derby in the data directory, or PostgreSQL),
 * schema creation on first start, the warehouse Spark also uses, and the object store mapping so
 * that table and partition locations may be {@code s3://} paths.
 */
final class MetastoreSite {
    static final String DERBY_DRIVER = "org.apache.derby.jdbc.EmbeddedDriver";
    static final String POSTGRESQL_DRIVER = "org.postgresql.Driver";

    private MetastoreSite() {}

    static Map<String, String> properties(CatalogConfig catalog, Path catalogDirectory, Path warehouseDirectory,
            Map<String, String> objectStoreSettings, Path log4jFile) {
        Map<String, String> site = new LinkedHashMap<>();
        if (catalog.databaseUrl() == null) {
            site.put("javax.jdo.option.ConnectionURL", "jdbc:derby:;databaseName=" + catalogDirectory.resolve("metastore_db") + ";create=true");
            site.put("javax.jdo.option.ConnectionDriverName", DERBY_DRIVER);
        } else {
            site.put("javax.jdo.option.ConnectionURL", catalog.databaseUrl());
            site.put("javax.jdo.option.ConnectionDriverName", driverFor(catalog.databaseUrl()));
            Optional.ofNullable(catalog.databaseUser()).ifPresent(user -> site.put("javax.jdo.option.ConnectionUserName", user));
            Optional.ofNullable(catalog.databasePassword()).ifPresent(password -> site.put("javax.jdo.option.ConnectionPassword", password));
        }
        // The Spark runtime carries no schema scripts: the metastore creates its tables on first start.
        site.put("datanucleus.schema.autoCreateAll", "true");
        site.put("hive.metastore.schema.verification", "false");
        site.put("hive.metastore.schema.verification.record.version", "false");
        site.put("hive.metastore.warehouse.dir", warehouseDirectory.toUri().toString());
        // Partition filters on integer columns are answered by the database, not by listing every partition.
        site.put("hive.metastore.integral.jdo.pushdown", "true");
        // Glue never lists a partition's folder to count its files; neither does the catalog (listing
        // every folder would also slow down adding partitions over existing data).
        site.put("hive.stats.autogather", "false");
        // Partitions are read with SQL "IN" lists of their ids; without batches, reading a whole table
        // of 100,000 partitions makes one query too large for Derby, and the slow fallback takes minutes.
        site.put("hive.metastore.direct.sql.batch.size", "1000");
        // Glue lets UpdateTable change a column's type; so does Hearth's catalog.
        site.put("hive.metastore.disallow.incompatible.col.type.changes", "false");
        // Hive would copy the parent's permissions onto every new table and partition folder through
        // FsShell, a fork per folder: objects have no permissions, and BatchCreatePartition would crawl.
        site.put("hive.warehouse.subdir.inherit.perms", "false");
        site.put("hive.log4j.file", log4jFile.toString());
        site.putAll(objectStoreSettings);
        return site;
    }

    static String driverFor(String databaseUrl) {
        String url = databaseUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL_DRIVER;
        }
        if (url.startsWith("jdbc:derby:")) {
            return DERBY_DRIVER;
        }
        throw HearthException.invalidArgument("Setting '%s' must be a PostgreSQL (jdbc:postgresql:) or Derby (jdbc:derby:) URL, not '%s'",
                CatalogConfig.DATABASE_URL.key(), databaseUrl);
    }

    /** The metastore's logging: everything at INFO to standard output, which Hearth keeps in the catalog's log file. */
    static String log4j2Properties() {
        return String.join("\n",
                "# Logging of the Hive Metastore, written by Hearth",
                "status = error",
                "appender.console.type = Console",
                "appender.console.name = console",
                "appender.console.target = SYSTEM_OUT",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = %d{yyyy-MM-dd HH:mm:ss.SSS} %-5p [%t] %c{1}: %m%n%ex",
                "rootLogger.level = info",
                "rootLogger.appenderRef.console.ref = console",
                "logger.datanucleus.name = DataNucleus",
                "logger.datanucleus.level = warn",
                "logger.datastore.name = Datastore",
                "logger.datastore.level = warn",
                "");
    }
}
