package io.hearth.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.config.CatalogConfig;
import io.hearth.server.testing.EmrRequests;
import io.hearth.server.testing.TestingHearth;
import io.hearth.server.testing.TestingSparkRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.GlueException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A bounded fuzz of Hearth's one port: thousands of requests generated from the EMR, Glue and S3
 * service models (malformed JSON and XML, wrong types, numbers beyond any range, huge and odd
 * unicode strings, odd keys, ranges and headers, paths that try to leave their place), sent to
 * the real server. None may be answered with a 5xx (S3's NotImplemented, 501, for an S3 feature
 * Hearth does not have, excepted) and none may create a file outside the data directories. The
 * seed is fixed and the counts bounded; a failure lists the requests that failed, ready to replay.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestFuzzedRequests {
    private static final long SEED = 20261202L;
    private static final int EMR_REQUESTS_PER_SUPPORTED_OPERATION = 40;
    private static final int GLUE_REQUESTS_PER_SUPPORTED_OPERATION = 30;
    private static final int REQUESTS_PER_OTHER_OPERATION = 2;
    private static final int S3_REQUESTS_PER_OPERATION = 12;
    private static final String AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKIDFUZZ/20261202/us-east-1/%s/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static Path scratch;
    private static Path outside;
    private static Set<String> workingDirectoryBefore;
    private static TestingHearth emrAndS3;
    private static TestingHearth glue;
    private static final List<String> clusterIds = new ArrayList<>();
    private static final List<String> stepIds = new ArrayList<>();
    private static String uploadId;

    /** A request the fuzzer made, as it can be replayed (curl-like). */
    private record Fuzzed(String operation, String method, URI uri, Map<String, String> headers, byte[] body) {
        String describe() {
            StringBuilder text = new StringBuilder(operation).append(": ").append(method).append(' ').append(abbreviate(uri.toString(), 400));
            headers.forEach((name, value) -> text.append("\n    ").append(name).append(": ").append(abbreviate(value, 200)));
            if (body.length > 0) {
                text.append("\n    body (").append(body.length).append(" bytes): ").append(abbreviate(new String(body, StandardCharsets.UTF_8), 600));
            }
            return text.toString();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        scratch = Files.createTempDirectory("hearth-fuzz-");
        outside = Files.createDirectories(scratch.resolve("outside"));
        workingDirectoryBefore = listing(Path.of("").toAbsolutePath());
        emrAndS3 = TestingHearth.builder().dataDirectory(scratch.resolve("emr-and-s3")).start();
        glue = TestingHearth.builder().dataDirectory(scratch.resolve("glue")).sparkHome(TestingSparkRuntime.assembled())
                .setting(CatalogConfig.ENABLED.key(), "true").start();
        // The metastore starts while EMR and S3 are fuzzed; the Glue test, the last, waits for it.
        seedEmr();
        seedS3();
    }

    @AfterAll
    static void stop() {
        if (emrAndS3 != null) {
            emrAndS3.close();
        }
        if (glue != null) {
            glue.close();
        }
        if (scratch != null) {
            TestingHearth.deleteRecursively(scratch);
        }
    }

    private static void seedEmr() {
        for (String name : List.of("fuzz-one", "fuzz-two")) {
            String clusterId = EmrRequests.createCluster(emrAndS3.emr(), EmrRequests.singleInstanceCluster(name));
            clusterIds.add(clusterId);
            stepIds.addAll(emrAndS3.emr().addJobFlowSteps(r -> r.jobFlowId(clusterId)
                    .steps(EmrRequests.fakeStep("seed", ActionOnFailure.CONTINUE, "Succeed"))).stepIds());
        }
    }

    private static void seedS3() {
        var s3 = emrAndS3.s3();
        for (String bucket : List.of("fuzz-a", "fuzz-b")) {
            try {
                s3.createBucket(r -> r.bucket(bucket));
            } catch (S3Exception e) {
                // Exists already.
            }
        }
        for (String key : List.of("data/file.csv", "data/", "long/" + "l".repeat(300), "unicode/\u00e9t\u00e9-\uD83D\uDE80")) {
            s3.putObject(r -> r.bucket("fuzz-a").key(key), RequestBody.fromString(key.endsWith("/") ? "" : "0123456789"));
        }
        if (uploadId == null) {
            uploadId = s3.createMultipartUpload(r -> r.bucket("fuzz-a").key("multi.bin")).uploadId();
        }
    }

    private static void seedGlue() {
        var client = glue.glue();
        try {
            client.createDatabase(r -> r.databaseInput(d -> d.name("fuzz_db")));
        } catch (GlueException e) {
            // Exists already.
        }
        try {
            client.createTable(r -> r.databaseName("fuzz_db").tableInput(t -> t.name("fuzz_table").tableType("EXTERNAL_TABLE")
                    .partitionKeys(Column.builder().name("year").type("string").build())
                    .storageDescriptor(s -> s.location("s3://fuzz-a/tables/fuzz_table/")
                            .columns(Column.builder().name("id").type("int").build()))));
            client.createPartition(r -> r.databaseName("fuzz_db").tableName("fuzz_table")
                    .partitionInput(p -> p.values("2024").storageDescriptor(s -> s.location("s3://fuzz-a/tables/fuzz_table/year=2024/"))));
        } catch (GlueException e) {
            // Exists already.
        }
    }

    // --- EMR and Glue: AWS JSON 1.1 ---

    /** Locations that try to leave the object store; every s3:// form must stay inside it. */
    private static List<String> escapingLocations() {
        return List.of("s3://fuzz-a/../../../outside/dots", "s3://../outside/bucket-dots", "s3://fuzz-a/%2e%2e/%2e%2e/%2e%2e/outside/encoded",
                "s3a://fuzz-a/a/../../../../outside/s3a", "s3n://fuzz-a/../../outside/s3n", "s3://fuzz-a/logs/", "s3://fuzz-a/data/file.csv",
                "s3://no-such-bucket/x", "hdfs://namenode/x", "", " ");
    }

    @Test
    @Order(1)
    void emrAnswersEveryFuzzedRequestWithoutAServerError() throws Exception {
        Map<String, List<String>> pools = new LinkedHashMap<>();
        List<String> clusters = new ArrayList<>(clusterIds);
        clusters.addAll(List.of("j-NOPE", "j-", "J-" + "X".repeat(300)));
        for (String member : List.of("ClusterId", "JobFlowId", "JobFlowIds", "ClusterIds", "ResourceId")) {
            pools.put(member, clusters);
        }
        List<String> steps = new ArrayList<>(stepIds);
        steps.add("s-NOPE");
        pools.put("StepId", steps);
        pools.put("StepIds", steps);
        pools.put("ReleaseLabel", List.of("emr-7.1.0", "emr-6.15.0", "emr-5.36.0", "emr-99.0.0", "emr-"));
        for (String member : List.of("InstanceType", "MasterInstanceType", "SlaveInstanceType")) {
            pools.put(member, List.of("m5.xlarge", "m5.2xlarge", "c5.xlarge", "z9.mega"));
        }
        for (String member : List.of("LogUri", "Jar", "Path", "LogEncryptionKmsKeyId", "Location")) {
            pools.put(member, escapingLocations());
        }
        pools.put("Args", List.of("spark-submit", "--class", "io.hearth.Missing", "s3://fuzz-a/../../../outside/app.jar", "--conf", "x=y"));
        pools.put("Classification", List.of("spark-defaults", "spark-env", "spark-defualts", "hive-site"));
        pools.put("Name", List.of("Spark", "Hadoop", "fuzz", ""));
        List<String> failures = fuzzAwsJson(emrAndS3, "/io/hearth/server/aws/models/emr-2009-03-31.json.gz", "elasticmapreduce", pools, new Random(SEED));
        assertThat(failures).as("requests answered with a 5xx or not at all:\n" + String.join("\n\n", failures)).isEmpty();
        assertNothingWrittenOutside();
    }

    @Test
    @Order(3)
    void glueAnswersEveryFuzzedRequestWithoutAServerError() throws Exception {
        glue.server().catalog().awaitReady(Duration.ofMinutes(3));
        seedGlue();
        Map<String, List<String>> pools = new LinkedHashMap<>();
        for (String member : List.of("DatabaseName", "Name")) {
            pools.put(member, List.of("fuzz_db", "default", "fuzz_table", "nosuch", "Fuzz_DB", "fuzz-db"));
        }
        pools.put("TableName", List.of("fuzz_table", "nosuch", "FUZZ_TABLE"));
        pools.put("TablesToDelete", List.of("fuzz_table", "nosuch"));
        pools.put("CatalogId", List.of("000000000000", "123456789012"));
        // Escaping catalog locations are checked by the catalog's own tests (they must stay under the data
        // directory); here locations name the object store only, so that a request reaches the metastore.
        for (String member : List.of("LocationUri", "Location")) {
            pools.put(member, List.of("s3://fuzz-a/tables/fuzzed/", "s3://fuzz-a/", "s3://no-such-bucket/x/", "hdfs://namenode/x", ""));
        }
        pools.put("Expression", List.of("year = '2024'", "year >", "'", "year in ('2024', '2025')", "1 = 1 OR", "year between 1 and", "x".repeat(3000)));
        pools.put("Values", List.of("2024", "2025", "", "a/b", "..", "\u00e9"));
        pools.put("PartitionValues", List.of("2024", "2025", "", "../x"));
        pools.put("Type", List.of("string", "int", "array<string>", "bogus<", "decimal(38,10)", "struct<a:int,b:map<string,int>>", "decimal(99,99)"));
        pools.put("TableType", List.of("EXTERNAL_TABLE", "MANAGED_TABLE", "VIRTUAL_VIEW", "GOVERNED"));
        pools.put("NextToken", List.of("garbage", "", "eyJvZmZzZXQiOjF9", "0"));
        pools.put("VersionId", List.of("1", "0", "-1", "abc", "99999999999999999999"));
        List<String> failures = fuzzAwsJson(glue, "/io/hearth/server/aws/models/glue-2017-03-31.json.gz", "glue", pools, new Random(SEED + 1));
        assertThat(failures).as("requests answered with a 5xx or not at all:\n" + String.join("\n\n", failures)).isEmpty();
        assertNothingWrittenOutside();
    }

    private static List<String> fuzzAwsJson(TestingHearth target, String modelResource, String signingName, Map<String, List<String>> pools,
            Random random) throws Exception {
        JsonNode model = readModel(modelResource);
        RequestFuzzer fuzzer = new RequestFuzzer(model, random, pools);
        String prefix = model.path("metadata").path("targetPrefix").asText();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        long started = System.nanoTime();
        for (Iterator<Map.Entry<String, JsonNode>> operations = model.get("operations").fields(); operations.hasNext(); ) {
            Map.Entry<String, JsonNode> operation = operations.next();
            String name = operation.getKey();
            String inputShape = operation.getValue().path("input").path("shape").asText(null);
            Fuzzed probe = awsJsonRequest(target, prefix + "." + name, "{}", signingName);
            Answer answer = send(probe);
            boolean supported = !(answer.status() == 400 && answer.body().contains("does not support"));
            int count = !supported ? REQUESTS_PER_OTHER_OPERATION
                    : target == glue ? GLUE_REQUESTS_PER_SUPPORTED_OPERATION : EMR_REQUESTS_PER_SUPPORTED_OPERATION;
            for (int i = 0; i < count; i++) {
                String body = fuzzer.chance(0.08) ? fuzzer.pick(RequestFuzzer.MALFORMED_JSON) : fuzzer.jsonBody(inputShape);
                String operationTarget = fuzzer.chance(0.03) ? fuzzer.pick(List.of(prefix + "." + name + "x", prefix, "", name)) : prefix + "." + name;
                Fuzzed request = awsJsonRequest(target, operationTarget, body, signingName);
                if (fuzzer.chance(0.03)) {
                    request.headers().remove("Authorization");
                }
                if (fuzzer.chance(0.02)) {
                    request.headers().put("Origin", "http://evil.example");
                }
                check(request, send(request), false, failures);
                sent++;
            }
            if (target == glue && name.contains("Delete")) {
                seedGlue();
            }
        }
        System.out.printf("Fuzzed %s with %d requests in %.1f s%n", prefix, sent, (System.nanoTime() - started) / 1e9);
        assertThat(sent).isGreaterThan(500);
        return failures;
    }

    private static Fuzzed awsJsonRequest(TestingHearth target, String operationTarget, String body, String signingName) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-amz-json-1.1");
        headers.put("X-Amz-Target", operationTarget);
        headers.put("X-Amz-Date", "20261202T000000Z");
        headers.put("Authorization", String.format(AUTHORIZATION, signingName));
        return new Fuzzed(operationTarget, "POST", target.endpoint(), headers, body.getBytes(StandardCharsets.UTF_8));
    }

    // --- S3: REST-XML ---

    @Test
    @Order(2)
    void s3AnswersEveryFuzzedRequestWithoutAServerError() throws Exception {
        JsonNode model = readModel("/io/hearth/server/http/models/s3-2006-03-01.json.gz");
        Map<String, List<String>> pools = new LinkedHashMap<>();
        pools.put("Bucket", List.of("fuzz-a", "fuzz-a", "fuzz-b", "no-such-bucket", "Bad_Name", "api", "..", ".", "ab", "x".repeat(64),
                "fuzz-a.", "192.168.1.1"));
        List<String> keys = List.of("data/file.csv", "data/", "data", "long/" + "l".repeat(300), "multi.bin", "unicode/\u00e9t\u00e9-\uD83D\uDE80",
                ".", "..", "../../../outside/key-dots", "a/../../../../outside/deep", "a//b", "/lead", "k".repeat(1025), "x".repeat(1000),
                "%", " space ", "+plus+", "dir/sub/", "~h" + "0".repeat(64), "tab\tkey", "emoji-\uD83D\uDE80/");
        pools.put("Key", keys);
        for (String member : List.of("prefix", "marker", "start-after", "continuation-token", "key-marker")) {
            pools.put(member, keys);
        }
        pools.put("uploadId", List.of(uploadId, "bogus", "0123456789abcdef0123456789abcdef", "../../outside", ""));
        pools.put("partNumber", List.of("1", "2", "0", "10001", "-1", "abc", "99999999999"));
        pools.put("max-keys", List.of("0", "1", "-1", "abc", "1001", "99999999999"));
        pools.put("max-uploads", List.of("0", "1", "-1", "abc"));
        pools.put("delimiter", List.of("/", "", "x", "//"));
        pools.put("encoding-type", List.of("url", "bogus"));
        pools.put("Range", List.of("bytes=0-1", "bytes=abc", "bytes=5-2", "bytes=-0", "bytes=-3", "bytes=99999999999999999999-", "bytes=0-1,3-4",
                "items=0-1", "bytes=", "bytes=10-"));
        List<String> eTags = List.of("\"d41d8cd98f00b204e9800998ecf8427e\"", "*", "\"nope\"", "garbage", "\"781e5e245d69b566979b86e28d23f2c7\"", "W/\"x\"");
        List<String> dates = List.of("Wed, 21 Oct 2015 07:28:00 GMT", "garbage", "0", "Mon, 01 Jan 3000 00:00:00 GMT", "2026-12-02T00:00:00Z");
        for (String header : List.of("If-Match", "If-None-Match", "x-amz-copy-source-if-match", "x-amz-copy-source-if-none-match")) {
            pools.put(header, eTags);
        }
        for (String header : List.of("If-Modified-Since", "If-Unmodified-Since", "x-amz-copy-source-if-modified-since",
                "x-amz-copy-source-if-unmodified-since", "Expires")) {
            pools.put(header, dates);
        }
        pools.put("Content-MD5", List.of("1B2M2Y8AsgTpgAmY7PhCfg==", "garbage", "AAAA", ""));
        pools.put("x-amz-copy-source", List.of("fuzz-a/data/file.csv", "/fuzz-a/data/file.csv", "/../outside/x", "fuzz-a/../../../outside/x",
                "no-such-bucket/x", "fuzz-a", "", "%2E%2E/x", "fuzz-a/long/" + "l".repeat(300)));
        pools.put("x-amz-copy-source-range", List.of("bytes=0-1", "bytes=abc", "bytes=5-2", "garbage"));
        pools.put("x-amz-content-sha256", List.of("UNSIGNED-PAYLOAD", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "abc"));
        pools.put("x-amz-storage-class", List.of("STANDARD", "GLACIER", "BOGUS"));
        pools.put("x-amz-acl", List.of("private", "public-read", "bogus", "authenticated-read"));
        pools.put("Content-Type", List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"));
        pools.put("x-amz-metadata-directive", List.of("COPY", "REPLACE", "X"));
        pools.put("x-amz-decoded-content-length", List.of("0", "5", "-1", "abc"));
        pools.put("x-amz-trailer", List.of("x-amz-checksum-crc32", "x-amz-checksum-bogus"));
        RequestFuzzer fuzzer = new RequestFuzzer(model, new Random(SEED + 2), pools);

        List<String> failures = new ArrayList<>();
        int sent = 0;
        long started = System.nanoTime();
        for (Iterator<Map.Entry<String, JsonNode>> operations = model.get("operations").fields(); operations.hasNext(); ) {
            Map.Entry<String, JsonNode> operation = operations.next();
            for (int i = 0; i < S3_REQUESTS_PER_OPERATION; i++) {
                Fuzzed request = S3Requests.generate(fuzzer, emrAndS3.endpoint(), operation.getKey(), operation.getValue());
                check(request, send(request), true, failures);
                sent++;
            }
            seedS3();
        }
        System.out.printf("Fuzzed S3 with %d requests in %.1f s%n", sent, (System.nanoTime() - started) / 1e9);
        assertThat(sent).isGreaterThan(1000);
        assertThat(failures).as("requests answered with a 5xx or not at all:\n" + String.join("\n\n", failures)).isEmpty();
        assertNothingWrittenOutside();
    }

    // --- Checks ---

    private record Answer(int status, String body, Exception failure) {}

    private static Answer send(Fuzzed request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(Duration.ofSeconds(60))
                .method(request.method(), request.body().length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(builder::header);
        try {
            try {
                HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                return new Answer(response.statusCode(), response.body(), null);
            } catch (IOException e) {
                // Jetty closes the connection after refusing a URI it cannot parse (/..); the client may have sent
                // the next request on it already. Like the AWS SDKs, try once more on a fresh connection.
                HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                return new Answer(response.statusCode(), response.body(), null);
            }
        } catch (IOException e) {
            return new Answer(-1, "", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The request sent before, which a connection closed without an answer may be due to. */
    private static Fuzzed previous;

    private static void check(Fuzzed request, Answer answer, boolean s3, List<String> failures) {
        boolean notImplemented = s3 && answer.status() == 501 && answer.body().contains("<Code>NotImplemented</Code>");
        if (answer.failure() != null || answer.status() >= 500 && !notImplemented) {
            String outcome = answer.failure() != null ? "no answer: " + answer.failure() : answer.status() + " " + abbreviate(answer.body(), 600);
            String before = answer.failure() != null && previous != null ? "\n  (sent after " + previous.describe() + ")" : "";
            failures.add(request.describe() + "\n  -> " + outcome + before);
        }
        previous = request;
    }

    private static void assertNothingWrittenOutside() throws IOException {
        try (Stream<Path> escaped = Files.walk(outside)) {
            assertThat(escaped.filter(path -> !path.equals(outside)).map(Path::toString)).as("files written outside the data directories").isEmpty();
        }
        assertThat(listing(scratch)).as("entries beside the data directories").containsExactlyInAnyOrder("emr-and-s3", "glue", "outside");
        assertThat(listing(Path.of("").toAbsolutePath())).as("entries in the working directory").isEqualTo(workingDirectoryBefore);
    }

    private static Set<String> listing(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return new TreeSet<>(entries.map(path -> path.getFileName().toString()).toList());
        }
    }

    private static JsonNode readModel(String resource) {
        try (InputStream raw = TestFuzzedRequests.class.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return JSON.readTree(new GZIPInputStream(raw));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String abbreviate(String text, int length) {
        String flat = text.replace("\r", "\\r").replace("\n", "\\n");
        return flat.length() <= length ? flat : flat.substring(0, length) + "... (" + flat.length() + " chars)";
    }

    /** S3 requests from the REST-XML model: the operation's method and URI, its query, headers and body members. */
    private static final class S3Requests {
        private static final Set<String> RESTRICTED_HEADERS = Set.of("content-length", "host", "expect", "connection", "upgrade");
        private static final List<String> MALFORMED_XML = List.of("", "<", "garbage", "<Delete><Object>", "<Delete><Object><Key>x</Key></Object>",
                "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><Delete><Object><Key>&e;</Key></Object></Delete>",
                "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                        + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><Delete><Object><Key>&c;</Key></Object></Delete>",
                "<a>".repeat(5000), "<CompleteMultipartUpload><Part><PartNumber>abc</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>",
                "<CORSConfiguration><CORSRule><AllowedMethod>TRACE</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>");

        static Fuzzed generate(RequestFuzzer fuzzer, URI endpoint, String operation, JsonNode spec) {
            String method = spec.path("http").path("method").asText();
            String requestUri = spec.path("http").path("requestUri").asText();
            int question = requestUri.indexOf('?');
            String path = question < 0 ? requestUri : requestUri.substring(0, question);
            StringBuilder query = new StringBuilder(question < 0 ? "" : requestUri.substring(question + 1));
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Authorization", String.format(AUTHORIZATION, "s3"));
            headers.put("x-amz-date", "20261202T000000Z");
            byte[] body = new byte[0];
            String inputShape = spec.path("input").path("shape").asText(null);
            JsonNode input = inputShape == null ? null : fuzzer.shape(inputShape);
            if (input != null) {
                List<String> required = new ArrayList<>();
                input.path("required").forEach(name -> required.add(name.asText()));
                for (Iterator<Map.Entry<String, JsonNode>> members = input.path("members").fields(); members.hasNext(); ) {
                    Map.Entry<String, JsonNode> member = members.next();
                    JsonNode memberSpec = member.getValue();
                    String location = memberSpec.path("location").asText("");
                    String locationName = memberSpec.path("locationName").asText(member.getKey());
                    JsonNode shape = fuzzer.shape(memberSpec.path("shape").asText());
                    boolean include = required.contains(member.getKey()) ? fuzzer.chance(0.97) : fuzzer.chance(0.3);
                    switch (location) {
                        case "uri" -> {
                            String value = fuzzer.string(shape, locationName);
                            boolean greedy = path.contains("{" + locationName + "+}");
                            path = path.replace("{" + locationName + (greedy ? "+}" : "}"), encodePath(value, greedy && !fuzzer.chance(0.1)));
                        }
                        case "querystring" -> {
                            if (include) {
                                query.append(query.isEmpty() ? "" : "&").append(encodeQuery(locationName)).append('=')
                                        .append(encodeQuery(fuzzer.string(shape, locationName)));
                            }
                        }
                        case "header" -> {
                            if (include && !RESTRICTED_HEADERS.contains(locationName.toLowerCase(java.util.Locale.ROOT))) {
                                headers.put(locationName, headerValue(fuzzer.string(shape, locationName)));
                            }
                        }
                        case "headers" -> {
                            if (include) {
                                headers.put(locationName + fuzzer.word(), headerValue(fuzzer.word()));
                            }
                        }
                        default -> {
                            if (member.getKey().equals(input.path("payload").asText())) {
                                body = payload(fuzzer, member.getKey(), memberSpec, shape);
                            }
                        }
                    }
                }
            }
            if (fuzzer.chance(0.02)) {
                headers.put("Origin", "http://evil.example");
            }
            path = path.replaceAll("\\{[^}]*}", "x");
            URI uri = URI.create(endpoint + path + (query.isEmpty() ? "" : "?" + query));
            return new Fuzzed("S3." + operation, method, uri, headers, body);
        }

        private static byte[] payload(RequestFuzzer fuzzer, String name, JsonNode memberSpec, JsonNode shape) {
            String type = shape.path("type").asText();
            if (type.equals("blob") || type.equals("string")) {
                if (fuzzer.chance(0.15)) {
                    return "5;chunk-signature=00\r\nhello\r\n0;chunk-signature=00\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                }
                byte[] bytes = new byte[fuzzer.random().nextInt(3000)];
                fuzzer.random().nextBytes(bytes);
                return bytes;
            }
            if (fuzzer.chance(0.25)) {
                return fuzzer.pick(MALFORMED_XML).getBytes(StandardCharsets.UTF_8);
            }
            StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
            String element = memberSpec.path("locationName").asText(name);
            appendXml(fuzzer, xml, element, memberSpec.path("shape").asText(), 0);
            return xml.toString().getBytes(StandardCharsets.UTF_8);
        }

        private static void appendXml(RequestFuzzer fuzzer, StringBuilder xml, String element, String shapeName, int depth) {
            JsonNode shape = fuzzer.shape(shapeName);
            String type = shape.path("type").asText();
            if (type.equals("list")) {
                JsonNode member = shape.path("member");
                String memberName = member.path("locationName").asText("member");
                int count = depth > 4 ? 0 : fuzzer.random().nextInt(4);
                boolean flattened = shape.path("flattened").asBoolean(false);
                if (!flattened) {
                    xml.append('<').append(element).append('>');
                }
                for (int i = 0; i < count; i++) {
                    appendXml(fuzzer, xml, flattened ? element : memberName, member.path("shape").asText(), depth + 1);
                }
                if (!flattened) {
                    xml.append("</").append(element).append('>');
                }
                return;
            }
            xml.append('<').append(element).append('>');
            if (type.equals("structure")) {
                for (Iterator<Map.Entry<String, JsonNode>> members = shape.path("members").fields(); members.hasNext(); ) {
                    Map.Entry<String, JsonNode> member = members.next();
                    if (member.getValue().has("location") || depth > 4 || !fuzzer.chance(0.6)) {
                        continue;
                    }
                    appendXml(fuzzer, xml, member.getValue().path("locationName").asText(member.getKey()),
                            member.getValue().path("shape").asText(), depth + 1);
                }
            } else {
                xml.append(xmlText(fuzzer.instance(shapeName, element, depth).asText()));
            }
            xml.append("</").append(element).append('>');
        }

        private static String xmlText(String text) {
            StringBuilder clean = new StringBuilder();
            text.codePoints().filter(c -> c == 0x9 || c == 0xA || c == 0xD || c >= 0x20 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD || c >= 0x10000)
                    .forEach(clean::appendCodePoint);
            return clean.toString().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }

        /** Percent-encodes a path value, keeping "/" in a greedy key unless asked to encode it too. */
        private static String encodePath(String value, boolean keepSlashes) {
            StringBuilder encoded = new StringBuilder();
            for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xFF);
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
                        || keepSlashes && c == '/') {
                    encoded.append(c);
                } else {
                    encoded.append('%').append(String.format("%02X", b & 0xFF));
                }
            }
            return encoded.toString();
        }

        private static String encodeQuery(String value) {
            return encodePath(value, false);
        }

        /** Header values are printable ASCII: the HTTP client refuses anything else. */
        private static String headerValue(String value) {
            StringBuilder clean = new StringBuilder();
            value.chars().filter(c -> c >= 0x20 && c < 0x7F).limit(8000).forEach(c -> clean.append((char) c));
            return clean.toString().trim();
        }
    }
}
