package io.hearth.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.testing.TestingHearth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed workflow from the command line, exactly as the EMR documentation writes it, with the
 * aws CLI pointed at Hearth by the variables {@code bin/hearth env} prints; and the same from
 * boto3. Each test runs only when its client is installed (the aws CLI and boto3 are in the CI image).
 */
class TestAwsCliAndBoto3 {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestingHearth hearth;
    private static Map<String, String> environment;

    @BeforeAll
    static void start() {
        hearth = TestingHearth.builder().sparkHome(Distribution.sparkHome()).start();
        environment = new LinkedHashMap<>();
        ExternalCommand.Result env = ExternalCommand.run(List.of(Distribution.hearthCommand().toString(), "env", "--data-dir",
                hearth.dataDirectory().toString()), Map.of(), null, 60);
        assertThat(env.exitCode()).as(env.stderr()).isZero();
        for (String line : env.stdout().split("\n")) {
            String assignment = line.substring("export ".length());
            environment.put(assignment.substring(0, assignment.indexOf('=')), assignment.substring(assignment.indexOf('=') + 1));
        }
        assertThat(environment).containsEntry("AWS_ENDPOINT_URL", hearth.endpoint().toString()).containsKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION");
        // Keep the user's own AWS configuration out of the way.
        environment.put("AWS_CONFIG_FILE", "/dev/null");
        environment.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        environment.put("AWS_PAGER", "");
    }

    @AfterAll
    static void stop() {
        hearth.close();
    }

    private static JsonNode aws(String... args) {
        ExternalCommand.Result result = awsResult(args);
        assertThat(result.exitCode()).as("aws %s failed: %s", String.join(" ", args), result.stderr()).isZero();
        try {
            return result.stdout().isBlank() ? JSON.createObjectNode() : JSON.readTree(result.stdout());
        } catch (java.io.IOException e) {
            throw new AssertionError("aws printed no JSON: " + result.stdout(), e);
        }
    }

    private static ExternalCommand.Result awsResult(String... args) {
        List<String> command = new ArrayList<>(List.of("aws"));
        command.addAll(List.of(args));
        command.addAll(List.of("--output", "json"));
        return ExternalCommand.run(command, environment, null, 300);
    }

    @Test
    void seedWorkflowWithTheAwsCli() {
        assumeTrue(ExternalCommand.onPath("aws"), "the aws CLI is not installed");
        String clusterId = aws("emr", "create-cluster", "--name", "seed workflow", "--release-label", "emr-7.1.0", "--applications", "Name=Spark",
                "--instance-type", "m5.xlarge", "--instance-count", "3", "--use-default-roles", "--tags", "team=ml", "owner")
                .path("ClusterId").asText();
        assertThat(clusterId).startsWith("j-");
        aws("emr", "wait", "cluster-running", "--cluster-id", clusterId);

        JsonNode waiting = aws("emr", "list-clusters", "--cluster-states", "WAITING");
        assertThat(waiting.path("Clusters").findValuesAsText("Id")).contains(clusterId);
        JsonNode described = aws("emr", "describe-cluster", "--cluster-id", clusterId).path("Cluster");
        assertThat(described.path("InstanceGroups")).hasSize(2);
        assertThat(described.path("Tags").findValuesAsText("Key")).containsExactly("owner", "team");

        Path output = hearth.dataDirectory().resolve("out/cli");
        String args = String.join(",", "--class", "io.hearth.spark.examples.CsvAggregate", Distribution.examplesJar(), Distribution.irisCsv(),
                output.toString(), "species");
        String stepId = aws("emr", "add-steps", "--cluster-id", clusterId, "--steps",
                "Type=Spark,Name=Aggregate iris,ActionOnFailure=CONTINUE,Args=[" + args + "]").path("StepIds").get(0).asText();
        aws("emr", "wait", "step-complete", "--cluster-id", clusterId, "--step-id", stepId);
        JsonNode step = aws("emr", "describe-step", "--cluster-id", clusterId, "--step-id", stepId).path("Step");
        assertThat(step.path("Status").path("State").asText()).isEqualTo("COMPLETED");
        assertThat(step.path("Config").path("Jar").asText()).isEqualTo("command-runner.jar");
        assertThat(step.path("Config").path("Args").get(0).asText()).isEqualTo("spark-submit");
        assertThat(aws("emr", "list-steps", "--cluster-id", clusterId).path("Steps").findValuesAsText("Id")).containsExactly(stepId);
        assertThat(Files.exists(output.resolve("_SUCCESS"))).isTrue();

        aws("emr", "terminate-clusters", "--cluster-ids", clusterId);
        aws("emr", "wait", "cluster-terminated", "--cluster-id", clusterId);
        assertThat(aws("emr", "describe-cluster", "--cluster-id", clusterId).path("Cluster").path("Status").path("State").asText())
                .isEqualTo("TERMINATED");
    }

