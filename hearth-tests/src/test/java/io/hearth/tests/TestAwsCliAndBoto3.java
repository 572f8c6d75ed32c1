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
 * boto3. Then the data lake: {@code aws s3} and {@code aws glue}, and boto3's S3 and Glue clients. Each test runs only when its client is installed (the aws CLI and boto3 are in the CI image).
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

    /** Set (to true) in CI, where these clients must be installed: their tests then fail instead of being skipped. */
    static final String REQUIRED_VARIABLE = "HEARTH_REQUIRE_AWS_CLIENTS";

    private static void requireAwsCli() {
        requireClient(ExternalCommand.onPath("aws"), "the aws CLI is not installed");
    }

    private static void requireBoto3() {
        requireClient(ExternalCommand.onPath("python3")
                && ExternalCommand.run(List.of("python3", "-c", "import boto3"), environment, null, 60).exitCode() == 0,
                "python3 with boto3 is not installed");
    }

    private static void requireClient(boolean installed, String missing) {
        if (!installed && Boolean.parseBoolean(System.getenv(REQUIRED_VARIABLE))) {
            throw new AssertionError(missing + ", and " + REQUIRED_VARIABLE + "=true says these tests must run");
        }
        assumeTrue(installed, missing);
    }

    /** The high-level {@code aws s3} commands print text, not JSON. */
    private static String awsS3(String... args) {
        List<String> command = new ArrayList<>(List.of("aws", "s3"));
        command.addAll(List.of(args));
        ExternalCommand.Result result = ExternalCommand.run(command, environment, null, 300);
        assertThat(result.exitCode()).as("aws s3 %s failed: %s", String.join(" ", args), result.stderr()).isZero();
        return result.stdout();
    }

    private static ExternalCommand.Result awsResult(String... args) {
        List<String> command = new ArrayList<>(List.of("aws"));
        command.addAll(List.of(args));
        command.addAll(List.of("--output", "json"));
        return ExternalCommand.run(command, environment, null, 300);
    }

    @Test
    void seedWorkflowWithTheAwsCli() {
        requireAwsCli();
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
        requireAwsCli();
        ExternalCommand.Result unknown = awsResult("emr", "describe-cluster", "--cluster-id", "j-NOSUCHCLUSTER");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("InvalidRequestException").contains("Cluster id 'j-NOSUCHCLUSTER' is not valid.");
        ExternalCommand.Result badLabel = awsResult("emr", "create-cluster", "--release-label", "emr-5.36.0", "--instance-type", "m5.xlarge",
                "--instance-count", "1");
        assertThat(badLabel.exitCode()).isNotZero();
        assertThat(badLabel.stderr()).contains("ValidationException").contains("ReleaseLabel 'emr-5.36.0' is not supported");
    }

    @Test
    void aMultipartUploadOfTheAwsCliHasOneETag() throws Exception {
        requireAwsCli();
        aws("s3api", "create-bucket", "--bucket", "cli-etags");
        // Above the CLI's 8 MiB multipart threshold: three parts.
        Path big = hearth.dataDirectory().resolve("big.bin");
        byte[] bytes = new byte[20 * 1024 * 1024];
        new java.util.Random(3).nextBytes(bytes);
        Files.write(big, bytes);
        awsS3("cp", big.toString(), "s3://cli-etags/big.bin");

        String eTag = aws("s3api", "head-object", "--bucket", "cli-etags", "--key", "big.bin").path("ETag").asText();
        assertThat(eTag).matches("\"[0-9a-f]{32}-3\"");
        assertThat(aws("s3api", "list-objects-v2", "--bucket", "cli-etags").path("Contents").findValuesAsText("ETag")).containsExactly(eTag);
        Path copy = hearth.dataDirectory().resolve("big.copy");
        assertThat(aws("s3api", "get-object", "--bucket", "cli-etags", "--key", "big.bin", "--if-match", eTag, copy.toString()).path("ETag").asText())
                .isEqualTo(eTag);
        assertThat(copy).hasSameBinaryContentAs(big);
        ExternalCommand.Result stale = awsResult("s3api", "get-object", "--bucket", "cli-etags", "--key", "big.bin", "--if-match", "\"0123\"",
                copy.toString());
        assertThat(stale.exitCode()).isNotZero();
        assertThat(stale.stderr()).contains("PreconditionFailed").doesNotContain("stub");
        assertThat(awsS3("ls", "--recursive", "s3://cli-etags/").lines().toList()).singleElement().asString().endsWith(" big.bin");
    }

    @Test
    void boto3RunsAClusterWithAStepAndItsWaiters() throws Exception {
        requireBoto3();
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

    @Test
    void dataLakeWithTheAwsCli() throws Exception {
        requireAwsCli();
        Path folder = hearth.dataDirectory().resolve("upload/housing");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("part-0.csv"), "id,city\n1,Lisbon\n");
        Files.writeString(folder.resolve("part-1.csv"), "id,city\n2,Porto\n");
        byte[] big = new byte[12 * 1024 * 1024];
        new java.util.Random(3).nextBytes(big);
        Files.write(folder.getParent().resolve("big.bin"), big);

        assertThat(awsS3("mb", "s3://cli-lake")).contains("make_bucket: cli-lake");
        assertThat(awsS3("cp", "--recursive", folder.toString(), "s3://cli-lake/housing/v1/")).contains("upload:").contains("s3://cli-lake/housing/v1/part-1.csv");
        // 12 MiB: above the CLI's multipart threshold, so it arrives in parts.
        awsS3("cp", folder.getParent().resolve("big.bin").toString(), "s3://cli-lake/blobs/big.bin");
        assertThat(awsS3("ls", "--recursive", "s3://cli-lake/")).contains("housing/v1/part-0.csv", "housing/v1/part-1.csv", "blobs/big.bin");
        Path downloaded = hearth.dataDirectory().resolve("upload/big-again.bin");
        awsS3("cp", "s3://cli-lake/blobs/big.bin", downloaded.toString());
        assertThat(Files.readAllBytes(downloaded)).isEqualTo(big);

        aws("glue", "create-database", "--database-input", "{\"Name\": \"cli_db\"}");
        aws("glue", "create-table", "--database-name", "cli_db", "--table-input", """
                {"Name": "housing", "TableType": "EXTERNAL_TABLE",
                 "Parameters": {"classification": "csv", "skip.header.line.count": "1"},
                 "PartitionKeys": [{"Name": "dt", "Type": "string"}],
                 "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "int"}, {"Name": "city", "Type": "string"}],
                   "Location": "s3://cli-lake/housing/",
                   "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
                   "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                   "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", "Parameters": {"field.delim": ","}}}}""");
        aws("glue", "batch-create-partition", "--database-name", "cli_db", "--table-name", "housing", "--partition-input-list",
                "[{\"Values\": [\"2024-01-01\"]}, {\"Values\": [\"2024-01-02\"]}, {\"Values\": [\"2024-01-03\"]}]");
        JsonNode tables = aws("glue", "get-tables", "--database-name", "cli_db");
        assertThat(tables.path("TableList")).hasSize(1);
        assertThat(tables.path("TableList").get(0).path("Name").asText()).isEqualTo("housing");
        JsonNode partitions = aws("glue", "get-partitions", "--database-name", "cli_db", "--table-name", "housing",
                "--expression", "dt > '2024-01-01'", "--page-size", "1");
        List<String> values = new ArrayList<>();
        partitions.path("Partitions").forEach(partition -> values.add(partition.path("Values").get(0).asText()));
        assertThat(values).containsExactly("2024-01-02", "2024-01-03");
        assertThat(partitions.path("Partitions").get(0).path("StorageDescriptor").path("Location").asText())
                .isEqualTo("s3://cli-lake/housing/dt=2024-01-02");

        ExternalCommand.Result missing = awsResult("glue", "get-table", "--database-name", "cli_db", "--name", "nothing");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("EntityNotFoundException").contains("Table nothing not found in database cli_db.");
        ExternalCommand.Result badExpression = awsResult("glue", "get-partitions", "--database-name", "cli_db", "--table-name", "housing",
                "--expression", "dt >");
        assertThat(badExpression.exitCode()).isNotZero();
        assertThat(badExpression.stderr()).contains("InvalidInputException").contains("Expression 'dt >' is not valid");
        ExternalCommand.Result noBucket = awsResult("s3", "ls", "s3://no-such-bucket/");
        assertThat(noBucket.exitCode()).isNotZero();
        assertThat(noBucket.stderr()).contains("NoSuchBucket");
    }

    @Test
    void boto3UploadsAndCatalogsData() throws Exception {
        requireBoto3();
        Path script = hearth.dataDirectory().resolve("boto3_catalog.py");
        Files.writeString(script, """
                import boto3
                s3 = boto3.client("s3")
                glue = boto3.client("glue")
                s3.create_bucket(Bucket="boto-lake")
                s3.put_object(Bucket="boto-lake", Key="events/dt=2024-01-01/part-0.json", Body=b'{"user": 1}\\n')
                glue.create_database(DatabaseInput={"Name": "boto_db"})
                glue.create_table(DatabaseName="boto_db", TableInput={
                    "Name": "events", "TableType": "EXTERNAL_TABLE",
                    "PartitionKeys": [{"Name": "dt", "Type": "string"}],
                    "StorageDescriptor": {"Columns": [{"Name": "user", "Type": "int"}], "Location": "s3://boto-lake/events/",
                        "SerdeInfo": {"SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe"}}})
                result = glue.batch_create_partition(DatabaseName="boto_db", TableName="events",
                    PartitionInputList=[{"Values": ["2024-01-0%d" % day]} for day in range(1, 6)] + [{"Values": ["a", "b"]}])
                errors = [e["ErrorDetail"]["ErrorCode"] for e in result["Errors"]]
                pages = glue.get_paginator("get_partitions").paginate(DatabaseName="boto_db", TableName="events",
                    Expression="dt BETWEEN '2024-01-02' AND '2024-01-04'", PaginationConfig={"PageSize": 2})
                values = [p["Values"][0] for page in pages for p in page["Partitions"]]
                keys = [o["Key"] for o in s3.list_objects_v2(Bucket="boto-lake", Prefix="events/")["Contents"]]
                print(",".join(errors), ",".join(values), ",".join(keys))
                """);
        ExternalCommand.Result result = ExternalCommand.run(List.of("python3", script.toString()), environment, null, 300);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout().trim()).isEqualTo("InvalidInputException 2024-01-02,2024-01-03,2024-01-04 events/dt=2024-01-01/part-0.json");
    }
}
