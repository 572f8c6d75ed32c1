package io.hearth.server.emr;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.server.HearthException;
import io.hearth.server.aws.AwsErrorDialect;
import io.hearth.server.aws.AwsRequest;
import io.hearth.server.aws.AwsService;
import io.hearth.server.aws.OperationTable;
import io.hearth.server.aws.ServiceModel;
import io.hearth.server.cluster.BootstrapAction;
import io.hearth.server.cluster.Cluster;
import io.hearth.server.cluster.ClusterDefinition;
import io.hearth.server.cluster.ClusterManager;
import io.hearth.server.cluster.ClusterState;
import io.hearth.server.cluster.Instance;
import io.hearth.server.cluster.InstanceGroup;
import io.hearth.server.cluster.InstanceGroupDefinition;
import io.hearth.server.cluster.InstanceRole;
import io.hearth.server.emr.EmrShapes.AddJobFlowStepsRequest;
import io.hearth.server.emr.EmrShapes.AddJobFlowStepsResponse;
import io.hearth.server.emr.EmrShapes.AddTagsRequest;
import io.hearth.server.emr.EmrShapes.Application;
import io.hearth.server.emr.EmrShapes.AutoTerminationPolicy;
import io.hearth.server.emr.EmrShapes.CancelStepsInfo;
import io.hearth.server.emr.EmrShapes.CancelStepsRequest;
import io.hearth.server.emr.EmrShapes.CancelStepsResponse;
import io.hearth.server.emr.EmrShapes.ClusterIdRequest;
import io.hearth.server.emr.EmrShapes.Command;
import io.hearth.server.emr.EmrShapes.DescribeClusterResponse;
import io.hearth.server.emr.EmrShapes.DescribeReleaseLabelRequest;
import io.hearth.server.emr.EmrShapes.DescribeReleaseLabelResponse;
import io.hearth.server.emr.EmrShapes.DescribeStepRequest;
import io.hearth.server.emr.EmrShapes.DescribeStepResponse;
import io.hearth.server.emr.EmrShapes.GetAutoTerminationPolicyResponse;
import io.hearth.server.emr.EmrShapes.InstanceGroupConfig;
import io.hearth.server.emr.EmrShapes.JobFlowIdsRequest;
import io.hearth.server.emr.EmrShapes.JobFlowInstancesConfig;
import io.hearth.server.emr.EmrShapes.KeyValue;
import io.hearth.server.emr.EmrShapes.ListBootstrapActionsResponse;
import io.hearth.server.emr.EmrShapes.ListClustersRequest;
import io.hearth.server.emr.EmrShapes.ListClustersResponse;
import io.hearth.server.emr.EmrShapes.ListInstanceGroupsResponse;
import io.hearth.server.emr.EmrShapes.ListInstancesRequest;
import io.hearth.server.emr.EmrShapes.ListInstancesResponse;
import io.hearth.server.emr.EmrShapes.ListReleaseLabelsRequest;
import io.hearth.server.emr.EmrShapes.ListReleaseLabelsResponse;
import io.hearth.server.emr.EmrShapes.ListStepsRequest;
import io.hearth.server.emr.EmrShapes.ListStepsResponse;
import io.hearth.server.emr.EmrShapes.MarkerRequest;
import io.hearth.server.emr.EmrShapes.ModifyClusterRequest;
import io.hearth.server.emr.EmrShapes.ModifyClusterResponse;
import io.hearth.server.emr.EmrShapes.OsRelease;
import io.hearth.server.emr.EmrShapes.PutAutoTerminationPolicyRequest;
import io.hearth.server.emr.EmrShapes.RemoveTagsRequest;
import io.hearth.server.emr.EmrShapes.RunJobFlowRequest;
import io.hearth.server.emr.EmrShapes.RunJobFlowResponse;
import io.hearth.server.emr.EmrShapes.SetKeepJobFlowAliveWhenNoStepsRequest;
import io.hearth.server.emr.EmrShapes.SetTerminationProtectionRequest;
import io.hearth.server.emr.EmrShapes.SimplifiedApplication;
import io.hearth.server.emr.EmrShapes.StepConfig;
import io.hearth.server.emr.EmrShapes.Tag;
import io.hearth.server.release.ReleaseLabels;
import io.hearth.server.step.ActionOnFailure;
import io.hearth.server.step.CancelStepResult;
import io.hearth.server.step.Step;
import io.hearth.server.step.StepDefinition;
import io.hearth.server.step.StepState;
import io.hearth.server.step.StopRequest;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Amazon EMR (ElasticMapReduce, 2009-03-31) over AWS JSON 1.1: turns EMR requests into calls on
 * the cluster manager and its results into EMR responses, with EMR's defaults and error types.
 * Its length (about 450 lines) is one short method per EMR operation, about thirty, each a
 * translation only: the work is the cluster manager's.
 */