    @Test
    void theAwsCliShowsHearthsErrors() {
        assumeTrue(ExternalCommand.onPath("aws"), "the aws CLI is not installed");
        ExternalCommand.Result unknown = awsResult("emr", "describe-cluster", "--cluster-id", "j-NOSUCHCLUSTER");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("InvalidRequestException").contains("Cluster id 'j-NOSUCHCLUSTER' is not valid.");
        ExternalCommand.Result badLabel = awsResult("emr", "create-cluster", "--release-label", "emr-5.36.0", "--instance-type", "m5.xlarge",
                "--instance-count", "1");
        assertThat(badLabel.exitCode()).isNotZero();
        assertThat(badLabel.stderr()).contains("ValidationException").contains("ReleaseLabel 'emr-5.36.0' is not supported");
    }

    @Test
    void boto3RunsAClusterWithAStepAndItsWaiters() throws Exception {
        assumeTrue(ExternalCommand.onPath("python3"), "python3 is not installed");
        assumeTrue(ExternalCommand.run(List.of("python3", "-c", "import boto3"), environment, null, 60).exitCode() == 0, "boto3 is not installed");
        Path script = hearth.dataDirectory().resolve("boto3_workflow.py");
        Files.writeString(script, """
                import sys, boto3
                emr = boto3.client("emr")
                jar, csv, output = sys.argv[1:4]
                cluster = emr.run_job_flow(
                    Name="boto3", ReleaseLabel="emr-7.1.0", Applications=[{"Name": "Spark"}],
                    Instances={"InstanceGroups": [{"InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1}],
                               "KeepJobFlowAliveWhenNoSteps": False},
                    Steps=[{"Name": "aggregate", "ActionOnFailure": "TERMINATE_CLUSTER",
                            "HadoopJarStep": {"Jar": "command-runner.jar",
                                              "Args": ["spark-submit", "--class", "io.hearth.spark.examples.CsvAggregate", jar, csv, output, "species"]}}])
                cluster_id = cluster["JobFlowId"]
                step_id = emr.list_steps(ClusterId=cluster_id)["Steps"][0]["Id"]
                emr.get_waiter("step_complete").wait(ClusterId=cluster_id, StepId=step_id, WaiterConfig={"Delay": 1, "MaxAttempts": 300})
                emr.get_waiter("cluster_terminated").wait(ClusterId=cluster_id, WaiterConfig={"Delay": 1, "MaxAttempts": 300})
                status = emr.describe_cluster(ClusterId=cluster_id)["Cluster"]["Status"]
                print(cluster_id, status["State"], status["StateChangeReason"]["Code"])
                """);
        ExternalCommand.Result result = ExternalCommand.run(List.of("python3", script.toString(), Distribution.examplesJar(), Distribution.irisCsv(),
                hearth.dataDirectory().resolve("out/boto3").toString()), environment, null, 300);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout().trim()).matches("j-[A-Z0-9]{13} TERMINATED ALL_STEPS_COMPLETED");
    }
}
