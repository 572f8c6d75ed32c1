package io.hearth.server.catalog.glue;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Concurrent lookups of one key share one lookup, and still see every write that ended before they
 * were asked. A lookup asked while another for the same key runs does not take that one's answer
 * (it may have read the state before a write the caller has already seen end); it waits for the
 * next lookup, which starts once the running one ends and serves everyone who asked meanwhile. So
 * at most two lookups per key exist at once, one running and one gathering callers, however many
 * callers there are: fifty clients reading one table's definition cost the metastore a few calls,
 * not fifty.
 *
 * <p>A lookup's exception reaches every caller it serves.
 */
final class CoalescingLookups<K, V> {
    private final Map<K, Lookups<V>> byKey = new HashMap<>();

    /** The value for {@code key}, from {@code lookup} run after this call began (by this thread or another). */
    V get(K key, Supplier<V> lookup) {
        Flight<V> flight;
        Flight<V> ahead = null;
        Flight<V> joined = null;
        synchronized (byKey) {
            Lookups<V> lookups = byKey.computeIfAbsent(key, k -> new Lookups<>());
            if (lookups.running == null) {
                flight = lookups.running = new Flight<>();
            } else if (lookups.gathering == null) {
                flight = lookups.gathering = new Flight<>();
                ahead = lookups.running;
            } else {
                flight = null;
                joined = lookups.gathering;
            }
        }
        if (joined != null) {
            return joined.await();
        }
        // This caller leads its flight: it runs the lookup, once the one ahead of it has ended (which
        // made this flight the running one before it let anyone go).
        if (ahead != null) {
            ahead.awaitEnd();
        }
        V value = null;
        Throwable failure = null;
        try {
            value = lookup.get();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        synchronized (byKey) {
            Lookups<V> lookups = byKey.get(key);
            lookups.running = lookups.gathering;
            lookups.gathering = null;
            if (lookups.running == null) {
                byKey.remove(key);
            }
        }
        if (failure != null) {
            flight.result.completeExceptionally(failure);
            throw unchecked(failure);
        }
        flight.result.complete(value);
        return value;
    }

    private static RuntimeException unchecked(Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        return (RuntimeException) failure;
    }

    /** Keys with a lookup running or gathering callers (for tests: none once every caller has returned). */
    int keysInFlight() {
        synchronized (byKey) {
            return byKey.size();
        }
    }

    private static final class Lookups<V> {
        Flight<V> running;
        Flight<V> gathering;
    }

    private static final class Flight<V> {
        final CompletableFuture<V> result = new CompletableFuture<>();

        V await() {
            try {
                return result.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw e;
            }
        }

        void awaitEnd() {
            try {
                result.join();
            } catch (CompletionException ignored) {
                // The lookup ahead failed for its own callers; this one runs anew.
            }
        }
    }
}