public final class EmrService implements AwsService {
    /** EMR returns at most 50 clusters or steps per page. */
    static final int PAGE_SIZE = 50;

    private final ServiceModel model;
    private final ClusterManager clusters;
    private final OperationTable operations;
    private final EmrResponses responses;

    public EmrService(ServiceModel model, ObjectMapper mapper, ClusterManager clusters, String accountId) {
        this.model = requireNonNull(model, "model is null");
        this.clusters = requireNonNull(clusters, "clusters is null");
        this.responses = new EmrResponses(clusters, requireNonNull(accountId, "accountId is null"));
        this.operations = new OperationTable(mapper, "EMR")
                .onWithJson("RunJobFlow", RunJobFlowRequest.class, (input, json, request) -> runJobFlow(input, (ObjectNode) json, request))
                .on("DescribeCluster", ClusterIdRequest.class, this::describeCluster)
                .on("ListClusters", ListClustersRequest.class, this::listClusters)
                .on("TerminateJobFlows", JobFlowIdsRequest.class, this::terminateJobFlows)
                .on("SetTerminationProtection", SetTerminationProtectionRequest.class, this::setTerminationProtection)
                .on("SetKeepJobFlowAliveWhenNoSteps", SetKeepJobFlowAliveWhenNoStepsRequest.class, this::setKeepJobFlowAlive)
                .on("SetVisibleToAllUsers", JobFlowIdsRequest.class, this::setVisibleToAllUsers)
                .on("ModifyCluster", ModifyClusterRequest.class, this::modifyCluster)
                .on("AddJobFlowSteps", AddJobFlowStepsRequest.class, this::addJobFlowSteps)
                .on("ListSteps", ListStepsRequest.class, this::listSteps)
                .on("DescribeStep", DescribeStepRequest.class, this::describeStep)
                .on("CancelSteps", CancelStepsRequest.class, this::cancelSteps)
                .on("ListInstanceGroups", MarkerRequest.class, this::listInstanceGroups)
                .on("ListInstances", ListInstancesRequest.class, this::listInstances)
                .on("ListBootstrapActions", MarkerRequest.class, this::listBootstrapActions)
                .on("AddTags", AddTagsRequest.class, this::addTags)
                .on("RemoveTags", RemoveTagsRequest.class, this::removeTags)
                .on("PutAutoTerminationPolicy", PutAutoTerminationPolicyRequest.class, this::putAutoTerminationPolicy)
                .on("GetAutoTerminationPolicy", ClusterIdRequest.class, this::getAutoTerminationPolicy)
                .on("RemoveAutoTerminationPolicy", ClusterIdRequest.class, this::removeAutoTerminationPolicy)
                .on("ListReleaseLabels", ListReleaseLabelsRequest.class, this::listReleaseLabels)
                .on("DescribeReleaseLabel", DescribeReleaseLabelRequest.class, this::describeReleaseLabel);
    }

    @Override
    public ServiceModel model() {
        return model;
    }

    @Override
    public void checkSupported(String operation) {
        operations.checkSupported(operation);
    }

    @Override
    public Object invoke(String operation, JsonNode input, AwsRequest request) {
        return operations.invoke(operation, input, request);
    }

    @Override
    public AwsErrorDialect errorDialect() {
        return AwsErrorDialect.EMR;
    }

    // ------------------------------------------------------------------ clusters

