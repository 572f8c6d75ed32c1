package io.hearth.server.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import org.junit.jupiter.api.Test;

class TestShapeValidator {
    private static final ServiceModel EMR = ServiceModel.load("/io/hearth/server/aws/models/emr-2009-03-31.json.gz");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ShapeValidator validator = new ShapeValidator(EMR);

    private static final String VALID_RUN_JOB_FLOW = """
            {
              "Name": "nightly-etl",
              "ReleaseLabel": "emr-7.1.0",
              "LogUri": "s3://logs/emr/",
              "Applications": [{"Name": "Spark"}, {"Name": "Hive"}],
              "Instances": {
                "InstanceGroups": [
                  {"Name": "Primary", "InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1},
                  {"Name": "Core", "InstanceRole": "CORE", "InstanceType": "m5.xlarge", "InstanceCount": 2}
                ],
                "KeepJobFlowAliveWhenNoSteps": true,
                "TerminationProtected": false
              },
              "Steps": [
                {
                  "Name": "etl",
                  "ActionOnFailure": "CONTINUE",
                  "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["spark-submit", "s3://code/job.py"]}
                }
              ],
              "Configurations": [{"Classification": "spark-defaults", "Properties": {"spark.executor.memory": "4g"}}],
              "Tags": [{"Key": "team", "Value": "ml"}],
              "VisibleToAllUsers": true,
              "StepConcurrencyLevel": 1,
              "JobFlowRole": "EMR_EC2_DefaultRole",
              "ServiceRole": "EMR_DefaultRole"
            }
            """;

    private static ObjectNode validRunJobFlow() throws Exception {
        return (ObjectNode) JSON.readTree(VALID_RUN_JOB_FLOW);
    }

    private HearthException rejection(JsonNode body) {
        HearthException error = catchThrowableOfType(HearthException.class, () -> validator.validate("RunJobFlowInput", body));
        assertThat(error).as("validation of %s", body).isNotNull();
        assertThat(error.code()).isEqualTo(ErrorCode.CONSTRAINT_VIOLATION);
        return error;
    }

    @Test
    void validRunJobFlowInputPasses() throws Exception {
        assertThatCode(() -> validator.validate("RunJobFlowInput", validRunJobFlow())).doesNotThrowAnyException();
    }

    @Test
    void minimalRunJobFlowInputWithOnlyRequiredMembersPasses() throws Exception {
        assertThatCode(() -> validator.validate("RunJobFlowInput", JSON.readTree("{\"Name\": \"c\", \"Instances\": {}}")))
                .doesNotThrowAnyException();
    }

