package io.hearth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's own logic (requests, answers, errors, waiting) against a scripted HTTP server; hearth-tests runs it against Hearth. */
class TestHearthClient {
    private HttpServer server;
    private final List<String> requests = new ArrayList<>();
    private final AtomicInteger polls = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body);
            String path = exchange.getRequestURI().getPath();
            int status = 200;
            String answer;
            if (path.equals("/api/v1/sweeps/sw-1")) {
                String state = polls.incrementAndGet() < 3 ? "RUNNING" : "COMPLETED";
                answer = "{\"sweepId\": \"sw-1\", \"state\": \"" + state + "\", \"taskCounts\": {\"SUCCEEDED\": " + polls.get() + ", \"total\": 3},"
                        + " \"tasks\": [{\"taskId\": \"t-001\", \"state\": \"SUCCEEDED\", \"metrics\": {\"test\": {\"auc_roc\": 0.98}}, \"extra\": 1}]}";
            } else if (path.equals("/api/v1/sweeps")) {
                status = 201;
                answer = "{\"sweepId\": \"sw-2\", \"state\": \"RUNNING\", \"taskCounts\": {\"PENDING\": 2, \"total\": 2}}";
            } else {
                status = 404;
                answer = "{\"error\": {\"type\": \"NotFound\", \"message\": \"Sweep sw-9 does not exist\"}}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HearthClient client() {
        return HearthClient.connect(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
    }

    @Test
    void submitsJobsAsASweepOfVariants() {
        SweepStatus sweep = client().submitJobs("j-1", Specs.parse("{\"name\": \"bc\", \"model\": {\"type\": \"gbt\"}}"),
                List.of(Specs.parse("{\"model\": {\"params\": {\"maxDepth\": 2}}}"), Specs.parse("{\"model\": {\"params\": {\"maxDepth\": 4}}}")), 2);

        assertThat(sweep.sweepId()).isEqualTo("sw-2");
        assertThat(sweep.progress()).isEqualTo("sw-2 RUNNING 0/2 succeeded, 0 failed, 0 running, 2 pending");
        assertThat(requests).singleElement().asString()
                .startsWith("POST /api/v1/sweeps {\"clusterId\":\"j-1\",\"spec\":{\"name\":\"bc\",\"maxParallel\":2,\"isolation\":\"process\"")
                .contains("\"variants\":[{\"model\":{\"params\":{\"maxDepth\":2}}},{\"model\":{\"params\":{\"maxDepth\":4}}}]");
    }

    @Test
    void waitsForTheEndAndReportsEachChange() {
        List<String> seen = new ArrayList<>();
        SweepStatus ended = client().awaitSweep("sw-1", Duration.ofMinutes(1), status -> seen.add(status.progress()));

        assertThat(ended.state()).isEqualTo("COMPLETED");
        assertThat(ended.tasks().get(0).testMetric("auc_roc")).isEqualTo(0.98);
        assertThat(seen).containsExactly("sw-1 RUNNING 1/3 succeeded, 0 failed, 0 running, 0 pending",
                "sw-1 RUNNING 2/3 succeeded, 0 failed, 0 running, 0 pending", "sw-1 COMPLETED 3/3 succeeded, 0 failed, 0 running, 0 pending");
    }

    @Test
    void errorsCarryHearthsTypeAndMessage() {
        assertThatThrownBy(() -> client().sweep("sw-9")).isInstanceOfSatisfying(HearthClientException.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.type()).isEqualTo("NotFound");
            assertThat(e.getMessage()).isEqualTo("Sweep sw-9 does not exist");
        });
        server.stop(0);
        assertThatThrownBy(() -> client().sweep("sw-1")).isInstanceOf(HearthClientException.class).hasMessageContaining("No Hearth answers at");
    }

    @Test
    void readsYamlAndJsonSpecs(@TempDir Path directory) throws IOException {
        Path yaml = Files.writeString(directory.resolve("sweep.yaml"), "name: grid\nbase:\n  label: {column: y}\ngrid:\n  - model: gbt\n    params: {maxDepth: [2, 4]}\n");
        assertThat(Specs.read(yaml).toString()).isEqualTo("{\"name\":\"grid\",\"base\":{\"label\":{\"column\":\"y\"}},\"grid\":[{\"model\":\"gbt\",\"params\":{\"maxDepth\":[2,4]}}]}");
        Path list = Files.writeString(directory.resolve("bad.json"), "[1, 2]");
        assertThatThrownBy(() -> Specs.read(list)).hasMessageContaining("must be an object");
        assertThatThrownBy(() -> Specs.read(directory.resolve("missing.json"))).hasMessageStartingWith("No spec file at");
    }
}