    /** The request itself (without its steps) is kept with the cluster, to describe it back. */
    private RunJobFlowResponse runJobFlow(RunJobFlowRequest input, ObjectNode raw, AwsRequest request) {
        if (input.releaseLabel() == null) {
            throw HearthException.invalidArgument(input.amiVersion() != null
                    ? "AmiVersion is not supported: Hearth runs EMR release labels; give ReleaseLabel (for example emr-7.1.0)"
                    : "ReleaseLabel is required (for example emr-7.1.0)");
        }
        ObjectNode stored = raw.deepCopy();
        stored.remove("Steps");
        JobFlowInstancesConfig instances = input.instances();
        Long idleTimeout = input.autoTerminationPolicy() == null ? null
                : input.autoTerminationPolicy().idleTimeout() == null ? 3600L : input.autoTerminationPolicy().idleTimeout();
        ClusterDefinition definition = new ClusterDefinition(
                input.name(),
                input.releaseLabel(),
                input.logUri(),
                Boolean.TRUE.equals(instances.keepJobFlowAliveWhenNoSteps()),
                Boolean.TRUE.equals(instances.terminationProtected()),
                input.stepConcurrencyLevel() == null ? 1 : input.stepConcurrencyLevel(),
                idleTimeout,
                instanceGroups(instances),
                bootstrapActions(input),
                input.configurations() == null ? List.of() : input.configurations(),
                tags(input.tags()),
                stepDefinitions(input.steps(), "Steps"),
                stored);
        checkApplications(input.applications());
        Cluster cluster = clusters.createCluster(definition, request.accessKeyId());
        return new RunJobFlowResponse(cluster.id(), responses.clusterArn(cluster, request));
    }

    private static void checkApplications(List<Application> applications) {
        if (applications == null) {
            return;
        }
        for (int i = 0; i < applications.size(); i++) {
            String name = applications.get(i).name();
            ReleaseLabels.canonicalApplication(name == null ? "" : name, "Applications." + (i + 1) + ".Name");
        }
    }

    private static List<InstanceGroupDefinition> instanceGroups(JobFlowInstancesConfig instances) {
        if (instances.instanceFleets() != null && !instances.instanceFleets().isEmpty()) {
            throw HearthException.invalidArgument("Instances.InstanceFleets are not supported by Hearth; use Instances.InstanceGroups");
        }
        List<InstanceGroupDefinition> groups = new ArrayList<>();
        if (instances.instanceGroups() != null && !instances.instanceGroups().isEmpty()) {
            for (InstanceGroupConfig group : instances.instanceGroups()) {
                InstanceRole role = InstanceRole.valueOf(group.instanceRole());
                groups.add(new InstanceGroupDefinition(
                        group.name() == null ? role.name() : group.name(),
                        role,
                        group.instanceType(),
                        group.instanceCount(),
                        group.market() == null ? (group.bidPrice() == null ? "ON_DEMAND" : "SPOT") : group.market(),
                        group.bidPrice(),
                        group.configurations() == null ? List.of() : group.configurations()));
            }
            return groups;
        }
        if (instances.masterInstanceType() == null) {
            throw HearthException.invalidArgument("Instances must give InstanceGroups, or MasterInstanceType (with SlaveInstanceType and InstanceCount)");
        }
        int count = instances.instanceCount() == null ? 1 : instances.instanceCount();
        if (count < 1) {
            throw HearthException.invalidArgument("Instances.InstanceCount must be at least 1, not %d", count);
        }
        groups.add(new InstanceGroupDefinition("MASTER", InstanceRole.MASTER, instances.masterInstanceType(), 1, "ON_DEMAND", null, List.of()));
        if (count > 1) {
            String coreType = instances.slaveInstanceType() == null ? instances.masterInstanceType() : instances.slaveInstanceType();
            groups.add(new InstanceGroupDefinition("CORE", InstanceRole.CORE, coreType, count - 1, "ON_DEMAND", null, List.of()));
        }
        return groups;
    }

