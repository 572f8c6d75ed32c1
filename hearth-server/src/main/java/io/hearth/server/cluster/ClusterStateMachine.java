package io.hearth.server.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only code that changes a cluster's state. Each transition is a compare-and-set in the store
 * on the states {@link ClusterState} allows it from, writes its reason in the same update, and says
 * whether it won: when a user's terminate and a bootstrap failure race, exactly one decides how the
 * cluster ends. A transition a state does not allow (leaving TERMINATED, say) is refused and logged.
 */
public final class ClusterStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterStateMachine.class);

    private final ClusterStore store;
    private final Clock clock;

    public ClusterStateMachine(ClusterStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** STARTING (or BOOTSTRAPPING again, after a restart) to BOOTSTRAPPING: bootstrap actions run. */
    public boolean transitionToBootstrapping(String clusterId) {
        return move(clusterId, ClusterState.BOOTSTRAPPING, StateChangeReason.message("Running bootstrap actions"));
    }

    /** BOOTSTRAPPING to WAITING (Spark is up), or RUNNING to WAITING (no step left to run). */
    public boolean transitionToWaiting(String clusterId, String message) {
        return move(clusterId, ClusterState.WAITING, StateChangeReason.message(message));
    }

    /** WAITING to RUNNING: a step is pending or running. */
    public boolean transitionToRunning(String clusterId, String message) {
        return move(clusterId, ClusterState.RUNNING, StateChangeReason.message(message));
    }

    /**
     * Any state before TERMINATING to TERMINATING, recording why: the reason's code later decides
     * which end the cluster reaches ({@link #transitionToTerminated}).
     */
    public boolean transitionToTerminating(String clusterId, ClusterStateChangeReasonCode code, String message) {
        return move(clusterId, ClusterState.TERMINATING, StateChangeReason.of(code, message));
    }

    /**
     * TERMINATING to the end its recorded reason calls for: TERMINATED after a user's request or
     * the last step, TERMINATED_WITH_ERRORS after anything else.
     */
    public boolean transitionToTerminated(String clusterId, StateChangeReason reason) {
        return move(clusterId, finalStateFor(reason.code()), reason);
    }

    /** TERMINATING to TERMINATED_WITH_ERRORS, whatever the recorded reason: stopping it failed. */
    public boolean transitionToTerminatedWithErrors(String clusterId, String cause) {
        return move(clusterId, ClusterState.TERMINATED_WITH_ERRORS, StateChangeReason.of(ClusterStateChangeReasonCode.INTERNAL_ERROR, cause));
    }

    /** The end a termination with this reason code reaches. */
    public static ClusterState finalStateFor(String reasonCode) {
        return ClusterStateChangeReasonCode.USER_REQUEST.name().equals(reasonCode) || ClusterStateChangeReasonCode.ALL_STEPS_COMPLETED.name().equals(reasonCode)
                ? ClusterState.TERMINATED
                : ClusterState.TERMINATED_WITH_ERRORS;
    }

    private boolean move(String clusterId, ClusterState to, StateChangeReason reason) {
        boolean won = store.transition(clusterId, ClusterState.from(to), to, reason, clock.instant());
        if (!won) {
            LOG.debug("Cluster {} did not move to {} ({}): it is {}", clusterId, to, reason.message(), describe(clusterId));
        }
        return won;
    }

    private String describe(String clusterId) {
        return store.find(clusterId).map(cluster -> cluster.state().name()).orElse("unknown");
    }
}
