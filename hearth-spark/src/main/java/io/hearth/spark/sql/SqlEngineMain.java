package io.hearth.spark.sql;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.hive.service.rpc.thrift.TCLIService;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;

/**
 * Hearth's SQL engine: one long-running Spark application with the cluster-wide catalog, answering Hearth's Athena
 * queries through its {@link ControlServer} and JDBC / ODBC clients through Spark's Thrift server (HiveServer2
 * protocol), both on {@code --address} only. Hearth starts it with a spark-defaults.conf that names the catalog,
 * {@code s3://} storage, the FAIR scheduler and the engine's size; it runs until it gets SIGTERM.
 *
 * <p>Usage: {@code SqlEngineMain --address A --control-port P --jdbc-port J [--jdbc-http-port H] --token-file F}
 * ({@code --jdbc-port 0}: no binary Thrift server; without {@code --jdbc-http-port} or with 0: no HTTP one).
 */
public final class SqlEngineMain {
    private SqlEngineMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(List.of(args));
        String address = options.get("--address");
        int controlPort = Integer.parseInt(options.get("--control-port"));
        int jdbcPort = Integer.parseInt(options.get("--jdbc-port"));
        int jdbcHttpPort = Integer.parseInt(options.getOrDefault("--jdbc-http-port", "0"));
        String token = Files.readString(Path.of(options.get("--token-file")), StandardCharsets.UTF_8).strip();

        SparkSession spark = SparkSession.builder().appName("Hearth SQL engine").enableHiveSupport().getOrCreate();
        JdbcQueries jdbcQueries = new JdbcQueries();
        spark.sparkContext().addSparkListener(jdbcQueries);
        ThriftHttpTransport httpTransport = null;
        if (jdbcPort > 0) {
            spark.conf().set("hive.server2.thrift.bind.host", address);
            spark.conf().set("hive.server2.thrift.port", Integer.toString(jdbcPort));
            spark.conf().set("hive.server2.transport.mode", "binary");
            HiveThriftServer2 thrift = HiveThriftServer2.startWithContext(spark.sqlContext());
            if (jdbcHttpPort > 0) {
                // the HTTP transport answers with the binary service's sessions
                TCLIService.Iface service = thrift.getServices().stream().filter(TCLIService.Iface.class::isInstance)
                        .map(TCLIService.Iface.class::cast).findFirst()
                        .orElseThrow(() -> new IllegalStateException("Spark's Thrift server has no Thrift service"));
                httpTransport = new ThriftHttpTransport(new InetSocketAddress(InetAddress.getByName(address), jdbcHttpPort), service);
                httpTransport.start();
            }
        }
        QueryRunner runner = new QueryRunner(spark);
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("applicationId", spark.sparkContext().applicationId());
        health.put("sparkVersion", spark.version());
        health.put("jdbcPort", jdbcPort);
        health.put("jdbcHttpPort", jdbcHttpPort);
        ControlServer control = new ControlServer(new InetSocketAddress(InetAddress.getByName(address), controlPort), token, runner, jdbcQueries, health);
        control.start();

        CountDownLatch stopped = new CountDownLatch(1);
        ThriftHttpTransport http = httpTransport;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            control.close();
            if (http != null) {
                http.close();
            }
            stopped.countDown();
        }, "hearth-sql-engine-stop"));
        System.out.println("Hearth SQL engine ready: application " + spark.sparkContext().applicationId() + ", control port "
                + control.port() + (jdbcPort > 0 ? ", JDBC port " + jdbcPort : "") + (jdbcHttpPort > 0 ? ", JDBC HTTP port " + jdbcHttpPort : ""));
        stopped.await();
    }

    private static Map<String, String> options(List<String> args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.size(); i += 2) {
            options.put(args.get(i), args.get(i + 1));
        }
        for (String required : List.of("--address", "--control-port", "--jdbc-port", "--token-file")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("Missing " + required + "; usage: SqlEngineMain --address A --control-port P"
                        + " --jdbc-port J [--jdbc-http-port H] --token-file F");
            }
        }
        return options;
    }
}