    private static List<BootstrapAction> bootstrapActions(RunJobFlowRequest input) {
        List<BootstrapAction> actions = new ArrayList<>();
        if (input.bootstrapActions() != null) {
            for (int i = 0; i < input.bootstrapActions().size(); i++) {
                EmrShapes.BootstrapActionConfig action = input.bootstrapActions().get(i);
                List<String> args = action.scriptBootstrapAction().args() == null ? List.of() : action.scriptBootstrapAction().args();
                actions.add(new BootstrapAction(i + 1, action.name(), action.scriptBootstrapAction().path(), args));
            }
        }
        return actions;
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> map = new LinkedHashMap<>();
        if (tags != null) {
            for (Tag tag : tags) {
                if (tag.key() == null || tag.key().isEmpty()) {
                    throw HearthException.invalidArgument("Tags: every tag needs a Key");
                }
                map.put(tag.key(), tag.value() == null ? "" : tag.value());
            }
        }
        return map;
    }

    private DescribeClusterResponse describeCluster(ClusterIdRequest input, AwsRequest request) {
        return new DescribeClusterResponse(responses.cluster(clusters.getCluster(input.clusterId()), request));
    }

    private ListClustersResponse listClusters(ListClustersRequest input, AwsRequest request) {
        Set<ClusterState> states = EnumSet.noneOf(ClusterState.class);
        if (input.clusterStates() != null) {
            input.clusterStates().forEach(state -> states.add(ClusterState.valueOf(state)));
        }
        Long beforeSeq = Markers.decode(input.marker(), "Marker");
        List<Cluster> page = clusters.listClusters(states, instant(input.createdAfter()), instant(input.createdBefore()), beforeSeq, PAGE_SIZE + 1);
        List<EmrShapes.ClusterSummary> summaries = page.stream().limit(PAGE_SIZE).map(cluster -> responses.clusterSummary(cluster, request)).toList();
        String marker = page.size() > PAGE_SIZE ? Markers.encode(page.get(PAGE_SIZE - 1).seq()) : null;
        return new ListClustersResponse(summaries, marker);
    }

    private Object terminateJobFlows(JobFlowIdsRequest input, AwsRequest request) {
        clusters.terminateClusters(input.jobFlowIds());
        return null;
    }

    private Object setTerminationProtection(SetTerminationProtectionRequest input, AwsRequest request) {
        clusters.setTerminationProtection(input.jobFlowIds(), input.terminationProtected());
        return null;
    }

    private Object setKeepJobFlowAlive(SetKeepJobFlowAliveWhenNoStepsRequest input, AwsRequest request) {
        clusters.setKeepAliveWhenNoSteps(input.jobFlowIds(), input.keepJobFlowAliveWhenNoSteps());
        return null;
    }

    private Object setVisibleToAllUsers(JobFlowIdsRequest input, AwsRequest request) {
        // Every Hearth cluster is visible to every caller; the call only checks the clusters exist.
        input.jobFlowIds().forEach(clusters::getCluster);
        return null;
    }

    private ModifyClusterResponse modifyCluster(ModifyClusterRequest input, AwsRequest request) {
        Cluster cluster = clusters.getCluster(input.clusterId());
        if (input.stepConcurrencyLevel() == null) {
            return new ModifyClusterResponse(cluster.stepConcurrencyLevel());
        }
        return new ModifyClusterResponse(clusters.setStepConcurrencyLevel(input.clusterId(), input.stepConcurrencyLevel()));
    }

    private Object putAutoTerminationPolicy(PutAutoTerminationPolicyRequest input, AwsRequest request) {
        Long idleTimeout = input.autoTerminationPolicy() == null || input.autoTerminationPolicy().idleTimeout() == null
                ? 3600L : input.autoTerminationPolicy().idleTimeout();
        clusters.putAutoTerminationPolicy(input.clusterId(), idleTimeout);
        return null;
    }

    private GetAutoTerminationPolicyResponse getAutoTerminationPolicy(ClusterIdRequest input, AwsRequest request) {
        return clusters.autoTerminationPolicy(input.clusterId())
                .map(timeout -> new GetAutoTerminationPolicyResponse(new AutoTerminationPolicy(timeout)))
                .orElse(new GetAutoTerminationPolicyResponse(null));
    }

