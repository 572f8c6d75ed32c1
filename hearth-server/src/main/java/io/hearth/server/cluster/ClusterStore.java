package io.hearth.server.cluster;

import static io.hearth.server.persistence.Columns.instant;
import static io.hearth.server.persistence.Columns.millis;
import static io.hearth.server.persistence.Columns.nullableInt;
import static io.hearth.server.persistence.Columns.nullableLong;
import static java.util.Objects.requireNonNull;

import io.hearth.server.persistence.Columns;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Persistence of clusters, their instance groups, instances, bootstrap actions and tags. State
 * changes are compare-and-set: they name the states they may leave and report whether they won.
 * Its length (about 400 lines) is one short query or update per use, over five tables.
 */
public final class ClusterStore {
    private final Jdbi jdbi;

    public ClusterStore(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /** Writes a new cluster with everything it was created with, in the caller's transaction. */
    public void insert(Handle handle, Cluster cluster, List<InstanceGroup> groups, List<Instance> instances,
            List<BootstrapAction> bootstrapActions, Map<String, String> tags) {
        handle.createUpdate("""
                INSERT INTO clusters (id, name, state, reason_code, reason_message, created_at, ready_at, ended_at,
                    release_label, log_uri, auto_terminate, termination_protected, step_concurrency_level,
                    idle_timeout_seconds, last_activity_at, spark_master_url, owner_access_key_id, request)
                VALUES (:id, :name, :state, :reasonCode, :reasonMessage, :createdAt, NULL, NULL,
                    :releaseLabel, :logUri, :autoTerminate, :terminationProtected, :stepConcurrencyLevel,
                    :idleTimeoutSeconds, :lastActivityAt, NULL, :owner, :request)""")
                .bind("id", cluster.id())
                .bind("name", cluster.name())
                .bind("state", cluster.state().name())
                .bind("reasonCode", cluster.reason().code())
                .bind("reasonMessage", cluster.reason().message())
                .bind("createdAt", millis(cluster.createdAt()))
                .bind("releaseLabel", cluster.releaseLabel())
                .bind("logUri", cluster.logUri())
                .bind("autoTerminate", cluster.autoTerminate())
                .bind("terminationProtected", cluster.terminationProtected())
                .bind("stepConcurrencyLevel", cluster.stepConcurrencyLevel())
                .bind("idleTimeoutSeconds", cluster.idleTimeoutSeconds())
                .bind("lastActivityAt", millis(cluster.lastActivityAt()))
                .bind("owner", cluster.ownerAccessKeyId())
                .bind("request", Columns.write(cluster.request()))
                .execute();
        for (InstanceGroup group : groups) {
            handle.createUpdate("""
                    INSERT INTO instance_groups (id, cluster_id, position, name, role, instance_type, requested_count,
                        market, bid_price, configurations, state, reason_code, reason_message, created_at)
                    VALUES (:id, :clusterId, :position, :name, :role, :instanceType, :requestedCount,
                        :market, :bidPrice, :configurations, :state, :reasonCode, :reasonMessage, :createdAt)""")
                    .bind("id", group.id())
                    .bind("clusterId", group.clusterId())
                    .bind("position", group.position())
                    .bind("name", group.name())
                    .bind("role", group.role().name())
                    .bind("instanceType", group.instanceType())
                    .bind("requestedCount", group.requestedCount())
                    .bind("market", group.market())
                    .bind("bidPrice", group.bidPrice())
                    .bind("configurations", Columns.write(group.configurations()))
                    .bind("state", group.state().name())
                    .bind("reasonCode", group.reason().code())
                    .bind("reasonMessage", group.reason().message())
                    .bind("createdAt", millis(group.createdAt()))
                    .execute();
        }
        for (Instance instance : instances) {
            handle.createUpdate("""
                    INSERT INTO instances (id, cluster_id, instance_group_id, ec2_instance_id, position, role, instance_type,
                        state, reason_code, reason_message, created_at, spark_cores, spark_memory_mb)
                    VALUES (:id, :clusterId, :groupId, :ec2Id, :position, :role, :instanceType,
                        :state, :reasonCode, :reasonMessage, :createdAt, :cores, :memory)""")
                    .bind("id", instance.id())
                    .bind("clusterId", instance.clusterId())
                    .bind("groupId", instance.instanceGroupId())
                    .bind("ec2Id", instance.ec2InstanceId())
                    .bind("position", instance.position())
                    .bind("role", instance.role().name())
                    .bind("instanceType", instance.instanceType())
                    .bind("state", instance.state().name())
                    .bind("reasonCode", instance.reason().code())
                    .bind("reasonMessage", instance.reason().message())
                    .bind("createdAt", millis(instance.createdAt()))
                    .bind("cores", instance.sparkCores())
                    .bind("memory", instance.sparkMemoryMb())
                    .execute();
        }
        for (BootstrapAction action : bootstrapActions) {
            handle.createUpdate("INSERT INTO bootstrap_actions (cluster_id, position, name, path, args) VALUES (:clusterId, :position, :name, :path, :args)")
                    .bind("clusterId", cluster.id())
                    .bind("position", action.position())
                    .bind("name", action.name())
                    .bind("path", action.path())
                    .bind("args", Columns.write(action.args()))
                    .execute();
        }
        insertTags(handle, cluster.id(), tags);
    }

    public Optional<Cluster> find(String id) {
        return jdbi.withHandle(handle -> find(handle, id));
    }

    /** Reads a cluster in the caller's transaction; {@code forUpdate} locks its row until the transaction ends. */
    public Optional<Cluster> find(Handle handle, String id, boolean forUpdate) {
        return handle.createQuery("SELECT * FROM clusters WHERE id = :id" + (forUpdate ? " FOR UPDATE" : ""))
                .bind("id", id)
                .map((row, context) -> readCluster(row))
                .findOne();
    }

    private Optional<Cluster> find(Handle handle, String id) {
        return find(handle, id, false);
    }

    /** Clusters newest first, filtered by state and creation time, after the cluster with sequence {@code beforeSeq}. */
    public List<Cluster> list(Set<ClusterState> states, Instant createdAfter, Instant createdBefore, Long beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM clusters WHERE 1 = 1");
        if (!states.isEmpty()) {
            sql.append(" AND state IN (<states>)");
        }
        if (createdAfter != null) {
            sql.append(" AND created_at >= :after");
        }
        if (createdBefore != null) {
            sql.append(" AND created_at <= :before");
        }
        if (beforeSeq != null) {
            sql.append(" AND seq < :beforeSeq");
        }
        sql.append(" ORDER BY seq DESC LIMIT :limit");
        return jdbi.withHandle(handle -> {
            Query query = handle.createQuery(sql.toString()).bind("limit", limit);
            if (!states.isEmpty()) {
                query.bindList("states", states.stream().map(Enum::name).toList());
            }
            if (createdAfter != null) {
                query.bind("after", millis(createdAfter));
            }
            if (createdBefore != null) {
                query.bind("before", millis(createdBefore));
            }
            if (beforeSeq != null) {
                query.bind("beforeSeq", beforeSeq);
            }
            return query.map((row, context) -> readCluster(row)).list();
        });
    }

    /** Every cluster that has not ended, oldest first. */
    public List<Cluster> listNotTerminated() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM clusters WHERE state NOT IN (<ended>) ORDER BY seq")
                .bindList("ended", ClusterState.terminal().stream().map(Enum::name).toList())
                .map((row, context) -> readCluster(row))
                .list());
    }

    /**
     * Moves a cluster to {@code to} if it is in one of {@code from}. Entering RUNNING or WAITING for
     * the first time sets the ready time; entering a terminal state sets the end time.
     *
     * @return whether this call made the change
     */
    boolean transition(String id, Collection<ClusterState> from, ClusterState to, StateChangeReason reason, Instant now) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                UPDATE clusters SET state = :to, reason_code = :code, reason_message = :message,
                    ready_at = CASE WHEN :ready THEN COALESCE(ready_at, :now) ELSE ready_at END,
                    ended_at = CASE WHEN :ended THEN :now ELSE ended_at END,
                    last_activity_at = :now
                WHERE id = :id AND state IN (<from>)""")
                .bind("to", to.name())
                .bind("code", reason.code())
                .bind("message", reason.message())
                .bind("ready", to.isUp())
                .bind("ended", to.isTerminal())
                .bind("now", millis(now))
                .bind("id", id)
                .bindList("from", from.stream().map(Enum::name).toList())
                .execute() == 1);
    }

    public void setTerminationProtected(Handle handle, String id, boolean value) {
        handle.createUpdate("UPDATE clusters SET termination_protected = :value WHERE id = :id").bind("value", value).bind("id", id).execute();
    }

    public void setAutoTerminate(Handle handle, String id, boolean value) {
        handle.createUpdate("UPDATE clusters SET auto_terminate = :value WHERE id = :id").bind("value", value).bind("id", id).execute();
    }

    public void setStepConcurrencyLevel(String id, int level) {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE clusters SET step_concurrency_level = :level WHERE id = :id")
                .bind("level", level).bind("id", id).execute());
    }

    public void setIdleTimeout(String id, Long seconds, Instant now) {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE clusters SET idle_timeout_seconds = :seconds, last_activity_at = :now WHERE id = :id")
                .bind("seconds", seconds).bind("now", millis(now)).bind("id", id).execute());
    }

    public void recordActivity(String id, Instant now) {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE clusters SET last_activity_at = :now WHERE id = :id")
                .bind("now", millis(now)).bind("id", id).execute());
    }

    public void setSparkMasterUrl(String id, String url) {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE clusters SET spark_master_url = :url WHERE id = :id")
                .bind("url", url).bind("id", id).execute());
    }

    public Map<String, String> tags(String clusterId) {
        return jdbi.withHandle(handle -> {
            Map<String, String> tags = new LinkedHashMap<>();
            handle.createQuery("SELECT tag_key, tag_value FROM cluster_tags WHERE cluster_id = :id ORDER BY tag_key")
                    .bind("id", clusterId)
                    .map((row, context) -> Map.entry(row.getString("tag_key"), row.getString("tag_value")))
                    .forEach(entry -> tags.put(entry.getKey(), entry.getValue()));
            return tags;
        });
    }

    /** Adds or overwrites tags. */
    public void putTags(String clusterId, Map<String, String> tags) {
        jdbi.useTransaction(handle -> {
            removeTags(handle, clusterId, tags.keySet());
            insertTags(handle, clusterId, tags);
        });
    }

    public void removeTags(String clusterId, Collection<String> keys) {
        jdbi.useTransaction(handle -> removeTags(handle, clusterId, keys));
    }

    private static void removeTags(Handle handle, String clusterId, Collection<String> keys) {
        if (!keys.isEmpty()) {
            handle.createUpdate("DELETE FROM cluster_tags WHERE cluster_id = :id AND tag_key IN (<keys>)")
                    .bind("id", clusterId).bindList("keys", List.copyOf(keys)).execute();
        }
    }

    private static void insertTags(Handle handle, String clusterId, Map<String, String> tags) {
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            handle.createUpdate("INSERT INTO cluster_tags (cluster_id, tag_key, tag_value) VALUES (:id, :key, :value)")
                    .bind("id", clusterId).bind("key", tag.getKey()).bind("value", tag.getValue()).execute();
        }
    }

    public List<InstanceGroup> instanceGroups(String clusterId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM instance_groups WHERE cluster_id = :id ORDER BY position")
                .bind("id", clusterId)
                .map((row, context) -> readInstanceGroup(row))
                .list());
    }

    public List<Instance> instances(String clusterId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM instances WHERE cluster_id = :id ORDER BY position")
                .bind("id", clusterId)
                .map((row, context) -> readInstance(row))
                .list());
    }

    public List<BootstrapAction> bootstrapActions(String clusterId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM bootstrap_actions WHERE cluster_id = :id ORDER BY position")
                .bind("id", clusterId)
                .map((row, context) -> new BootstrapAction(row.getInt("position"), row.getString("name"), row.getString("path"),
                        Columns.readStringList(row.getString("args"))))
                .list());
    }

    /**
     * Moves every instance group of a cluster to {@code state}, each by compare-and-set on the states
     * it may come from (a group already further along keeps its state); entering RUNNING sets the
     * ready time, ENDED the end time. Returns how many groups moved.
     */
    public int setInstanceGroupsState(String clusterId, InstanceGroupState state, StateChangeReason reason, Instant now) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                UPDATE instance_groups SET state = :state, reason_code = :code, reason_message = :message,
                    ready_at = CASE WHEN :ready THEN COALESCE(ready_at, :now) ELSE ready_at END,
                    ended_at = CASE WHEN :ended THEN :now ELSE ended_at END
                WHERE cluster_id = :id AND state IN (<from>)""")
                .bind("state", state.name())
                .bind("code", reason.code())
                .bind("message", reason.message())
                .bind("ready", state == InstanceGroupState.RUNNING)
                .bind("ended", state == InstanceGroupState.ENDED)
                .bind("now", millis(now))
                .bind("id", clusterId)
                .bindList("from", InstanceGroupState.from(state).stream().map(Enum::name).toList())
                .execute());
    }

    /**
     * Moves an instance to {@code state} by compare-and-set on the states it may come from; false
     * when it was in none of them (already TERMINATED, say). Entering RUNNING sets the ready time,
     * TERMINATED the end time and clears its process.
     */
    public boolean setInstanceState(String instanceId, InstanceState state, StateChangeReason reason, Instant now) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                UPDATE instances SET state = :state, reason_code = :code, reason_message = :message,
                    ready_at = CASE WHEN :ready THEN COALESCE(ready_at, :now) ELSE ready_at END,
                    ended_at = CASE WHEN :ended THEN :now ELSE ended_at END,
                    process_id = CASE WHEN :ended THEN NULL ELSE process_id END,
                    process_started_at = CASE WHEN :ended THEN NULL ELSE process_started_at END
                WHERE id = :id AND state IN (<from>)""")
                .bind("state", state.name())
                .bind("code", reason.code())
                .bind("message", reason.message())
                .bind("ready", state == InstanceState.RUNNING)
                .bind("ended", state == InstanceState.TERMINATED)
                .bind("now", millis(now))
                .bind("id", instanceId)
                .bindList("from", InstanceState.from(state).stream().map(Enum::name).toList())
                .execute()) == 1;
    }

    /** Records the Spark daemon process an instance runs and its ports. */
    public void recordInstanceProcess(String instanceId, long processId, Instant processStartedAt, Integer servicePort, Integer uiPort) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                UPDATE instances SET process_id = :pid, process_started_at = :started, service_port = :port, ui_port = :uiPort
                WHERE id = :id""")
                .bind("pid", processId)
                .bind("started", millis(processStartedAt))
                .bind("port", servicePort)
                .bind("uiPort", uiPort)
                .bind("id", instanceId)
                .execute());
    }

    private static Cluster readCluster(ResultSet row) throws SQLException {
        return new Cluster(
                row.getLong("seq"),
                row.getString("id"),
                row.getString("name"),
                ClusterState.valueOf(row.getString("state")),
                new StateChangeReason(row.getString("reason_code"), row.getString("reason_message")),
                instant(row, "created_at"),
                instant(row, "ready_at"),
                instant(row, "ended_at"),
                row.getString("release_label"),
                row.getString("log_uri"),
                row.getBoolean("auto_terminate"),
                row.getBoolean("termination_protected"),
                row.getInt("step_concurrency_level"),
                nullableLong(row, "idle_timeout_seconds"),
                instant(row, "last_activity_at"),
                row.getString("spark_master_url"),
                row.getString("owner_access_key_id"),
                Columns.readObject(row.getString("request")));
    }

    private static InstanceGroup readInstanceGroup(ResultSet row) throws SQLException {
        return new InstanceGroup(
                row.getString("id"),
                row.getString("cluster_id"),
                row.getInt("position"),
                row.getString("name"),
                InstanceRole.valueOf(row.getString("role")),
                row.getString("instance_type"),
                row.getInt("requested_count"),
                row.getString("market"),
                row.getString("bid_price"),
                Columns.readArray(row.getString("configurations")),
                InstanceGroupState.valueOf(row.getString("state")),
                new StateChangeReason(row.getString("reason_code"), row.getString("reason_message")),
                instant(row, "created_at"),
                instant(row, "ready_at"),
                instant(row, "ended_at"));
    }

    private static Instance readInstance(ResultSet row) throws SQLException {
        return new Instance(
                row.getString("id"),
                row.getString("cluster_id"),
                row.getString("instance_group_id"),
                row.getString("ec2_instance_id"),
                row.getInt("position"),
                InstanceRole.valueOf(row.getString("role")),
                row.getString("instance_type"),
                InstanceState.valueOf(row.getString("state")),
                new StateChangeReason(row.getString("reason_code"), row.getString("reason_message")),
                instant(row, "created_at"),
                instant(row, "ready_at"),
                instant(row, "ended_at"),
                row.getInt("spark_cores"),
                row.getInt("spark_memory_mb"),
                nullableLong(row, "process_id"),
                instant(row, "process_started_at"),
                nullableInt(row, "service_port"),
                nullableInt(row, "ui_port"));
    }
}
