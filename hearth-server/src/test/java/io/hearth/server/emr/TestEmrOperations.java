package io.hearth.server.emr;

import static io.hearth.server.testing.EmrRequests.awaitClusterState;
import static io.hearth.server.testing.EmrRequests.awaitStepState;
import static io.hearth.server.testing.EmrRequests.createCluster;
import static io.hearth.server.testing.EmrRequests.fakeStep;
import static io.hearth.server.testing.EmrRequests.singleInstanceCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.server.testing.TestingHearth;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.Application;
import software.amazon.awssdk.services.emr.model.BootstrapActionConfig;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.ClusterSummary;
import software.amazon.awssdk.services.emr.model.Command;
import software.amazon.awssdk.services.emr.model.Configuration;
import software.amazon.awssdk.services.emr.model.DescribeReleaseLabelResponse;
import software.amazon.awssdk.services.emr.model.EmrException;
import software.amazon.awssdk.services.emr.model.Instance;
import software.amazon.awssdk.services.emr.model.InstanceGroupConfig;
import software.amazon.awssdk.services.emr.model.InstanceGroupType;
import software.amazon.awssdk.services.emr.model.InstanceRoleType;
import software.amazon.awssdk.services.emr.model.JobFlowInstancesConfig;
import software.amazon.awssdk.services.emr.model.ListClustersResponse;
import software.amazon.awssdk.services.emr.model.ListStepsResponse;
import software.amazon.awssdk.services.emr.model.RunJobFlowRequest;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepState;
import software.amazon.awssdk.services.emr.model.StepSummary;
import software.amazon.awssdk.services.emr.model.Tag;

/** Every EMR operation Hearth serves, called with the AWS SDK for Java v2, including its paginators and waiters. */
class TestEmrOperations {
    private TestingHearth hearth;
    private EmrClient emr;

    @BeforeEach
    void start() {
        hearth = TestingHearth.builder().start();
        emr = hearth.emr();
    }

    @AfterEach
    void stop() {
        hearth.close();
    }

    @Test
    void describeClusterEchoesWhatTheClusterWasCreatedWith() {
        RunJobFlowRequest request = RunJobFlowRequest.builder()
                .name("described")
                .releaseLabel("emr-6.15.0")
                .logUri(hearth.dataDirectory().resolve("my-logs").toUri().toString())
                .applications(Application.builder().name("spark").build(), Application.builder().name("Hive").build())
                .configurations(Configuration.builder().classification("spark-defaults").properties(java.util.Map.of("spark.sql.shuffle.partitions", "7")).build())
                .serviceRole("EMR_DefaultRole")
                .jobFlowRole("EMR_EC2_DefaultRole")
                .tags(Tag.builder().key("team").value("ml").build(), Tag.builder().key("cost-center").value("").build())
                .stepConcurrencyLevel(3)
                .instances(JobFlowInstancesConfig.builder()
                        .instanceGroups(InstanceGroupConfig.builder().instanceRole(InstanceRoleType.MASTER).instanceType("r5.xlarge").instanceCount(1).build())
                        .ec2KeyName("my-key")
                        .keepJobFlowAliveWhenNoSteps(true)
                        .build())
                .build();
        String clusterId = createCluster(emr, request);
        Cluster cluster = emr.describeCluster(r -> r.clusterId(clusterId)).cluster();

        assertThat(cluster.name()).isEqualTo("described");
        assertThat(cluster.releaseLabel()).isEqualTo("emr-6.15.0");
        assertThat(cluster.logUri()).isEqualTo(request.logUri());
        assertThat(cluster.applications()).extracting(Application::name, Application::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Spark", "3.5.1"), org.assertj.core.groups.Tuple.tuple("Hive", "2.3.9"));
        assertThat(cluster.configurations()).singleElement().satisfies(configuration -> {
            assertThat(configuration.classification()).isEqualTo("spark-defaults");
            assertThat(configuration.properties()).containsEntry("spark.sql.shuffle.partitions", "7");
        });
        assertThat(cluster.serviceRole()).isEqualTo("EMR_DefaultRole");
        assertThat(cluster.ec2InstanceAttributes().iamInstanceProfile()).isEqualTo("EMR_EC2_DefaultRole");
        assertThat(cluster.ec2InstanceAttributes().ec2KeyName()).isEqualTo("my-key");
        assertThat(cluster.tags()).extracting(Tag::key, Tag::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("cost-center", ""), org.assertj.core.groups.Tuple.tuple("team", "ml"));
        assertThat(cluster.stepConcurrencyLevel()).isEqualTo(3);
        assertThat(cluster.autoTerminate()).isFalse();
        assertThat(cluster.terminationProtected()).isFalse();
        assertThat(cluster.visibleToAllUsers()).isTrue();
        assertThat(cluster.instanceCollectionTypeAsString()).isEqualTo("INSTANCE_GROUP");
    }

    @Test
    void legacyUniformInstancesBecomeMasterAndCoreGroups() {
        String clusterId = createCluster(emr, RunJobFlowRequest.builder().name("legacy").releaseLabel("emr-7.0.0")
                .instances(JobFlowInstancesConfig.builder().masterInstanceType("m5.xlarge").slaveInstanceType("c5.xlarge").instanceCount(3)
                        .keepJobFlowAliveWhenNoSteps(true).build())
                .build());
        assertThat(emr.listInstanceGroups(r -> r.clusterId(clusterId)).instanceGroups())
                .extracting(group -> group.instanceGroupType(), group -> group.instanceType(), group -> group.requestedInstanceCount())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(InstanceGroupType.MASTER, "m5.xlarge", 1),
                        org.assertj.core.groups.Tuple.tuple(InstanceGroupType.CORE, "c5.xlarge", 2));
        emr.terminateJobFlows(r -> r.jobFlowIds(clusterId));
    }