    private Object removeAutoTerminationPolicy(ClusterIdRequest input, AwsRequest request) {
        clusters.removeAutoTerminationPolicy(input.clusterId());
        return null;
    }

    private Object addTags(AddTagsRequest input, AwsRequest request) {
        clusters.addTags(input.resourceId(), tags(input.tags()));
        return null;
    }

    private Object removeTags(RemoveTagsRequest input, AwsRequest request) {
        clusters.removeTags(input.resourceId(), input.tagKeys());
        return null;
    }

    private ListInstanceGroupsResponse listInstanceGroups(MarkerRequest input, AwsRequest request) {
        List<InstanceGroup> groups = clusters.instanceGroups(input.clusterId());
        List<Instance> instances = clusters.instances(input.clusterId());
        return new ListInstanceGroupsResponse(groups.stream().map(group -> responses.instanceGroup(group, instances)).toList(), null);
    }

    private ListInstancesResponse listInstances(ListInstancesRequest input, AwsRequest request) {
        Map<String, InstanceGroup> groups = new LinkedHashMap<>();
        clusters.instanceGroups(input.clusterId()).forEach(group -> groups.put(group.id(), group));
        Set<String> roles = input.instanceGroupTypes() == null ? Set.of() : Set.copyOf(input.instanceGroupTypes());
        Set<String> states = input.instanceStates() == null ? Set.of() : Set.copyOf(input.instanceStates());
        List<EmrShapes.InstanceDescription> instances = clusters.instances(input.clusterId()).stream()
                .filter(instance -> input.instanceGroupId() == null || instance.instanceGroupId().equals(input.instanceGroupId()))
                .filter(instance -> roles.isEmpty() || roles.contains(instance.role().name()))
                .filter(instance -> states.isEmpty() || states.contains(instance.state().name()))
                .map(instance -> responses.instance(instance, groups.get(instance.instanceGroupId())))
                .toList();
        return new ListInstancesResponse(instances, null);
    }

    private ListBootstrapActionsResponse listBootstrapActions(MarkerRequest input, AwsRequest request) {
        List<Command> commands = clusters.bootstrapActions(input.clusterId()).stream()
                .map(action -> new Command(action.name(), action.path(), action.args()))
                .toList();
        return new ListBootstrapActionsResponse(commands, null);
    }

    // ------------------------------------------------------------------ steps

    private AddJobFlowStepsResponse addJobFlowSteps(AddJobFlowStepsRequest input, AwsRequest request) {
        List<StepDefinition> definitions = stepDefinitions(input.steps(), "Steps");
        return new AddJobFlowStepsResponse(clusters.addSteps(input.jobFlowId(), definitions, request.accessKeyId()));
    }

    /** StepConfigs to step definitions; ActionOnFailure defaults to CONTINUE, as the aws CLI and the console send. */
    private static List<StepDefinition> stepDefinitions(List<StepConfig> steps, String member) {
        List<StepDefinition> definitions = new ArrayList<>();
        if (steps == null) {
            return definitions;
        }
        for (int i = 0; i < steps.size(); i++) {
            StepConfig step = steps.get(i);
            EmrShapes.HadoopJarStepConfig jarStep = step.hadoopJarStep();
            Map<String, String> properties = new LinkedHashMap<>();
            if (jarStep.properties() != null) {
                for (KeyValue property : jarStep.properties()) {
                    if (property.key() == null || property.key().isEmpty()) {
                        throw HearthException.invalidArgument("%s.%d.HadoopJarStep.Properties: every property needs a Key", member, i + 1);
                    }
                    properties.put(property.key(), property.value() == null ? "" : property.value());
                }
            }
            EmrShapes.S3MonitoringConfiguration monitoring = step.stepMonitoringConfiguration() == null ? null
                    : step.stepMonitoringConfiguration().s3MonitoringConfiguration();
            definitions.add(new StepDefinition(
                    step.name(),
                    step.actionOnFailure() == null ? ActionOnFailure.CONTINUE : ActionOnFailure.valueOf(step.actionOnFailure()),
                    jarStep.jar(),
                    jarStep.mainClass(),
                    jarStep.args() == null ? List.of() : jarStep.args(),
                    properties,
                    monitoring == null ? null : monitoring.logUri(),
                    monitoring == null ? null : monitoring.encryptionKeyArn()));
        }
        return definitions;
    }

