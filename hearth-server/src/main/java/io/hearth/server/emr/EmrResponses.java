package io.hearth.server.emr;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.server.aws.AwsJson;
import io.hearth.server.aws.AwsRequest;
import io.hearth.server.cluster.Cluster;
import io.hearth.server.cluster.ClusterManager;
import io.hearth.server.cluster.Configuration;
import io.hearth.server.cluster.Instance;
import io.hearth.server.cluster.InstanceGroup;
import io.hearth.server.cluster.InstanceState;
import io.hearth.server.emr.EmrShapes.Application;
import io.hearth.server.emr.EmrShapes.ClusterDescription;
import io.hearth.server.emr.EmrShapes.ClusterStatus;
import io.hearth.server.emr.EmrShapes.ClusterSummary;
import io.hearth.server.emr.EmrShapes.ClusterTimeline;
import io.hearth.server.emr.EmrShapes.FailureDetails;
import io.hearth.server.emr.EmrShapes.HadoopStepConfig;
import io.hearth.server.emr.EmrShapes.InstanceDescription;
import io.hearth.server.emr.EmrShapes.InstanceGroupDescription;
import io.hearth.server.emr.EmrShapes.InstanceGroupStatus;
import io.hearth.server.emr.EmrShapes.InstanceStatus;
import io.hearth.server.emr.EmrShapes.StateChangeReason;
import io.hearth.server.emr.EmrShapes.StepDescription;
import io.hearth.server.emr.EmrShapes.StepStatus;
import io.hearth.server.emr.EmrShapes.StepTimeline;
import io.hearth.server.emr.EmrShapes.Tag;
import io.hearth.server.release.ReleaseLabels;
import io.hearth.server.step.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Domain records to EMR response shapes. */
final class EmrResponses {
    private static final ObjectMapper AWS_JSON = AwsJson.newMapper();
    private static final Pattern SIZE = Pattern.compile("\\.(\\d*)(small|medium|large|xlarge)$");

    private final ClusterManager clusters;
    private final String accountId;

    EmrResponses(ClusterManager clusters, String accountId) {
        this.clusters = requireNonNull(clusters, "clusters is null");
        this.accountId = requireNonNull(accountId, "accountId is null");
    }

    String clusterArn(Cluster cluster, AwsRequest request) {
        return "arn:aws:elasticmapreduce:" + request.region() + ":" + accountId + ":cluster/" + cluster.id();
    }

    ClusterDescription cluster(Cluster cluster, AwsRequest request) {
        ObjectNode stored = cluster.request();
        JsonNode instances = stored.path("Instances");
        return new ClusterDescription(
                cluster.id(),
                cluster.name(),
                status(cluster),
                ec2InstanceAttributes(stored, instances),
                "INSTANCE_GROUP",
                cluster.logUri(),
                cluster.releaseLabel(),
                cluster.autoTerminate(),
                cluster.terminationProtected(),
                true,
                applications(stored),
                clusters.tags(cluster.id()).entrySet().stream().map(tag -> new Tag(tag.getKey(), tag.getValue())).toList(),
                text(stored, "ServiceRole"),
                normalizedInstanceHours(cluster),
                cluster.state().isUp() ? "localhost" : null,
                configurations(stored),
                text(stored, "SecurityConfiguration"),
                text(stored, "AutoScalingRole"),
                text(stored, "ScaleDownBehavior"),
                text(stored, "CustomAmiId"),
                stored.has("EbsRootVolumeSize") ? stored.get("EbsRootVolumeSize").asInt() : null,
                clusterArn(cluster, request),
                cluster.stepConcurrencyLevel(),
                text(stored, "OSReleaseLabel"));
    }

    ClusterSummary clusterSummary(Cluster cluster, AwsRequest request) {
        return new ClusterSummary(cluster.id(), cluster.name(), status(cluster), normalizedInstanceHours(cluster), clusterArn(cluster, request));
    }

    private static ClusterStatus status(Cluster cluster) {
        return new ClusterStatus(cluster.state().name(), reason(cluster.reason()),
                new ClusterTimeline(cluster.createdAt(), cluster.readyAt(), cluster.endedAt()));
    }

    private static StateChangeReason reason(io.hearth.server.cluster.StateChangeReason reason) {
        return new StateChangeReason(reason.code(), reason.message());
    }

    private static JsonNode ec2InstanceAttributes(ObjectNode stored, JsonNode instances) {
        ObjectNode attributes = AWS_JSON.createObjectNode();
        copy(instances, "Ec2KeyName", attributes, "Ec2KeyName");
        copy(instances, "Ec2SubnetId", attributes, "Ec2SubnetId");
        copy(instances, "Ec2SubnetIds", attributes, "RequestedEc2SubnetIds");
        copy(instances.path("Placement"), "AvailabilityZone", attributes, "Ec2AvailabilityZone");
        copy(instances.path("Placement"), "AvailabilityZones", attributes, "RequestedEc2AvailabilityZones");
        copy(stored, "JobFlowRole", attributes, "IamInstanceProfile");
        copy(instances, "EmrManagedMasterSecurityGroup", attributes, "EmrManagedMasterSecurityGroup");
        copy(instances, "EmrManagedSlaveSecurityGroup", attributes, "EmrManagedSlaveSecurityGroup");
        copy(instances, "ServiceAccessSecurityGroup", attributes, "ServiceAccessSecurityGroup");
        copy(instances, "AdditionalMasterSecurityGroups", attributes, "AdditionalMasterSecurityGroups");
        copy(instances, "AdditionalSlaveSecurityGroups", attributes, "AdditionalSlaveSecurityGroups");
        return attributes;
    }

