package io.hearth.server.emr;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.server.cluster.Configuration;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The EMR request and response shapes Hearth reads and writes, named as in the EMR service
 * model. Record components map to PascalCase members (see AwsJson); members Hearth does not use
 * are left out of requests (they are still validated against the model, and kept with the
 * cluster) and null members are left out of responses.
 */
final class EmrShapes {
    private EmrShapes() {}

    // ------------------------------------------------------------------ requests

    record RunJobFlowRequest(
            String name,
            String logUri,
            String amiVersion,
            String releaseLabel,
            JobFlowInstancesConfig instances,
            List<StepConfig> steps,
            List<BootstrapActionConfig> bootstrapActions,
            List<Application> applications,
            List<Configuration> configurations,
            List<Tag> tags,
            Integer stepConcurrencyLevel,
            AutoTerminationPolicy autoTerminationPolicy) {}

    record JobFlowInstancesConfig(
            String masterInstanceType,
            String slaveInstanceType,
            Integer instanceCount,
            List<InstanceGroupConfig> instanceGroups,
            List<JsonNode> instanceFleets,
            Boolean keepJobFlowAliveWhenNoSteps,
            Boolean terminationProtected) {}

    record InstanceGroupConfig(
            String name,
            String market,
            String instanceRole,
            String bidPrice,
            String instanceType,
            Integer instanceCount,
            List<Configuration> configurations) {}

    record StepConfig(String name, String actionOnFailure, HadoopJarStepConfig hadoopJarStep, StepMonitoringConfiguration stepMonitoringConfiguration) {}

    record HadoopJarStepConfig(List<KeyValue> properties, String jar, String mainClass, List<String> args) {}

    record KeyValue(String key, String value) {}

    record StepMonitoringConfiguration(S3MonitoringConfiguration s3MonitoringConfiguration) {}

    record S3MonitoringConfiguration(String logUri, String encryptionKeyArn) {}

    record BootstrapActionConfig(String name, ScriptBootstrapActionConfig scriptBootstrapAction) {}

    record ScriptBootstrapActionConfig(String path, List<String> args) {}

    record Application(String name, String version, List<String> args, Map<String, String> additionalInfo) {}

    record Tag(String key, String value) {}

    record AutoTerminationPolicy(Long idleTimeout) {}

    record ClusterIdRequest(String clusterId) {}

    record ListClustersRequest(BigDecimal createdAfter, BigDecimal createdBefore, List<String> clusterStates, String marker) {}

    record JobFlowIdsRequest(List<String> jobFlowIds) {}

    record SetTerminationProtectionRequest(List<String> jobFlowIds, Boolean terminationProtected) {}

    record SetKeepJobFlowAliveWhenNoStepsRequest(List<String> jobFlowIds, Boolean keepJobFlowAliveWhenNoSteps) {}

    record ModifyClusterRequest(String clusterId, Integer stepConcurrencyLevel) {}

    record AddJobFlowStepsRequest(String jobFlowId, List<StepConfig> steps, String executionRoleArn) {}

    record ListStepsRequest(String clusterId, List<String> stepStates, List<String> stepIds, String marker) {}

    record DescribeStepRequest(String clusterId, String stepId) {}

    record CancelStepsRequest(String clusterId, List<String> stepIds, String stepCancellationOption) {}

    record MarkerRequest(String clusterId, String marker) {}

    record ListInstancesRequest(String clusterId, String instanceGroupId, List<String> instanceGroupTypes, List<String> instanceStates, String marker) {}

    record AddTagsRequest(String resourceId, List<Tag> tags) {}

    record RemoveTagsRequest(String resourceId, List<String> tagKeys) {}

    record PutAutoTerminationPolicyRequest(String clusterId, AutoTerminationPolicy autoTerminationPolicy) {}

    record ListReleaseLabelsRequest(ReleaseLabelFilter filters, String nextToken, Integer maxResults) {}

    record ReleaseLabelFilter(String prefix, String application) {}

    record DescribeReleaseLabelRequest(String releaseLabel, String nextToken, Integer maxResults) {}

    // ------------------------------------------------------------------ responses

