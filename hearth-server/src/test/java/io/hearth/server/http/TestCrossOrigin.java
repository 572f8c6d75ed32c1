package io.hearth.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.server.config.HttpConfig;
import io.hearth.server.testing.TestingHearth;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What a web page in the user's browser can do with Hearth: nothing, unless its origin is listed in
 * http.cors-allowed-origins or, for S3, in the bucket's CORS configuration. Browsers are played by
 * raw HTTP requests carrying the Origin header (and the preflights) they send.
 */
class TestCrossOrigin {
    private static final String AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKID/20261121/us-east-1/elasticmapreduce/aws4_request, "
            + "SignedHeaders=host, Signature=00";
    private static final String RUN_BASH = """
            {"Name": "from a web page", "ReleaseLabel": "emr-7.1.0",
             "Instances": {"InstanceGroups": [{"InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1}],
                           "KeepJobFlowAliveWhenNoSteps": false},
             "Steps": [{"Name": "pwn", "ActionOnFailure": "CONTINUE",
                        "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["bash", "-c", "touch /tmp/hearth-pwned"]}}]}
            """;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static TestingHearth hearth;
    private static TestingHearth trusting;

    @BeforeAll
    static void start() {
        hearth = TestingHearth.builder().start();
        trusting = TestingHearth.builder().setting(HttpConfig.CORS_ALLOWED_ORIGINS.key(), "http://localhost:3000").start();
    }

    @AfterAll
    static void stop() {
        hearth.close();
        trusting.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder preflight(TestingHearth target, String path, String origin, String method, String headers) {
        return HttpRequest.newBuilder(URI.create(target.endpoint() + path))
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", headers)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
    }

    private static HttpRequest.Builder awsJson(TestingHearth target, String operation, String body) {
        return HttpRequest.newBuilder(target.endpoint())
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "ElasticMapReduce." + operation)
                .header("Authorization", AUTHORIZATION)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void byDefaultNoPageGetsPastAPreflight() throws Exception {
        for (String path : new String[] {"/", "/api/v1/sweeps", "/some-bucket/key"}) {
            HttpResponse<String> answer = send(preflight(hearth, path, "http://evil", "POST", "x-amz-target,content-type,authorization"));
            assertThat(answer.statusCode()).as(path).isEqualTo(403);
            assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).as(path).isEmpty();
            assertThat(answer.headers().firstValue("Access-Control-Allow-Headers")).as(path).isEmpty();
        }
    }

    @Test
    void aPageCannotRunAStepEvenWithoutAskingFirst() throws Exception {
        HttpResponse<String> refused = send(awsJson(hearth, "RunJobFlow", RUN_BASH).header("Origin", "http://evil"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("x-amzn-ErrorType")).contains("AccessDeniedException");
        assertThat(refused.body()).contains("http://evil").contains("http.cors-allowed-origins");
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(hearth.emr().listClusters().clusters()).noneMatch(cluster -> cluster.name().equals("from a web page"));

        // A form post or a fetch with mode 'no-cors' is sent without a preflight: text/plain, no custom headers.
        HttpResponse<String> sweep = send(HttpRequest.newBuilder(URI.create(hearth.endpoint() + "/api/v1/sweeps"))
                .header("Origin", "http://evil").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"spec\": {}}")));
        assertThat(sweep.statusCode()).isEqualTo(403);
        assertThat(hearth.server().sweeps().list()).isEmpty();