    private static void copy(JsonNode from, String name, ObjectNode to, String as) {
        JsonNode value = from.get(name);
        if (value != null && !value.isNull()) {
            to.set(as, value);
        }
    }

    /** The applications asked for, with canonical names and the versions Hearth runs; Hadoop and Spark when none were named. */
    private static List<Application> applications(ObjectNode stored) {
        List<Application> applications = new ArrayList<>();
        JsonNode requested = stored.path("Applications");
        if (requested.isArray() && !requested.isEmpty()) {
            for (JsonNode application : requested) {
                String name = ReleaseLabels.canonicalApplication(application.path("Name").asText(), "Applications");
                applications.add(new Application(name, ReleaseLabels.APPLICATIONS.get(name), null, null));
            }
        } else {
            applications.add(new Application("Hadoop", ReleaseLabels.HADOOP_VERSION, null, null));
            applications.add(new Application("Spark", ReleaseLabels.SPARK_VERSION, null, null));
        }
        return applications;
    }

    private static List<Configuration> configurations(ObjectNode stored) {
        JsonNode configurations = stored.path("Configurations");
        if (!configurations.isArray()) {
            return List.of();
        }
        try {
            return List.of(AWS_JSON.treeToValue(configurations, Configuration[].class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return List.of();
        }
    }

    /**
     * EMR's normalized instance hours: each instance's started hours times its size factor
     * (small 1, medium 2, large 4, xlarge 8, and 8 per x of an Nxlarge).
     */
    private int normalizedInstanceHours(Cluster cluster) {
        Instant now = Instant.now();
        int total = 0;
        for (Instance instance : clusters.instances(cluster.id())) {
            if (instance.readyAt() == null) {
                continue;
            }
            Instant end = instance.endedAt() == null ? now : instance.endedAt();
            long hours = Math.max(1, (Duration.between(instance.readyAt(), end).toMinutes() + 59) / 60);
            total += (int) hours * sizeFactor(instance.instanceType());
        }
        return total;
    }

    static int sizeFactor(String instanceType) {
        Matcher matcher = SIZE.matcher(instanceType);
        if (!matcher.find()) {
            return 1;
        }
        return switch (matcher.group(2)) {
            case "small" -> 1;
            case "medium" -> 2;
            case "large" -> 4;
            default -> 8 * (matcher.group(1).isEmpty() ? 1 : Integer.parseInt(matcher.group(1)));
        };
    }

    static StepDescription step(Step step) {
        FailureDetails failure = step.failure() == null ? null
                : new FailureDetails(step.failure().reason(), step.failure().message(), step.failure().logFile());
        StepStatus status = new StepStatus(step.state().name(), new StateChangeReason(null, step.stateMessage()), failure,
                new StepTimeline(step.createdAt(), step.startedAt(), step.endedAt()));
        return new StepDescription(step.id(), step.name(), new HadoopStepConfig(step.jar(), step.properties(), step.mainClass(), step.args()),
                step.actionOnFailure().name(), status, step.logUri(), step.encryptionKeyArn(), step.executionRoleArn());
    }

    InstanceGroupDescription instanceGroup(InstanceGroup group, List<Instance> instances) {
        int running = (int) instances.stream()
                .filter(instance -> instance.instanceGroupId().equals(group.id()) && instance.state() == InstanceState.RUNNING)
                .count();
        return new InstanceGroupDescription(group.id(), group.name(), group.market(), group.role().name(), group.bidPrice(), group.instanceType(),
                group.requestedCount(), running,
                new InstanceGroupStatus(group.state().name(), reason(group.reason()), new ClusterTimeline(group.createdAt(), group.readyAt(), group.endedAt())),
                group.configurations(), 0L, List.of());
    }

    InstanceDescription instance(Instance instance, InstanceGroup group) {
        return new InstanceDescription(instance.id(), instance.ec2InstanceId(), "localhost", "127.0.0.1", "localhost", "127.0.0.1",
                new InstanceStatus(instance.state().name(), reason(instance.reason()),
                        new ClusterTimeline(instance.createdAt(), instance.readyAt(), instance.endedAt())),
                instance.instanceGroupId(), group == null ? "ON_DEMAND" : group.market(), instance.instanceType(), List.of());
    }

    private static String text(JsonNode node, String member) {
        JsonNode value = node.get(member);
        return value == null || value.isNull() ? null : value.asText();
    }
}
