package io.hearth.server.catalog.metastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.config.CatalogConfig;
import io.hearth.server.config.HearthConfig;
import io.hearth.server.process.ProcessLauncher;
import io.hearth.server.process.Supervisor;
import io.hearth.server.testing.ListeningSockets;
import io.hearth.server.testing.TestingHearth;
import io.hearth.server.testing.TestingSparkRuntime;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.hadoop.hive.metastore.api.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Hive Metastore from the Spark runtime, as Hearth starts, adopts and restarts it. */
class TestMetastoreServer {
    private static final Duration START = Duration.ofMinutes(3);

    @Test
    void hearthStartsTheMetastoreAndKeepsItsPortAndDataAcrossRestarts() throws Exception {
        try (TestingHearth hearth = TestingHearth.builder().sparkHome(TestingSparkRuntime.assembled())
                .setting(CatalogConfig.ENABLED.key(), "true").start()) {
            hearth.server().catalog().awaitReady(START);
            URI uri = hearth.server().catalog().metastoreUri().orElseThrow();
            assertThat(uri.toString()).startsWith("thrift://127.0.0.1:");
            try (MetastoreClient client = new MetastoreClient("127.0.0.1", uri.getPort(), 60_000)) {
                assertThat(databases(client)).containsExactly("default");
                Database database = new Database("sales", "kept across restarts",
                        hearth.dataDirectory().resolve("warehouse/sales.db").toUri().toString(), Map.of());
                client.call(metastore -> {
                    metastore.create_database(database);
                    return null;
                });
            }
            assertThat(Files.readString(hearth.dataDirectory().resolve("logs/catalog/metastore.log")))
                    .contains("Starting hive metastore on 127.0.0.1 port " + uri.getPort());

            hearth.restart();
            hearth.server().catalog().awaitReady(START);
            assertThat(hearth.server().catalog().metastoreUri()).contains(uri);
            try (MetastoreClient client = new MetastoreClient("127.0.0.1", uri.getPort(), 60_000)) {
                assertThat(databases(client)).containsExactlyInAnyOrder("default", "sales");
                assertThat(client.call(metastore -> metastore.get_database("sales")).getDescription()).isEqualTo("kept across restarts");
            }
        }
    }

    @Test
    void theMetastoreListensOnHearthsAddressOnly() throws Exception {
        try (TestingHearth hearth = TestingHearth.builder().sparkHome(TestingSparkRuntime.assembled())
                .setting(CatalogConfig.ENABLED.key(), "true").start()) {
            hearth.server().catalog().awaitReady(START);
            int port = hearth.server().catalog().metastoreUri().orElseThrow().getPort();
            List<ListeningSockets.Socket> sockets = ListeningSockets.heldBy(ProcessHandle.of(metastorePid(hearth.dataDirectory())).orElseThrow());

            assertThat(sockets).extracting(ListeningSockets.Socket::port).contains(port);
            assertThat(sockets).allSatisfy(socket -> assertThat(socket.address().getHostAddress()).as(socket.toString()).isEqualTo("127.0.0.1"));
        }
    }

    @Test
    void aMetastoreLeftRunningByACrashedHearthIsAdopted(@TempDir Path data) throws Exception {
        HearthConfig config = HearthConfig.defaults().with(Map.of(HearthConfig.DATA_DIRECTORY.key(), data.toString(),
                HearthConfig.SPARK_HOME.key(), TestingSparkRuntime.assembled().toString()));
        ProcessLauncher launcher = ProcessLauncher.install(data.resolve("run"));
        ExecutorService executor = Executors.newCachedThreadPool();
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        Supervisor supervisor = new Supervisor(launcher, executor, timers, Clock.systemUTC());
        MetastoreServer first = MetastoreServer.start(config, supervisor);
        MetastoreServer second = null;
        try {
            first.awaitReady(START);
            long firstPid = metastorePid(data);
            // A crashed Hearth never calls close(): the next one finds the process and keeps it.
            second = MetastoreServer.start(config, supervisor);
            second.awaitReady(Duration.ofSeconds(30));
            assertThat(metastorePid(data)).isEqualTo(firstPid);
            assertThat(second.metastoreUri()).isEqualTo(first.metastoreUri());
            assertThat(databases(second.client())).contains("default");
        } finally {
            if (second != null) {
                second.close();
            }
            first.close();
            executor.shutdownNow();
            timers.shutdownNow();
        }
    }

    @Test
    void aMetastoreThatDiesIsRestarted() throws Exception {
        try (TestingHearth hearth = TestingHearth.builder().sparkHome(TestingSparkRuntime.assembled())
                .setting(CatalogConfig.ENABLED.key(), "true").start()) {
            hearth.server().catalog().awaitReady(START);
            long pid = metastorePid(hearth.dataDirectory());
            ProcessHandle.of(pid).orElseThrow().descendants().forEach(ProcessHandle::destroyForcibly);
            await("a new metastore process").atMost(START).pollInterval(Duration.ofMillis(100))
                    .until(() -> metastorePid(hearth.dataDirectory()), restarted -> restarted != pid);
            hearth.server().catalog().awaitReady(START);
            URI uri = hearth.server().catalog().metastoreUri().orElseThrow();
            try (MetastoreClient client = new MetastoreClient("127.0.0.1", uri.getPort(), 60_000)) {
                assertThat(databases(client)).contains("default");
            }
        }
    }

    private static List<String> databases(MetastoreClient client) throws Exception {
        return client.call(metastore -> metastore.get_all_databases());
    }

    private static long metastorePid(Path data) throws Exception {
        JsonNode record = new ObjectMapper().readTree(Files.readString(data.resolve("catalog/metastore-process.json")));
        assertThat(record.path("pid").isIntegralNumber()).as("the process record %s has a pid", record).isTrue();
        return record.path("pid").asLong();
    }
}