    record RunJobFlowResponse(String jobFlowId, String clusterArn) {}

    record DescribeClusterResponse(ClusterDescription cluster) {}

    record ClusterDescription(
            String id,
            String name,
            ClusterStatus status,
            JsonNode ec2InstanceAttributes,
            String instanceCollectionType,
            String logUri,
            String releaseLabel,
            Boolean autoTerminate,
            Boolean terminationProtected,
            Boolean visibleToAllUsers,
            List<Application> applications,
            List<Tag> tags,
            String serviceRole,
            Integer normalizedInstanceHours,
            String masterPublicDnsName,
            List<Configuration> configurations,
            String securityConfiguration,
            String autoScalingRole,
            String scaleDownBehavior,
            String customAmiId,
            Integer ebsRootVolumeSize,
            String clusterArn,
            Integer stepConcurrencyLevel,
            @JsonProperty("OSReleaseLabel") String osReleaseLabel) {}

    record ClusterStatus(String state, StateChangeReason stateChangeReason, ClusterTimeline timeline) {}

    record StateChangeReason(String code, String message) {}

    record ClusterTimeline(Instant creationDateTime, Instant readyDateTime, Instant endDateTime) {}

    record ListClustersResponse(List<ClusterSummary> clusters, String marker) {}

    record ClusterSummary(String id, String name, ClusterStatus status, Integer normalizedInstanceHours, String clusterArn) {}

    record ModifyClusterResponse(Integer stepConcurrencyLevel) {}

    record AddJobFlowStepsResponse(List<String> stepIds) {}

    record DescribeStepResponse(StepDescription step) {}

    record StepDescription(String id, String name, HadoopStepConfig config, String actionOnFailure, StepStatus status, String logUri,
            String encryptionKeyArn, String executionRoleArn) {}

    record HadoopStepConfig(String jar, Map<String, String> properties, String mainClass, List<String> args) {}

    record StepStatus(String state, StateChangeReason stateChangeReason, FailureDetails failureDetails, StepTimeline timeline) {}

    record FailureDetails(String reason, String message, String logFile) {}

    record StepTimeline(Instant creationDateTime, Instant startDateTime, Instant endDateTime) {}

    record ListStepsResponse(List<StepDescription> steps, String marker) {}

    record CancelStepsResponse(List<CancelStepsInfo> cancelStepsInfoList) {}

    record CancelStepsInfo(String stepId, String status, String reason) {}

    record ListInstanceGroupsResponse(List<InstanceGroupDescription> instanceGroups, String marker) {}

    record InstanceGroupDescription(
            String id,
            String name,
            String market,
            String instanceGroupType,
            String bidPrice,
            String instanceType,
            Integer requestedInstanceCount,
            Integer runningInstanceCount,
            InstanceGroupStatus status,
            JsonNode configurations,
            Long configurationsVersion,
            List<JsonNode> ebsBlockDevices) {}

    record InstanceGroupStatus(String state, StateChangeReason stateChangeReason, ClusterTimeline timeline) {}

    record ListInstancesResponse(List<InstanceDescription> instances, String marker) {}

    record InstanceDescription(
            String id,
            String ec2InstanceId,
            String publicDnsName,
            String publicIpAddress,
            String privateDnsName,
            String privateIpAddress,
            InstanceStatus status,
            String instanceGroupId,
            String market,
            String instanceType,
            List<JsonNode> ebsVolumes) {}

    record InstanceStatus(String state, StateChangeReason stateChangeReason, ClusterTimeline timeline) {}

    record ListBootstrapActionsResponse(List<Command> bootstrapActions, String marker) {}

    record Command(String name, String scriptPath, List<String> args) {}

    record GetAutoTerminationPolicyResponse(AutoTerminationPolicy autoTerminationPolicy) {}

    record ListReleaseLabelsResponse(List<String> releaseLabels, String nextToken) {}

    record DescribeReleaseLabelResponse(String releaseLabel, List<SimplifiedApplication> applications, String nextToken,
            List<OsRelease> availableOSReleases) {}

    record SimplifiedApplication(String name, String version) {}

    record OsRelease(String label) {}
}
