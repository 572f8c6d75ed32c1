package io.hearth.server.lifecycle;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server must close, in the order it was opened: {@link #close} closes the last first, so a
 * part is closed before what it depends on. A failing close is logged and the rest still close; the
 * same stack serves a start that fails half-way and a normal stop.
 */
public final class Closer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Closer.class);

    private record Entry(String name, AutoCloseable resource) {}

    private final Deque<Entry> entries = new ArrayDeque<>();

    /** Registers {@code resource}, opened just now; returns it for chaining. */
    public synchronized <T extends AutoCloseable> T register(String name, T resource) {
        entries.push(new Entry(requireNonNull(name, "name is null"), requireNonNull(resource, "resource is null")));
        return resource;
    }

    /** Closes everything registered, newest first; safe to call more than once. */
    @Override
    public synchronized void close() {
        while (!entries.isEmpty()) {
            Entry entry = entries.pop();
            try {
                entry.resource().close();
            } catch (Exception e) {
                LOG.warn("Cannot close {} cleanly", entry.name(), e);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
