package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import io.hearth.server.release.ReleaseLabels;
import io.hearth.server.step.ActionOnFailure;
import io.hearth.server.step.Step;
import io.hearth.server.step.StepCommandBuilder;
import io.hearth.server.step.StepDefinition;
import io.hearth.server.step.StepState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a cluster definition against what Hearth can run and turns it into the records to store:
 * the cluster, its instance groups and instances (with Spark resources sized for this machine)
 * and its first steps. Every error names the request member at fault.
 */
final class ClusterPlanner {
    static final int MAX_BOOTSTRAP_ACTIONS = 16;
    static final int MAX_INSTANCES = 64;

    /** Everything a new cluster is stored with. */
    record Plan(Cluster cluster, List<InstanceGroup> groups, List<Instance> instances, List<Step> steps) {}


    private final ClusterSizing sizing;

    ClusterPlanner(ClusterSizing sizing) {
        this.sizing = requireNonNull(sizing, "sizing is null");
    }

    Plan plan(ClusterDefinition definition, String owner, Instant now) {
        ReleaseLabels.check(definition.releaseLabel(), "ReleaseLabel");
        checkInstanceGroups(definition.instanceGroups());
        ConfigurationClassifications.validate(definition.configurations(), "Configurations");
        for (int i = 0; i < definition.instanceGroups().size(); i++) {
            ConfigurationClassifications.validate(definition.instanceGroups().get(i).configurations(),
                    "Instances.InstanceGroups." + (i + 1) + ".Configurations");
        }
        if (definition.bootstrapActions().size() > MAX_BOOTSTRAP_ACTIONS) {
            throw HearthException.invalidArgument("BootstrapActions has %d actions; at most %d are allowed",
                    definition.bootstrapActions().size(), MAX_BOOTSTRAP_ACTIONS);
        }
        checkConcurrency(definition.stepConcurrencyLevel(), "StepConcurrencyLevel");
        if (definition.idleTimeoutSeconds() != null) {
            checkIdleTimeout(definition.idleTimeoutSeconds(), "AutoTerminationPolicy.IdleTimeout");
        }
        checkSteps(definition.steps(), definition.stepConcurrencyLevel(), "Steps");

        String clusterId = ResourceIds.newClusterId();
        Cluster cluster = new Cluster(0, clusterId, definition.name(), ClusterState.STARTING, StateChangeReason.message("Configuring cluster software"),
                now, null, null, definition.releaseLabel(), definition.logUri(), !definition.keepAliveWhenNoSteps(),
                definition.terminationProtected(), definition.stepConcurrencyLevel(), definition.idleTimeoutSeconds(), now, null, owner,
                definition.request());

        List<InstanceGroup> groups = new ArrayList<>();
        List<InstanceType> types = new ArrayList<>();
        List<Boolean> workers = new ArrayList<>();
        List<InstanceGroup> groupOfInstance = new ArrayList<>();
        int totalInstances = definition.instanceGroups().stream().mapToInt(InstanceGroupDefinition::count).sum();
        for (int i = 0; i < definition.instanceGroups().size(); i++) {
            InstanceGroupDefinition group = definition.instanceGroups().get(i);
            InstanceGroup stored = new InstanceGroup(ResourceIds.newInstanceGroupId(), clusterId, i, group.name(), group.role(), group.instanceType(),
                    group.count(), group.market(), group.bidPrice(), ConfigurationsJson.toTree(group.configurations()),
                    InstanceGroupState.PROVISIONING, StateChangeReason.NONE, now, null, null);
            groups.add(stored);
            InstanceType type = InstanceTypes.get(group.instanceType(), "Instances.InstanceGroups." + (i + 1) + ".InstanceType");
            for (int n = 0; n < group.count(); n++) {
                types.add(type);
                workers.add(group.role() != InstanceRole.MASTER || totalInstances == 1);
                groupOfInstance.add(stored);
            }
        }
        List<SparkResources> resources = sizing.size(types, workers);
        List<Instance> instances = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            InstanceGroup group = groupOfInstance.get(i);
            instances.add(new Instance(ResourceIds.newInstanceId(), clusterId, group.id(), ResourceIds.newEc2InstanceId(), i, group.role(),
                    group.instanceType(), InstanceState.PROVISIONING, StateChangeReason.NONE, now, null, null,
                    resources.get(i).cores(), resources.get(i).memoryMb(), null, null, null, null));
        }
        return new Plan(cluster, groups, instances, newSteps(clusterId, definition.steps(), owner, now));
    }

    static List<Step> newSteps(String clusterId, List<StepDefinition> definitions, String owner, Instant now) {
        List<Step> steps = new ArrayList<>();
        for (StepDefinition definition : definitions) {
            steps.add(new Step(0, ResourceIds.newStepId(), clusterId, definition.name(), definition.actionOnFailure(), definition.jar(),
                    definition.mainClass(), definition.args(), definition.properties(), definition.logUri(), definition.encryptionKeyArn(),
                    null, StepState.PENDING, null, null, null, now, null, null, null, null, null, null, owner));
        }
        return steps;
    }

    /** Step checks that need no cluster; at a concurrency above 1 only CONTINUE is a valid ActionOnFailure (as on EMR). */
    static void checkSteps(List<StepDefinition> steps, int concurrencyLevel, String member) {
        for (int i = 0; i < steps.size(); i++) {
            StepDefinition step = steps.get(i);
            String path = member + "." + (i + 1);
            StepCommandBuilder.validate(step.jar(), step.args(), path);
            if (concurrencyLevel > 1 && step.actionOnFailure() != ActionOnFailure.CONTINUE) {
                throw HearthException.invalidArgument(
                        "%s.ActionOnFailure setting is not valid: %s cannot be used when the cluster runs up to %d steps at a time (StepConcurrencyLevel %d); use CONTINUE",
                        path, step.actionOnFailure(), concurrencyLevel, concurrencyLevel);
            }
        }
    }

    static void checkConcurrency(int level, String member) {
        if (level < 1 || level > 256) {
            throw HearthException.invalidArgument("%s must be between 1 and 256, not %d", member, level);
        }
    }

    static void checkIdleTimeout(long seconds, String member) {
        if (seconds < 60 || seconds > 604_800) {
            throw HearthException.invalidArgument("%s must be between 60 and 604800 seconds (7 days), not %d", member, seconds);
        }
    }

    private static void checkInstanceGroups(List<InstanceGroupDefinition> groups) {
        long masters = groups.stream().filter(group -> group.role() == InstanceRole.MASTER).count();
        if (masters != 1) {
            throw HearthException.invalidArgument("Instances must define exactly one MASTER instance group, not %d", masters);
        }
        if (groups.stream().filter(group -> group.role() == InstanceRole.CORE).count() > 1) {
            throw HearthException.invalidArgument("Instances may define at most one CORE instance group");
        }
        int total = 0;
        for (int i = 0; i < groups.size(); i++) {
            InstanceGroupDefinition group = groups.get(i);
            String path = "Instances.InstanceGroups." + (i + 1);
            InstanceTypes.get(group.instanceType(), path + ".InstanceType");
            if (group.role() == InstanceRole.MASTER && group.count() != 1) {
                throw HearthException.invalidArgument("%s.InstanceCount of the MASTER group must be 1, not %d", path, group.count());
            }
            if (group.count() < 0) {
                throw HearthException.invalidArgument("%s.InstanceCount must not be negative", path);
            }
            total += group.count();
        }
        if (total > MAX_INSTANCES) {
            throw HearthException.invalidArgument("The cluster asks for %d instances; Hearth runs at most %d on one machine", total, MAX_INSTANCES);
        }
    }
}