    @Test
    void missingNameIsReportedWithLowerCamelPath() throws Exception {
        ObjectNode body = validRunJobFlow();
        body.remove("Name");

        assertThat(rejection(body)).hasMessage(
                "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void explicitNullCountsAsMissing() throws Exception {
        ObjectNode body = validRunJobFlow();
        body.putNull("Instances");

        assertThat(rejection(body)).hasMessage(
                "1 validation error detected: Value null at 'instances' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void everyErrorIsCountedAndListed() throws Exception {
        HearthException error = rejection(JSON.readTree("{}"));

        assertThat(error).hasMessage("2 validation errors detected: "
                + "Value null at 'name' failed to satisfy constraint: Member must not be null; "
                + "Value null at 'instances' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void errorsFromDifferentMembersAreAllReported() throws Exception {
        ObjectNode body = validRunJobFlow();
        body.remove("Name");
        body.put("VisibleToAllUsers", "yes");
        ((ObjectNode) body.get("Steps").get(0)).put("ActionOnFailure", "EXPLODE");

        assertThat(rejection(body).getMessage()).startsWith("3 validation errors detected: ");
    }

    @Test
    void numberForStringIsRejected() throws Exception {
        ObjectNode body = validRunJobFlow();
        body.put("Name", 42);

        assertThat(rejection(body)).hasMessage(
                "1 validation error detected: Value 42 at 'name' failed to satisfy constraint: Member must be a string");
    }

    @Test
    void stringForBooleanIsRejected() throws Exception {
        ObjectNode body = validRunJobFlow();
        ((ObjectNode) body.get("Instances")).put("KeepJobFlowAliveWhenNoSteps", "true");

        assertThat(rejection(body)).hasMessage("1 validation error detected: Value \"true\" at 'instances.keepJobFlowAliveWhenNoSteps'"
                + " failed to satisfy constraint: Member must be a boolean");
    }

    @Test
    void objectForListIsRejected() throws Exception {
        ObjectNode body = validRunJobFlow();
        body.putObject("Steps").put("Name", "etl");

        assertThat(rejection(body)).hasMessage(
                "1 validation error detected: Value an object at 'steps' failed to satisfy constraint: Member must be a list (JSON array)");
    }

    @Test
    void listForStructureIsRejected() throws Exception {
        ObjectNode body = validRunJobFlow();
        body.putArray("Instances");

        assertThat(rejection(body)).hasMessage("1 validation error detected: Value a list at 'instances'"
                + " failed to satisfy constraint: Member must be a structure (JSON object)");
    }

    @Test
    void unknownEnumValueIsRejectedWithItsListPath() throws Exception {
        ObjectNode body = validRunJobFlow();
        ((ObjectNode) body.get("Steps").get(0)).put("ActionOnFailure", "EXPLODE");

        assertThat(rejection(body)).hasMessage("1 validation error detected: Value 'EXPLODE' at 'steps.1.member.actionOnFailure'"
                + " failed to satisfy constraint: Member must satisfy enum value set:"
                + " [TERMINATE_JOB_FLOW, TERMINATE_CLUSTER, CANCEL_AND_WAIT, CONTINUE]");
    }

    @Test
    void enumValuesAreCaseSensitive() throws Exception {
        ObjectNode body = validRunJobFlow();
        ((ObjectNode) body.get("Instances").get("InstanceGroups").get(1)).put("InstanceRole", "core");

        assertThat(rejection(body).getMessage())
                .startsWith("1 validation error detected: Value 'core' at 'instances.instanceGroups.2.member.instanceRole'");
    }

    @Test
    void stringLongerThanMaxIsRejectedAndAbbreviated() throws Exception {
        ObjectNode body = validRunJobFlow();
        body.put("Name", "n".repeat(257));

        assertThat(rejection(body)).hasMessage("1 validation error detected: Value '" + "n".repeat(77) + "...' at 'name'"
                + " failed to satisfy constraint: Member must have length less than or equal to 256");
    }

    @Test
    void stringOfExactlyMaxLengthPasses() throws Exception {
        ObjectNode body = validRunJobFlow();
        body.put("Name", "n".repeat(256));

        assertThatCode(() -> validator.validate("RunJobFlowInput", body)).doesNotThrowAnyException();
    }

    @Test
    void stringShorterThanMinIsRejected() throws Exception {
        ObjectNode body = validRunJobFlow();
        ((ObjectNode) body.get("Instances")).put("MasterInstanceType", "");

        assertThat(rejection(body)).hasMessage("1 validation error detected: Value '' at 'instances.masterInstanceType'"
                + " failed to satisfy constraint: Member must have length greater than or equal to 1");
    }

    @Test
    void controlCharacterFailsTheModelPattern() throws Exception {
        ObjectNode body = validRunJobFlow();
        body.put("Name", "bad\u0001name");

        assertThat(rejection(body).getMessage()).startsWith("1 validation error detected: Value 'bad\u0001name' at 'name'"
                + " failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0020-");
    }

    @Test
    void supplementaryCharactersMatchTheModelPattern() throws Exception {
        ObjectNode body = validRunJobFlow();
        body.put("Name", "etl \uD83D\uDE80");

        assertThatCode(() -> validator.validate("RunJobFlowInput", body)).doesNotThrowAnyException();
    }

    @Test
    void fractionalNumberForIntegerIsRejected() throws Exception {
        ObjectNode body = validRunJobFlow();
        ((ObjectNode) body.get("Instances")).put("InstanceCount", 2.5);

        assertThat(rejection(body)).hasMessage(
                "1 validation error detected: Value 2.5 at 'instances.instanceCount' failed to satisfy constraint: Member must be an integer");
    }

    @Test
    void wholeNumberWrittenWithFractionIsAnInteger() throws Exception {
        ObjectNode body = validRunJobFlow();
        ((ObjectNode) body.get("Instances")).put("InstanceCount", 3.0);

        assertThatCode(() -> validator.validate("RunJobFlowInput", body)).doesNotThrowAnyException();
    }

    @Test
    void integerBeyond32BitsIsRejected() throws Exception {
        ObjectNode body = validRunJobFlow();
        body.put("StepConcurrencyLevel", 3_000_000_000L);

        assertThat(rejection(body)).hasMessage("1 validation error detected: Value '3000000000' at 'stepConcurrencyLevel'"
                + " failed to satisfy constraint: Member must be a 32-bit integer");
    }

    @Test
    void numbersBeyondTheRangeOfADoubleAreRejectedNamingTheMember() throws Exception {
        // Parsed from the wire, 1e999 is an infinite double: it fits no integer, timestamp or double member.
        String runJobFlow = VALID_RUN_JOB_FLOW.replace("\"StepConcurrencyLevel\": 1", "\"StepConcurrencyLevel\": 1e999");
        assertThat(rejection(JSON.readTree(runJobFlow))).hasMessage("1 validation error detected: Value 'Infinity' at 'stepConcurrencyLevel'"
                + " failed to satisfy constraint: Member must be a 32-bit integer");
        String negative = VALID_RUN_JOB_FLOW.replace("\"InstanceCount\": 1", "\"InstanceCount\": -1e999");
        assertThat(rejection(JSON.readTree(negative))).hasMessage("1 validation error detected: Value '-Infinity'"
                + " at 'instances.instanceGroups.1.member.instanceCount' failed to satisfy constraint: Member must be a 32-bit integer");

        HearthException timestamp = catchThrowableOfType(HearthException.class,
                () -> validator.validate("ListClustersInput", JSON.readTree("{\"CreatedAfter\": 1e999}")));
        assertThat(timestamp).hasMessage("1 validation error detected: Value Infinity at 'createdAfter'"
                + " failed to satisfy constraint: Member must be a timestamp in epoch seconds");

        HearthException threshold = catchThrowableOfType(HearthException.class, () -> validator.validate("PutAutoScalingPolicyInput", JSON.readTree("""
                {"ClusterId": "j-1", "InstanceGroupId": "ig-1", "AutoScalingPolicy": {
                  "Constraints": {"MinCapacity": 1, "MaxCapacity": 2},
                  "Rules": [{"Name": "r", "Action": {"SimpleScalingPolicyConfiguration": {"ScalingAdjustment": 1}},
                             "Trigger": {"CloudWatchAlarmDefinition": {"ComparisonOperator": "GREATER_THAN", "MetricName": "m",
                                                                       "Period": 300, "Threshold": 1e999}}}]}}
                """)));
        assertThat(threshold).hasMessage("1 validation error detected: Value 'Infinity'"
                + " at 'autoScalingPolicy.rules.1.member.trigger.cloudWatchAlarmDefinition.threshold'"
                + " failed to satisfy constraint: Member must be a finite number");
    }

    @Test
    void unknownMembersAreIgnored() throws Exception {
        ObjectNode body = validRunJobFlow();
        body.put("NoSuchMember", 17);
        ((ObjectNode) body.get("Instances")).putObject("AlsoUnknown").put("X", true);

        assertThatCode(() -> validator.validate("RunJobFlowInput", body)).doesNotThrowAnyException();
    }

    @Test
    void nestedListElementPathsCountFromOne() throws Exception {
        ObjectNode body = validRunJobFlow();
        ((ArrayNode) body.get("Steps")).addObject()
                .put("Name", "second")
                .putObject("HadoopJarStep").put("Jar", "a.jar").putArray("Args").add("ok").add(7);

        assertThat(rejection(body)).hasMessage("1 validation error detected: Value 7 at 'steps.2.member.hadoopJarStep.args.2.member'"
                + " failed to satisfy constraint: Member must be a string");
    }

    @Test
    void nullListElementIsRejected() throws Exception {
        ObjectNode body = validRunJobFlow();
        ((ObjectNode) body.get("Steps").get(0).get("HadoopJarStep")).putArray("Args").addNull();

        assertThat(rejection(body)).hasMessage("1 validation error detected: Value null at 'steps.1.member.hadoopJarStep.args.1.member'"
                + " failed to satisfy constraint: Member must not be null");
    }

    @Test
    void missingRequiredMemberOfListElementIsReportedWithItsPath() throws Exception {
        ObjectNode body = validRunJobFlow();
        ((ObjectNode) body.get("Instances").get("InstanceGroups").get(0)).remove("InstanceCount");

        assertThat(rejection(body)).hasMessage("1 validation error detected: Value null at 'instances.instanceGroups.1.member.instanceCount'"
                + " failed to satisfy constraint: Member must not be null");
    }

    @Test
    void mapValuesAreCheckedUnderTheirKey() throws Exception {
        ObjectNode body = validRunJobFlow();
        ((ObjectNode) body.get("Configurations").get(0).get("Properties")).put("spark.executor.cores", 4);

        assertThat(rejection(body)).hasMessage("1 validation error detected:"
                + " Value 4 at 'configurations.1.member.properties.spark.executor.cores' failed to satisfy constraint: Member must be a string");
    }
}
