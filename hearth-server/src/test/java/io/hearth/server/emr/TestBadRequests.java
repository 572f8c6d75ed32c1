package io.hearth.server.emr;

import static io.hearth.server.testing.EmrRequests.awaitClusterState;
import static io.hearth.server.testing.EmrRequests.cluster;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.fakeStep;
import static io.hearth.server.testing.EmrRequests.singleInstanceCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.aws.ServiceModel;
import io.hearth.server.testing.TestingHearth;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.AutoTerminationPolicy;
import software.amazon.awssdk.services.emr.model.BootstrapActionConfig;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.Configuration;
import software.amazon.awssdk.services.emr.model.EmrException;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.InstanceGroupConfig;
import software.amazon.awssdk.services.emr.model.InstanceRoleType;
import software.amazon.awssdk.services.emr.model.JobFlowInstancesConfig;
import software.amazon.awssdk.services.emr.model.RunJobFlowRequest;
import software.amazon.awssdk.services.emr.model.StepConfig;

/**
 * Bad requests get the 4xx error EMR gives, with a message naming the problem, and leave nothing
 * half-written. Raw HTTP where the SDK would refuse to send the mistake.
 */
class TestBadRequests {
    private static final String AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261121/us-east-1/elasticmapreduce/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestingHearth hearth;
    private static EmrClient emr;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        hearth = TestingHearth.builder().start();
        emr = hearth.emr();
    }

    @AfterAll
    static void stop() {
        hearth.close();
    }

    private record Answer(int status, String errorTypeHeader, JsonNode body) {}

    private static Answer post(String target, String body, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(hearth.endpoint())
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (target != null) {
            request.header("X-Amz-Target", target);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("x-amzn-ErrorType").orElse(null), JSON.readTree(response.body()));
    }

    private static Answer emrCall(String operation, String body) throws IOException, InterruptedException {
        return post("ElasticMapReduce." + operation, body, AUTHORIZATION);
    }

    private static void assertError(Answer answer, int status, String type, String message) {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.errorTypeHeader()).isEqualTo(type);
        assertThat(answer.body().path("__type").asText()).isEqualTo(type);
        assertThat(answer.body().path("Message").asText()).contains(message);
    }

    private static void assertEmrError(ThrowingCallable call, String type, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(EmrException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(type);
            assertThat(e.awsErrorDetails().errorMessage()).contains(message);
        });
    }

    @Test
    void malformedJsonIsASerializationError() throws Exception {
        assertError(emrCall("ListClusters", "{\"Marker\": "), 400, "SerializationException", "The request body is not valid JSON");
        assertError(emrCall("ListClusters", "[1, 2]"), 400, "SerializationException", "must be a JSON object");
    }

    @Test
    void unknownOperationsAndMissingTargetsAreRefused() throws Exception {
        assertError(emrCall("LaunchRocket", "{}"), 400, "UnknownOperationException", "Unknown operation ElasticMapReduce.LaunchRocket");
        assertError(post("AmazonSomethingElse.ListThings", "{}", AUTHORIZATION), 400, "UnknownOperationException", "Unknown operation");
        assertError(post(null, "{}", AUTHORIZATION), 400, "UnknownOperationException", "Missing X-Amz-Target header");
        assertError(emrCall("ListStudios", "{}"), 400, "UnknownOperationException", "Hearth does not support the EMR operation ListStudios yet");
        // Before the input is checked: a missing member is no news for an operation Hearth does not have.
        assertError(emrCall("CreateStudio", "{}"), 400, "UnknownOperationException", "Hearth does not support the EMR operation CreateStudio yet");
    }

    @Test
    void unsignedRequestsAreRefused() throws Exception {
        assertError(post("ElasticMapReduce.ListClusters", "{}", null), 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        assertError(post("ElasticMapReduce.ListClusters", "{}", "Bearer abc"), 400, "IncompleteSignatureException", "AWS4-HMAC-SHA256");
    }

    @Test
    void missingMembersWrongTypesAndUnknownEnumsNameTheMember() throws Exception {
        assertError(emrCall("RunJobFlow", "{\"Name\": \"x\"}"), 400, "ValidationException",
                "Value null at 'instances' failed to satisfy constraint: Member must not be null");
        assertError(emrCall("DescribeCluster", "{\"ClusterId\": 42}"), 400, "ValidationException",
                "Value 42 at 'clusterId' failed to satisfy constraint: Member must be a string");
        assertError(emrCall("ListClusters", "{\"ClusterStates\": [\"SLEEPING\"]}"), 400, "ValidationException",
                "Value 'SLEEPING' at 'clusterStates.1.member' failed to satisfy constraint: Member must satisfy enum value set");
        assertError(emrCall("SetTerminationProtection", "{\"JobFlowIds\": [\"j-1\"], \"TerminationProtected\": \"yes\"}"), 400, "ValidationException",
                "Member must be a boolean");
        assertError(emrCall("ModifyCluster", "{\"ClusterId\": \"j-1\", \"StepConcurrencyLevel\": 1.5}"), 400, "ValidationException",
                "Member must be an integer");
    }

    @Test
    void numbersOutOfRangeOfADoubleAreValidationErrorsNamingTheMember() throws Exception {
        assertError(emrCall("RunJobFlow", "{\"Name\": \"x\", \"Instances\": {}, \"StepConcurrencyLevel\": 1e999}"), 400, "ValidationException",
                "Value 'Infinity' at 'stepConcurrencyLevel' failed to satisfy constraint: Member must be a 32-bit integer");
        assertError(emrCall("ModifyCluster", "{\"ClusterId\": \"j-1\", \"StepConcurrencyLevel\": -1e999}"), 400, "ValidationException",
                "Value '-Infinity' at 'stepConcurrencyLevel' failed to satisfy constraint: Member must be a 32-bit integer");
        assertError(emrCall("ListReleaseLabels", "{\"MaxResults\": 1e999}"), 400, "ValidationException", "at 'maxResults'");
        assertError(emrCall("ListClusters", "{\"CreatedAfter\": 1e999}"), 400, "ValidationException",
                "at 'createdAfter' failed to satisfy constraint: Member must be a timestamp in epoch seconds");
    }

    @Test
    void everyOperationAnswersAnEmptyOrNonsenseBodyWithA4xx() throws Exception {
        ServiceModel model = ServiceModel.load("/io/hearth/server/aws/models/emr-2009-03-31.json.gz");
        List<String> operations = List.of("RunJobFlow", "DescribeCluster", "ListClusters", "TerminateJobFlows", "SetTerminationProtection",
                "SetKeepJobFlowAliveWhenNoSteps", "SetVisibleToAllUsers", "ModifyCluster", "AddJobFlowSteps", "ListSteps", "DescribeStep",
                "CancelSteps", "ListInstanceGroups", "ListInstances", "ListBootstrapActions", "AddTags", "RemoveTags", "PutAutoTerminationPolicy",
                "GetAutoTerminationPolicy", "RemoveAutoTerminationPolicy", "ListReleaseLabels", "DescribeReleaseLabel");
        for (String operation : operations) {
            assertThat(model.hasOperation(operation)).as(operation).isTrue();
            for (String body : List.of("", "{}", "{\"ClusterId\": \"j-NOPE\", \"JobFlowId\": \"j-NOPE\", \"JobFlowIds\": [\"j-NOPE\"], \"ResourceId\": \"j-NOPE\"}",
                    "{\"ClusterId\": [], \"Steps\": {}, \"Marker\": 7}")) {
                Answer answer = emrCall(operation, body);
                assertThat(answer.status()).as(operation + " " + body).isBetween(200, 499);
            }
        }
    }

    @Test
    void overLongNamesAreRefused() {
        assertEmrError(() -> emr.runJobFlow(singleInstanceCluster("x".repeat(257))), "ValidationException",
                "at 'name' failed to satisfy constraint: Member must have length less than or equal to 256");
    }

    @Test
    void unknownClustersAndStepsAreInvalidRequests() {
        assertEmrError(() -> emr.describeCluster(request -> request.clusterId("j-DOESNOTEXIST")), "InvalidRequestException",
                "Cluster id 'j-DOESNOTEXIST' is not valid.");
        assertEmrError(() -> emr.addJobFlowSteps(request -> request.jobFlowId("j-DOESNOTEXIST").steps(fakeStep("s", ActionOnFailure.CONTINUE, "Succeed"))),
                "InvalidRequestException", "Cluster id 'j-DOESNOTEXIST' is not valid.");
        assertEmrError(() -> emr.terminateJobFlows(request -> request.jobFlowIds("j-DOESNOTEXIST")), "InvalidRequestException", "is not valid");
        String clusterId = createCluster(emr, singleInstanceCluster("real"));
        assertEmrError(() -> emr.describeStep(request -> request.clusterId(clusterId).stepId("s-DOESNOTEXIST")), "InvalidRequestException",
                "Step id 's-DOESNOTEXIST' is not valid.");
        assertEmrError(() -> emr.listSteps(request -> request.clusterId(clusterId).marker("garbage")), "ValidationException", "Marker 'garbage' is not valid");
    }

    @ParameterizedTest
    @ValueSource(strings = {"emr-5.36.0", "emr-8.0.0", "spark-3.5"})
    void unsupportedReleaseLabelsAreRefused(String label) {
        assertEmrError(() -> emr.runJobFlow(singleInstanceCluster("old").toBuilder().releaseLabel(label).build()), "ValidationException",
                "ReleaseLabel '" + label + "' is not supported");
    }

    @Test
    void clusterDefinitionsHearthCannotRunAreRefusedNamingTheMember() {
        assertEmrError(() -> emr.runJobFlow(singleInstanceCluster("ami").toBuilder().releaseLabel(null).amiVersion("3.11.0").build()),
                "ValidationException", "AmiVersion is not supported");
        assertEmrError(() -> emr.runJobFlow(RunJobFlowRequest.builder().name("type").releaseLabel("emr-7.1.0")
                .instances(JobFlowInstancesConfig.builder().instanceGroups(
                        InstanceGroupConfig.builder().instanceRole(InstanceRoleType.MASTER).instanceType("z9.mega").instanceCount(1).build()).build())
                .build()), "ValidationException", "Instance type 'z9.mega' in Instances.InstanceGroups.1.InstanceType is not supported");
        assertEmrError(() -> emr.runJobFlow(RunJobFlowRequest.builder().name("two masters").releaseLabel("emr-7.1.0")
                .instances(JobFlowInstancesConfig.builder().instanceGroups(
                        InstanceGroupConfig.builder().instanceRole(InstanceRoleType.MASTER).instanceType("m5.xlarge").instanceCount(1).build(),
                        InstanceGroupConfig.builder().instanceRole(InstanceRoleType.MASTER).instanceType("m5.xlarge").instanceCount(1).build()).build())
                .build()), "ValidationException", "exactly one MASTER instance group, not 2");
        assertEmrError(() -> emr.runJobFlow(singleInstanceCluster("conf").toBuilder()
                        .configurations(Configuration.builder().classification("spark-defualts").build()).build()),
                "ValidationException", "Configurations.1.Classification 'spark-defualts' is not a known configuration classification");
        assertEmrError(() -> emr.runJobFlow(singleInstanceCluster("app").toBuilder()
                        .applications(a -> a.name("Spark"), a -> a.name("Presto")).build()),
                "ValidationException", "Applications.2.Name: application 'Presto' is not supported by Hearth");
        assertEmrError(() -> emr.runJobFlow(singleInstanceCluster("level").toBuilder().stepConcurrencyLevel(257).build()),
                "ValidationException", "StepConcurrencyLevel must be between 1 and 256, not 257");
        assertEmrError(() -> emr.runJobFlow(singleInstanceCluster("idle").toBuilder()
                        .autoTerminationPolicy(AutoTerminationPolicy.builder().idleTimeout(30L).build()).build()),
                "ValidationException", "AutoTerminationPolicy.IdleTimeout must be between 60 and 604800 seconds");
        assertEmrError(() -> emr.runJobFlow(singleInstanceCluster("log").toBuilder().logUri("hdfs://namenode/logs").build()),
                "ValidationException", "LogUri 'hdfs://namenode/logs' uses a scheme Hearth cannot read");
        assertEmrError(() -> emr.runJobFlow(singleInstanceCluster("fleets").toBuilder()
                        .instances(JobFlowInstancesConfig.builder().instanceFleets(f -> f.instanceFleetType("MASTER")).build()).build()),
                "ValidationException", "Instances.InstanceFleets are not supported by Hearth");
        BootstrapActionConfig[] seventeen = new BootstrapActionConfig[17];
        for (int i = 0; i < seventeen.length; i++) {
            seventeen[i] = BootstrapActionConfig.builder().name("b" + i).scriptBootstrapAction(s -> s.path("/bin/true")).build();
        }
        assertEmrError(() -> emr.runJobFlow(singleInstanceCluster("bootstraps").toBuilder().bootstrapActions(seventeen).build()),
                "ValidationException", "BootstrapActions has 17 actions; at most 16 are allowed");
    }

    @Test
    void stepsHearthCannotRunAreRefusedWhenAdded() {
        String clusterId = createCluster(emr, singleInstanceCluster("steps"));
        assertEmrError(() -> emr.addJobFlowSteps(request -> request.jobFlowId(clusterId).steps(step("hive", "command-runner.jar", "hive-script", "--run-hive-script"))),
                "ValidationException", "Steps.1: command-runner.jar command 'hive-script' is not available in Hearth");
        assertEmrError(() -> emr.addJobFlowSteps(request -> request.jobFlowId(clusterId).steps(step("shell", "command-runner.jar", "pyspark"))),
                "ValidationException", "Steps.1: command-runner.jar command 'pyspark' is an interactive shell, and a step has no terminal");
        assertEmrError(() -> emr.addJobFlowSteps(request -> request.jobFlowId(clusterId).steps(step("empty", "command-runner.jar"))),
                "ValidationException", "Steps.1.HadoopJarStep.Args must start with the command to run");
        assertEmrError(() -> emr.addJobFlowSteps(request -> request.jobFlowId(clusterId).steps(step("no jar", "command-runner.jar", "spark-submit", "--class", "Main"))),
                "ValidationException", "Steps.1: spark-submit needs an application (a jar or a .py file) after its options");
        assertThat(hearth.callEmr("AddJobFlowSteps", "{\"JobFlowId\": \"" + clusterId + "\", \"Steps\": [{\"Name\": \"logs\", \"HadoopJarStep\": "
                + "{\"Jar\": \"command-runner.jar\", \"Args\": [\"spark-submit\", \"app.jar\"]}, \"StepMonitoringConfiguration\": "
                + "{\"S3MonitoringConfiguration\": {\"LogUri\": \"hdfs://namenode/logs\"}}}]}").path("Message").asText())
                .isEqualTo("Steps.1.StepMonitoringConfiguration.S3MonitoringConfiguration.LogUri 'hdfs://namenode/logs' uses a scheme Hearth cannot read; "
                        + "use a local path, file:// or s3://");
    }

    @Test
    void aLogUriInABucketThatDoesNotExistIsRefusedAndTheBucketIsNotCreated() {
        assertEmrError(() -> emr.runJobFlow(singleInstanceCluster("logs").toBuilder().logUri("s3://lake/logs/").build()),
                "ValidationException", "LogUri 's3://lake/logs/' is in bucket lake, which does not exist; create the bucket first (aws s3 mb s3://lake)");
        assertThat(hearth.dataDirectory().resolve("s3/lake")).doesNotExist();
        String clusterId = createCluster(emr, singleInstanceCluster("steps"));
        assertThat(hearth.callEmr("AddJobFlowSteps", "{\"JobFlowId\": \"" + clusterId + "\", \"Steps\": [{\"Name\": \"logs\", \"HadoopJarStep\": "
                + "{\"Jar\": \"command-runner.jar\", \"Args\": [\"spark-submit\", \"app.jar\"]}, \"StepMonitoringConfiguration\": "
                + "{\"S3MonitoringConfiguration\": {\"LogUri\": \"s3://lake/step-logs/\"}}}]}").path("Message").asText())
                .isEqualTo("Steps.1.StepMonitoringConfiguration.S3MonitoringConfiguration.LogUri 's3://lake/step-logs/' is in bucket lake, "
                        + "which does not exist; create the bucket first (aws s3 mb s3://lake)");
        assertThat(hearth.dataDirectory().resolve("s3/lake")).doesNotExist();

        // The user makes the bucket, as on AWS, and then the same LogUri is taken.
        hearth.s3().createBucket(r -> r.bucket("lake"));
        String logged = createCluster(emr, singleInstanceCluster("logs").toBuilder().logUri("s3://lake/logs/").build());
        assertThat(emr.describeCluster(r -> r.clusterId(logged)).cluster().logUri()).isEqualTo("s3://lake/logs/");
    }

    @Test
    void aRejectedRequestWritesNothing() {
        List<String> before = emr.listClusters().clusters().stream().map(c -> c.id()).toList();
        assertEmrError(() -> emr.runJobFlow(cluster("half", 1, true, builder -> builder.steps(
                        fakeStep("good", ActionOnFailure.CONTINUE, "Succeed"),
                        step("bad", "command-runner.jar", "pig-script")))),
                "ValidationException", "Steps.2: command-runner.jar command 'pig-script'");
        assertThat(emr.listClusters().clusters()).extracting(c -> c.id()).containsExactlyInAnyOrderElementsOf(before);

        String clusterId = createCluster(emr, singleInstanceCluster("atomic"));
        assertEmrError(() -> emr.addJobFlowSteps(request -> request.jobFlowId(clusterId).steps(
                        fakeStep("good", ActionOnFailure.CONTINUE, "Succeed"), step("bad", "command-runner.jar", "hadoop-streaming"))),
                "ValidationException", "Steps.2");
        assertThat(emr.listSteps(request -> request.clusterId(clusterId)).steps()).isEmpty();
        assertThat(awaitClusterState(emr, clusterId, ClusterState.WAITING)).isEqualTo(ClusterState.WAITING);
    }

    @Test
    void changingATerminatedClusterIsRefused() {
        String clusterId = createCluster(emr, singleInstanceCluster("ended"));
        emr.terminateJobFlows(request -> request.jobFlowIds(clusterId));
        awaitClusterState(emr, clusterId, ClusterState.TERMINATED);
        String message = "A job flow that is shutting down, terminated, or finished may not be modified.";
        Consumer<ThrowingCallable> refused = call -> assertEmrError(call, "ValidationException", message);
        refused.accept(() -> emr.setTerminationProtection(request -> request.jobFlowIds(clusterId).terminationProtected(true)));
        refused.accept(() -> emr.modifyCluster(request -> request.clusterId(clusterId).stepConcurrencyLevel(2)));
        refused.accept(() -> emr.putAutoTerminationPolicy(request -> request.clusterId(clusterId).autoTerminationPolicy(p -> p.idleTimeout(600L))));
        // Terminating an ended cluster again is harmless.
        emr.terminateJobFlows(request -> request.jobFlowIds(clusterId));
    }

    private static StepConfig step(String name, String jar, String... args) {
        return StepConfig.builder().name(name).actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar(jar).args(args).build()).build();
    }
}
