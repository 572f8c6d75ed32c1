package io.hearth.server.cluster;

/** A state-change reason of a cluster, instance group or instance: an EMR reason code and a message. */
public record StateChangeReason(String code, String message) {
    public static final StateChangeReason NONE = new StateChangeReason(null, null);

    public static StateChangeReason of(Enum<?> code, String message) {
        return new StateChangeReason(code.name(), message);
    }

    public static StateChangeReason message(String message) {
        return new StateChangeReason(null, message);
    }
}
