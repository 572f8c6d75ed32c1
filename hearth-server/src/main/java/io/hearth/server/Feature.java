package io.hearth.server;

/**
 * A part of Hearth wired in one place of its own: a static {@code open(ServerContext, Routes, ...)}
 * builds it from its settings, registers its AWS service or routes on {@link io.hearth.server.http.Routes}
 * and what must be closed on the context's closer. {@link HearthServer} opens the features in
 * dependency order, starts them, then opens the HTTP port.
 */
public interface Feature {
    /** Starts the feature's background work: every feature is built, the HTTP port is not open yet. */
    default void start() {}
}