    @Test
    void listInstancesFiltersByGroupRoleAndState() {
        String clusterId = createCluster(emr, singleInstanceCluster("instances"));
        awaitClusterState(emr, clusterId, ClusterState.WAITING);
        List<Instance> instances = emr.listInstances(r -> r.clusterId(clusterId)).instances();
        assertThat(instances).singleElement().satisfies(instance -> {
            assertThat(instance.id()).startsWith("ci-");
            assertThat(instance.ec2InstanceId()).startsWith("i-");
            assertThat(instance.privateIpAddress()).isEqualTo("127.0.0.1");
            assertThat(instance.instanceType()).isEqualTo("m5.xlarge");
            assertThat(instance.status().timeline().readyDateTime()).isNotNull();
        });
        String groupId = instances.get(0).instanceGroupId();
        assertThat(emr.listInstances(r -> r.clusterId(clusterId).instanceGroupId(groupId)).instances()).hasSize(1);
        assertThat(emr.listInstances(r -> r.clusterId(clusterId).instanceGroupTypes(InstanceGroupType.CORE)).instances()).isEmpty();
        assertThat(emr.listInstances(r -> r.clusterId(clusterId).instanceStatesWithStrings("TERMINATED")).instances()).isEmpty();
        assertThat(emr.listInstances(r -> r.clusterId(clusterId).instanceStatesWithStrings("RUNNING")).instances()).hasSize(1);
    }

    @Test
    void listClustersFiltersByStateAndCreationTimeAndPaginates() {
        Instant before = Instant.now().minusSeconds(1);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 53; i++) {
            ids.add(createCluster(emr, singleInstanceCluster("cluster " + i)));
        }
        ids.forEach(id -> awaitClusterState(emr, id, ClusterState.WAITING));
        emr.terminateJobFlows(r -> r.jobFlowIds(ids.subList(0, 2)));
        ids.subList(0, 2).forEach(id -> awaitClusterState(emr, id, ClusterState.TERMINATED));

        ListClustersResponse first = emr.listClusters(r -> r.clusterStates(ClusterState.WAITING));
        assertThat(first.clusters()).hasSize(50);
        assertThat(first.marker()).isNotNull();
        assertThat(first.clusters().get(0).id()).as("newest first").isEqualTo(ids.get(52));
        ListClustersResponse second = emr.listClusters(r -> r.clusterStates(ClusterState.WAITING).marker(first.marker()));
        assertThat(second.clusters()).extracting(ClusterSummary::id).containsExactly(ids.get(2));
        assertThat(second.marker()).isNull();