    private ListStepsResponse listSteps(ListStepsRequest input, AwsRequest request) {
        Set<StepState> states = EnumSet.noneOf(StepState.class);
        if (input.stepStates() != null) {
            input.stepStates().forEach(state -> states.add(StepState.valueOf(state)));
        }
        List<String> ids = input.stepIds() == null ? List.of() : input.stepIds();
        Long beforeSeq = Markers.decode(input.marker(), "Marker");
        List<Step> page = clusters.listSteps(input.clusterId(), states, ids, beforeSeq, PAGE_SIZE + 1);
        String marker = page.size() > PAGE_SIZE ? Markers.encode(page.get(PAGE_SIZE - 1).seq()) : null;
        return new ListStepsResponse(page.stream().limit(PAGE_SIZE).map(EmrResponses::step).toList(), marker);
    }

    private DescribeStepResponse describeStep(DescribeStepRequest input, AwsRequest request) {
        return new DescribeStepResponse(EmrResponses.step(clusters.getStep(input.clusterId(), input.stepId())));
    }

    private CancelStepsResponse cancelSteps(CancelStepsRequest input, AwsRequest request) {
        StopRequest option = "TERMINATE_PROCESS".equals(input.stepCancellationOption())
                ? StopRequest.CANCEL_TERMINATE_PROCESS
                : StopRequest.CANCEL_SEND_INTERRUPT;
        List<CancelStepResult> results = clusters.cancelSteps(input.clusterId(), input.stepIds(), option);
        return new CancelStepsResponse(results.stream()
                .map(result -> new CancelStepsInfo(result.stepId(), result.submitted() ? "SUBMITTED" : "FAILED", result.reason()))
                .toList());
    }

    // ------------------------------------------------------------------ release labels

    private ListReleaseLabelsResponse listReleaseLabels(ListReleaseLabelsRequest input, AwsRequest request) {
        String prefix = input.filters() == null ? null : input.filters().prefix();
        String application = input.filters() == null ? null : input.filters().application();
        List<String> labels = ReleaseLabels.listed().stream()
                .filter(label -> prefix == null || label.startsWith(prefix))
                .filter(label -> application == null || runsApplication(application))
                .toList();
        int maxResults = input.maxResults() == null ? labels.size() : input.maxResults();
        int start = input.nextToken() == null ? 0 : Math.toIntExact(Markers.decode(input.nextToken(), "NextToken"));
        int end = Math.min(labels.size(), start + Math.max(1, maxResults));
        String next = end < labels.size() ? Markers.encode(end) : null;
        return new ListReleaseLabelsResponse(start >= labels.size() ? List.of() : labels.subList(start, end), next);
    }

    /** Application filters look like {@code spark} or {@code spark@3.5.1}. */
    private static boolean runsApplication(String filter) {
        String[] parts = filter.split("@", 2);
        for (Map.Entry<String, String> application : ReleaseLabels.APPLICATIONS.entrySet()) {
            if (application.getKey().equalsIgnoreCase(parts[0]) && (parts.length == 1 || application.getValue().startsWith(parts[1]))) {
                return true;
            }
        }
        return false;
    }

    private DescribeReleaseLabelResponse describeReleaseLabel(DescribeReleaseLabelRequest input, AwsRequest request) {
        String label = input.releaseLabel() == null ? ReleaseLabels.listed().get(0) : input.releaseLabel();
        ReleaseLabels.check(label, "ReleaseLabel");
        List<SimplifiedApplication> applications = ReleaseLabels.APPLICATIONS.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(application -> new SimplifiedApplication(application.getKey().toLowerCase(Locale.ROOT), application.getValue()))
                .toList();
        return new DescribeReleaseLabelResponse(label, applications, null, List.of(new OsRelease("hearth-local")));
    }

    private static Instant instant(BigDecimal epochSeconds) {
        return epochSeconds == null ? null : Instant.ofEpochMilli(epochSeconds.movePointRight(3).longValue());
    }
}
