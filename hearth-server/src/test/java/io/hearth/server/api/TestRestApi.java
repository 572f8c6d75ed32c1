package io.hearth.server.api;

import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.singleInstanceCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.testing.TestingHearth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST API's requests, answers and errors over HTTP, on a Hearth with a stand-in Spark runtime (no task needs to train). */
class TestRestApi {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SPEC = """
            {"base": {"input": {"table": "ml.bc"}, "label": {"column": "target"}, "model": {"type": "logistic_regression"}},
             "grid": [{"model": "gbt", "params": {"maxDepth": [2, 3]}}], "maxParallel": 1}""";
    private static TestingHearth hearth;

    @BeforeAll
    static void start() {
        hearth = TestingHearth.builder().start();
    }

    @AfterAll
    static void stop() {
        hearth.close();
    }

    private record Answer(int status, JsonNode body) {}

    private static Answer call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(hearth.endpoint() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), MAPPER.readTree(response.body()));
    }

    private static void assertError(Answer answer, int status, String type, String message) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
        assertThat(answer.body().path("error").path("type").asText()).isEqualTo(type);
        assertThat(answer.body().path("error").path("message").asText()).startsWith(message);
    }

    @Test
    void mistakesAreClientErrorsNamingTheField() throws Exception {
        assertError(call("GET", "/api/v1/sweeps/sw-NOPE", null), 404, "NotFound", "Sweep sw-NOPE does not exist");
        assertError(call("POST", "/api/v1/sweeps", "{not json"), 400, "InvalidArgument", "The request body is not valid JSON");
        assertError(call("POST", "/api/v1/sweeps", "{\"clusterId\": \"j-1\"}"), 400, "InvalidArgument", "spec: must be an object");
        assertError(call("POST", "/api/v1/sweeps", "{\"clusterId\": 7, \"spec\": {}}"), 400, "InvalidArgument", "clusterId: must be a non-empty text");
        assertError(call("POST", "/api/v1/sweeps", "{\"clusterId\": \"j-1\", \"spec\": {\"base\": {}, \"maxParallel\": 0}}"), 400, "InvalidArgument",
                "maxParallel: must be between 1 and 256, not 0");
        assertError(call("DELETE", "/api/v1/sweeps", null), 405, "MethodNotAllowed", "/api/v1/sweeps takes POST, not DELETE");
        assertError(call("GET", "/api/v1/clusters", null), 404, "NotFound", "No such resource 'clusters'");
        assertError(call("GET", "/api/v1/models/.m%21bang", null), 400, "InvalidArgument", "modelId: '.m!bang' is not a model id");
        assertError(call("GET", "/api/v1/models/m-missing", null), 404, "NotFound", "Model m-missing is not in the registry");
    }

    @Test
    void sweepsAreSubmittedListedAndCancelled() throws Exception {
        assertError(call("POST", "/api/v1/sweeps", "{\"spec\": " + SPEC + "}"), 400, "InvalidArgument", "clusterId: is required when");
        String clusterId = createCluster(hearth.emr(), singleInstanceCluster("rest"));
        assertError(call("POST", "/api/v1/sweeps", "{\"clusterId\": \"j-NOPE\", \"spec\": " + SPEC + "}"), 404, "NotFound", "");

        Answer created = call("POST", "/api/v1/sweeps", "{\"spec\": " + SPEC + "}");
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        String sweepId = created.body().path("sweepId").asText();
        assertThat(created.body().path("clusterId").asText()).isEqualTo(clusterId);
        assertThat(created.body().path("taskCounts").path("total").asInt()).isEqualTo(2);
        assertThat(created.body().path("tasks").get(0).path("description").asText()).isEqualTo("gbt maxDepth=2");

        Answer list = call("GET", "/api/v1/sweeps", null);
        assertThat(list.body().path("sweeps").findValuesAsText("sweepId")).contains(sweepId);
        assertThat(list.body().path("sweeps").get(0).has("tasks")).as("lists leave tasks out").isFalse();

        Answer cancelled = call("POST", "/api/v1/sweeps/" + sweepId + "/cancel", null);
        assertThat(cancelled.status()).as(cancelled.body().toString()).isEqualTo(200);
        assertThat(cancelled.body().path("sweepId").asText()).isEqualTo(sweepId);
        await("sweep " + sweepId + " cancelled").atMost(Duration.ofSeconds(30))
                .until(() -> call("GET", "/api/v1/sweeps/" + sweepId, null).body().path("state").asText(), "CANCELLED"::equals);
        Answer board = call("GET", "/api/v1/sweeps/" + sweepId + "/leaderboard?metric=test.r2", null);
        assertThat(board.body().path("metric").asText()).isEqualTo("test.r2");
        assertThat(board.body().path("entries").size()).isEqualTo(2);
        assertError(call("GET", "/api/v1/sweeps/" + sweepId + "/leaderboard?metric=bogus", null), 400, "InvalidArgument", "metric: unknown metric 'bogus'");
        assertError(call("POST", "/api/v1/sweeps/" + sweepId + "/resume", "{\"spec\": 3}"), 400, "InvalidArgument", "spec: must be an object");
    }

    @Test
    void theRegistryListsModelCards() throws Exception {
        Path model = Files.createDirectories(hearth.dataDirectory().resolve("models").resolve("m-listed"));
        Files.writeString(model.resolve("model-card.json"), """
                {"model_id": "m-listed", "name": "bc", "model_type": "gbt", "task": "binary", "label": "target", "created_at": "2026-11-21T10:00:00Z",
                 "metrics": {"test": {"rows": 100, "auc_roc": 0.98, "confusion_matrix": {}}}}""");
        Files.writeString(model.resolve("registry.json"), "{\"sweep_id\": \"sw-1\", \"best\": true, \"rank\": 1}");
        Files.createDirectories(hearth.dataDirectory().resolve("models").resolve("m-half-written"));

        Answer list = call("GET", "/api/v1/models", null);
        assertThat(list.body().path("models").findValuesAsText("modelId")).containsExactly("m-listed");
        JsonNode summary = list.body().path("models").get(0);
        assertThat(summary.path("testMetrics").toString()).isEqualTo("{\"rows\":100,\"auc_roc\":0.98}");
        assertThat(summary.path("best").asBoolean()).isTrue();
        assertThat(summary.path("sweepId").asText()).isEqualTo("sw-1");
        Answer one = call("GET", "/api/v1/models/m-listed", null);
        assertThat(one.body().path("card").path("model_type").asText()).isEqualTo("gbt");
        assertThat(one.body().path("registry").path("rank").asInt()).isEqualTo(1);
    }
}