        hearth.s3().createBucket(r -> r.bucket("precious"));
        hearth.s3().putObject(r -> r.bucket("precious").key("data.csv"), RequestBody.fromString("1,2"));
        HttpResponse<String> delete = send(HttpRequest.newBuilder(URI.create(hearth.endpoint() + "/precious?delete"))
                .header("Origin", "http://evil").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("<Delete><Object><Key>data.csv</Key></Object></Delete>")));
        assertThat(delete.statusCode()).isEqualTo(403);
        assertThat(delete.body()).contains("<Code>AccessDenied</Code>");
        HttpResponse<String> read = send(HttpRequest.newBuilder(URI.create(hearth.endpoint() + "/precious/data.csv")).header("Origin", "http://evil").GET());
        assertThat(read.statusCode()).isEqualTo(403);
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(hearth.s3().getObjectAsBytes(r -> r.bucket("precious").key("data.csv")).asUtf8String()).isEqualTo("1,2");
    }

    @Test
    void hearthsOwnOriginAndRequestsWithoutOneAreServed() throws Exception {
        String own = "http://127.0.0.1:" + hearth.endpoint().getPort();
        assertThat(send(awsJson(hearth, "ListClusters", "{}").header("Origin", own)).statusCode()).isEqualTo(200);
        assertThat(send(awsJson(hearth, "ListClusters", "{}")).statusCode()).isEqualTo(200);
    }

    @Test
    void aRequestAddressedToAnotherHostIsRefused() throws Exception {
        // A page whose DNS name was rebound to 127.0.0.1 reaches the port with its own name in the Host header.
        assertThat(statusLine(hearth, "evil.example:" + hearth.endpoint().getPort())).contains(" 403 ");
        assertThat(statusLine(hearth, "localhost:" + hearth.endpoint().getPort())).contains(" 200 ");
        assertThat(statusLine(hearth, "127.0.0.1:" + hearth.endpoint().getPort())).contains(" 200 ");
    }

    private static String statusLine(TestingHearth target, String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", target.endpoint().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return answer.substring(0, answer.indexOf('\r'));
        }
    }

    @Test
    void aListedOriginMayUseEveryApi() throws Exception {
        HttpResponse<String> preflight = send(preflight(trusting, "/", "http://localhost:3000", "POST", "x-amz-target,content-type,authorization"));
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("http://localhost:3000");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).contains("x-amz-target,content-type,authorization");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).contains("GET, HEAD, PUT, POST, DELETE");

        HttpResponse<String> listed = send(awsJson(trusting, "ListClusters", "{}").header("Origin", "http://localhost:3000"));
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.headers().firstValue("Access-Control-Allow-Origin")).contains("http://localhost:3000");
        assertThat(listed.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("x-amzn-RequestId");
        HttpResponse<String> failed = send(awsJson(trusting, "DescribeCluster", "{}").header("Origin", "http://localhost:3000"));
        assertThat(failed.statusCode()).isEqualTo(400);
        assertThat(failed.headers().firstValue("Access-Control-Allow-Origin")).as("errors are readable too").contains("http://localhost:3000");

        assertThat(send(awsJson(trusting, "ListClusters", "{}").header("Origin", "http://localhost:3001")).statusCode()).isEqualTo(403);
        assertThat(send(preflight(trusting, "/", "http://localhost:3001", "POST", "x-amz-target")).statusCode()).isEqualTo(403);
    }

    @Test
    void s3RequestsFollowTheBucketsCorsConfiguration() throws Exception {
        var s3 = hearth.s3();
        s3.createBucket(r -> r.bucket("web-assets"));
        s3.putObject(r -> r.bucket("web-assets").key("app.js"), RequestBody.fromString("console.log(1)"));
        s3.putBucketCors(r -> r.bucket("web-assets").corsConfiguration(c -> c.corsRules(
                CORSRule.builder().allowedOrigins("https://*.example.com").allowedMethods("GET", "PUT").allowedHeaders("content-type", "x-amz-*")
                        .exposeHeaders("ETag").maxAgeSeconds(300).build())));
        assertThat(s3.getBucketCors(r -> r.bucket("web-assets")).corsRules()).singleElement().satisfies(rule -> {
            assertThat(rule.allowedOrigins()).containsExactly("https://*.example.com");
            assertThat(rule.allowedMethods()).containsExactly("GET", "PUT");
            assertThat(rule.maxAgeSeconds()).isEqualTo(300);
        });

        HttpResponse<String> allowed = send(preflight(hearth, "/web-assets/app.js", "https://app.example.com", "PUT", "Content-Type, X-Amz-Date"));
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods")).contains("GET, PUT");
        assertThat(allowed.headers().firstValue("Access-Control-Max-Age")).contains("300");
        assertThat(send(preflight(hearth, "/web-assets/app.js", "https://app.example.com", "DELETE", "content-type")).statusCode()).isEqualTo(403);
        assertThat(send(preflight(hearth, "/web-assets/app.js", "https://app.example.com", "PUT", "authorization")).statusCode()).isEqualTo(403);
        assertThat(send(preflight(hearth, "/web-assets/app.js", "http://evil", "GET", "content-type")).statusCode()).isEqualTo(403);

        HttpResponse<String> read = send(HttpRequest.newBuilder(URI.create(hearth.endpoint() + "/web-assets/app.js"))
                .header("Origin", "https://app.example.com").GET());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("console.log(1)");
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
        assertThat(read.headers().firstValue("Access-Control-Expose-Headers")).contains("ETag");
        HttpResponse<String> delete = send(HttpRequest.newBuilder(URI.create(hearth.endpoint() + "/web-assets/app.js"))
                .header("Origin", "https://app.example.com").DELETE());
        assertThat(delete.statusCode()).as("DELETE is not in the rule").isEqualTo(403);
        assertThat(send(HttpRequest.newBuilder(URI.create(hearth.endpoint() + "/web-assets/app.js")).header("Origin", "http://evil").GET()).statusCode())
                .isEqualTo(403);

        s3.deleteBucketCors(r -> r.bucket("web-assets"));
        assertThat(send(preflight(hearth, "/web-assets/app.js", "https://app.example.com", "GET", "content-type")).statusCode()).isEqualTo(403);
        try {
            s3.getBucketCors(r -> r.bucket("web-assets"));
            throw new AssertionError("GetBucketCors answered after DeleteBucketCors");
        } catch (S3Exception e) {
            assertThat(e.statusCode()).isEqualTo(404);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchCORSConfiguration");
        }
        HttpResponse<String> malformed = send(HttpRequest.newBuilder(URI.create(hearth.endpoint() + "/web-assets?cors"))
                .header("Authorization", AUTHORIZATION).PUT(HttpRequest.BodyPublishers.ofString("<CORSConfiguration><CORSRule/></CORSConfiguration>")));
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("<Code>MalformedXML</Code>");
    }
}