        List<String> all = emr.listClustersPaginator(r -> r.createdAfter(before)).clusters().stream().map(ClusterSummary::id).toList();
        assertThat(all).hasSize(53).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(emr.listClusters(r -> r.clusterStates(ClusterState.TERMINATED)).clusters()).extracting(ClusterSummary::id)
                .containsExactlyInAnyOrderElementsOf(ids.subList(0, 2));
        assertThat(emr.listClusters(r -> r.createdBefore(before)).clusters()).isEmpty();
        assertThat(emr.listClusters(r -> r.createdAfter(Instant.now().plusSeconds(60))).clusters()).isEmpty();
    }

    @Test
    void listStepsFiltersByStateAndIdAndPaginatesNewestFirst() {
        String clusterId = createCluster(emr, singleInstanceCluster("many steps"));
        StepConfig[] steps = new StepConfig[55];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = fakeStep("step " + i, ActionOnFailure.CONTINUE, i == 54 ? "Fail" : "Succeed");
        }
        List<String> ids = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(steps)).stepIds();
        assertThat(ids).hasSize(55).doesNotHaveDuplicates();
        awaitStepState(emr, clusterId, ids.get(54), StepState.FAILED);

        ListStepsResponse first = emr.listSteps(r -> r.clusterId(clusterId));
        assertThat(first.steps()).hasSize(50);
        assertThat(first.steps().get(0).id()).isEqualTo(ids.get(54));
        ListStepsResponse second = emr.listSteps(r -> r.clusterId(clusterId).marker(first.marker()));
        assertThat(second.steps()).extracting(StepSummary::id).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));
        assertThat(second.marker()).isNull();
        assertThat(emr.listStepsPaginator(r -> r.clusterId(clusterId)).steps().stream().count()).isEqualTo(55);

        assertThat(emr.listSteps(r -> r.clusterId(clusterId).stepStates(StepState.FAILED)).steps()).extracting(StepSummary::id).containsExactly(ids.get(54));
        assertThat(emr.listSteps(r -> r.clusterId(clusterId).stepIds(ids.get(3), ids.get(7))).steps()).extracting(StepSummary::id)
                .containsExactly(ids.get(7), ids.get(3));
        assertThat(emr.listSteps(r -> r.clusterId(clusterId).stepStates(StepState.PENDING)).steps()).isEmpty();
    }

    @Test
    void tagsCanBeAddedOverwrittenAndRemoved() {
        String clusterId = createCluster(emr, singleInstanceCluster("tagged"));
        emr.addTags(r -> r.resourceId(clusterId).tags(Tag.builder().key("a").value("1").build(), Tag.builder().key("b").value("2").build()));
        emr.addTags(r -> r.resourceId(clusterId).tags(Tag.builder().key("a").value("one").build()));
        assertThat(emr.describeCluster(r -> r.clusterId(clusterId)).cluster().tags()).extracting(Tag::key, Tag::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "one"), org.assertj.core.groups.Tuple.tuple("b", "2"));
        emr.removeTags(r -> r.resourceId(clusterId).tagKeys("a", "not-there"));
        assertThat(emr.describeCluster(r -> r.clusterId(clusterId)).cluster().tags()).extracting(Tag::key).containsExactly("b");
        assertThatThrownBy(() -> emr.addTags(r -> r.resourceId("j-NOPE").tags(Tag.builder().key("a").value("1").build())))
                .isInstanceOfSatisfying(EmrException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequestException"));
    }

    @Test
    void bootstrapActionsAreListedAsCommands() {
        String clusterId = createCluster(emr, singleInstanceCluster("bootstrapped").toBuilder()
                .bootstrapActions(BootstrapActionConfig.builder().name("nothing").scriptBootstrapAction(s -> s.path("/bin/true").args("a", "b")).build())
                .build());
        assertThat(emr.listBootstrapActions(r -> r.clusterId(clusterId)).bootstrapActions())
                .singleElement().satisfies(command -> {
                    assertThat(command.name()).isEqualTo("nothing");
                    assertThat(command.scriptPath()).isEqualTo("/bin/true");
                    assertThat(command.args()).containsExactly("a", "b");
                });
        assertThat(awaitClusterState(emr, clusterId, ClusterState.WAITING)).isEqualTo(ClusterState.WAITING);
        assertThat(emr.listBootstrapActions(r -> r.clusterId(createCluster(emr, singleInstanceCluster("plain")))).bootstrapActions())
                .extracting(Command::name).isEmpty();
    }

    @Test
    void autoTerminationPolicyRoundTrips() {
        String clusterId = createCluster(emr, singleInstanceCluster("policy").toBuilder().autoTerminationPolicy(p -> p.idleTimeout(7200L)).build());
        assertThat(emr.getAutoTerminationPolicy(r -> r.clusterId(clusterId)).autoTerminationPolicy().idleTimeout()).isEqualTo(7200L);
        emr.putAutoTerminationPolicy(r -> r.clusterId(clusterId).autoTerminationPolicy(p -> p.idleTimeout(600L)));
        assertThat(emr.getAutoTerminationPolicy(r -> r.clusterId(clusterId)).autoTerminationPolicy().idleTimeout()).isEqualTo(600L);
        emr.putAutoTerminationPolicy(r -> r.clusterId(clusterId).autoTerminationPolicy(p -> { }));
        assertThat(emr.getAutoTerminationPolicy(r -> r.clusterId(clusterId)).autoTerminationPolicy().idleTimeout())
                .as("EMR's default idle timeout").isEqualTo(3600L);
        emr.removeAutoTerminationPolicy(r -> r.clusterId(clusterId));
        assertThat(emr.getAutoTerminationPolicy(r -> r.clusterId(clusterId)).autoTerminationPolicy()).isNull();
    }

    @Test
    void releaseLabelsListAndDescribe() {
        List<String> labels = emr.listReleaseLabels(r -> { }).releaseLabels();
        assertThat(labels).contains("emr-7.1.0", "emr-6.15.0").first().isEqualTo("emr-7.10.0");
        assertThat(emr.listReleaseLabels(r -> r.filters(f -> f.prefix("emr-6"))).releaseLabels()).allMatch(label -> label.startsWith("emr-6"));
        assertThat(emr.listReleaseLabels(r -> r.filters(f -> f.application("Spark@3.5"))).releaseLabels()).isEqualTo(labels);
        assertThat(emr.listReleaseLabels(r -> r.filters(f -> f.application("Presto"))).releaseLabels()).isEmpty();
        List<String> paged = emr.listReleaseLabelsPaginator(r -> r.maxResults(4)).stream().flatMap(page -> page.releaseLabels().stream()).toList();
        assertThat(paged).isEqualTo(labels);

        DescribeReleaseLabelResponse described = emr.describeReleaseLabel(r -> r.releaseLabel("emr-7.1.0"));
        assertThat(described.releaseLabel()).isEqualTo("emr-7.1.0");
        assertThat(described.applications()).extracting(a -> a.name() + " " + a.version())
                .containsExactly("hadoop 3.3.4", "hive 2.3.9", "spark 3.5.1");
        assertThatThrownBy(() -> emr.describeReleaseLabel(r -> r.releaseLabel("emr-4.0.0")))
                .isInstanceOfSatisfying(EmrException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).contains("'emr-4.0.0' is not supported"));
    }

    @Test
    void waitersSucceedAndFailAsTheModelSays() {
        String clusterId = createCluster(emr, singleInstanceCluster("waited"));
        assertThat(hearth.waiter().waitUntilClusterRunning(r -> r.clusterId(clusterId)).matched().response())
                .hasValueSatisfying(response -> assertThat(response.cluster().status().state()).isEqualTo(ClusterState.WAITING));

        List<String> stepIds = emr.addJobFlowSteps(r -> r.jobFlowId(clusterId).steps(
                fakeStep("good", ActionOnFailure.CONTINUE, "Succeed"), fakeStep("bad", ActionOnFailure.CONTINUE, "Fail"))).stepIds();
        assertThat(hearth.waiter().waitUntilStepComplete(r -> r.clusterId(clusterId).stepId(stepIds.get(0))).matched().response())
                .hasValueSatisfying(response -> assertThat(response.step().status().state()).isEqualTo(StepState.COMPLETED));
        assertThatThrownBy(() -> hearth.waiter().waitUntilStepComplete(r -> r.clusterId(clusterId).stepId(stepIds.get(1))))
                .isInstanceOf(SdkClientException.class)
                .hasMessageContaining("Step.Status.State=FAILED");

        emr.terminateJobFlows(r -> r.jobFlowIds(clusterId));
        assertThat(hearth.waiter().waitUntilClusterTerminated(r -> r.clusterId(clusterId)).matched().response())
                .hasValueSatisfying(response -> assertThat(response.cluster().status().state()).isEqualTo(ClusterState.TERMINATED));
        assertThatThrownBy(() -> hearth.waiter().waitUntilClusterRunning(r -> r.clusterId(clusterId)))
                .isInstanceOf(SdkClientException.class)
                .hasMessageContaining("Cluster.Status.State=TERMINATED");
    }

    @Test
    void setVisibleToAllUsersIsAcceptedForExistingClusters() {
        String clusterId = createCluster(emr, singleInstanceCluster("visible"));
        emr.setVisibleToAllUsers(r -> r.jobFlowIds(clusterId).visibleToAllUsers(true));
        assertThatThrownBy(() -> emr.setVisibleToAllUsers(r -> r.jobFlowIds("j-NOPE").visibleToAllUsers(true)))
                .isInstanceOf(EmrException.class);
    }
}
