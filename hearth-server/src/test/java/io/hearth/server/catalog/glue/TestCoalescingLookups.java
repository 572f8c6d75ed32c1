package io.hearth.server.catalog.glue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TestCoalescingLookups {
    private final CoalescingLookups<String, String> lookups = new CoalescingLookups<>();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final AtomicInteger lookupsRun = new AtomicInteger();

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    @Test
    void callersArrivingDuringALookupShareTheNextOneNotTheRunningOne() throws Exception {
        CountDownLatch firstMayEnd = new CountDownLatch(1);
        Supplier<String> lookup = () -> {
            int n = lookupsRun.incrementAndGet();
            if (n == 1) {
                await(firstMayEnd);
            }
            return "state read by lookup " + n;
        };
        Future<String> first = callers.submit(() -> lookups.get("t", lookup));
        awaitLookups(1);
        List<Future<String>> later = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            later.add(callers.submit(() -> lookups.get("t", lookup)));
        }
        awaitWaiting(21);
        firstMayEnd.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("state read by lookup 1");
        for (Future<String> caller : later) {
            // Lookup 1 may have read the table before a write these callers saw end: they get lookup 2's answer.
            assertThat(caller.get(10, TimeUnit.SECONDS)).isEqualTo("state read by lookup 2");
        }
        assertThat(lookupsRun).hasValue(2);
        assertThat(lookups.keysInFlight()).isZero();
    }

    @Test
    void aFailedLookupFailsEveryCallerItServesAndTheNextCallerLooksUpAnew() throws Exception {
        CountDownLatch firstMayEnd = new CountDownLatch(1);
        Supplier<String> lookup = () -> {
            int n = lookupsRun.incrementAndGet();
            if (n == 1) {
                await(firstMayEnd);
            }
            if (n == 2) {
                throw new IllegalStateException("table dropped");
            }
            return "lookup " + n;
        };
        Future<String> first = callers.submit(() -> lookups.get("t", lookup));
        awaitLookups(1);
        List<Future<String>> later = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            later.add(callers.submit(() -> lookups.get("t", lookup)));
        }
        awaitWaiting(6);
        firstMayEnd.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("lookup 1");
        for (Future<String> caller : later) {
            assertThat(failureOf(caller)).isInstanceOf(IllegalStateException.class).hasMessage("table dropped");
        }
        assertThat(lookups.get("t", lookup)).isEqualTo("lookup 3");
        assertThat(lookups.keysInFlight()).isZero();
    }

    @Test
    void lookupsOfDifferentKeysDoNotWaitForEachOther() throws Exception {
        CountDownLatch slowMayEnd = new CountDownLatch(1);
        Future<String> slow = callers.submit(() -> lookups.get("slow", () -> {
            lookupsRun.incrementAndGet();
            await(slowMayEnd);
            return "slow";
        }));
        awaitLookups(1);

        assertThat(lookups.get("fast", () -> "fast")).isEqualTo("fast");
        assertThat(slow.isDone()).isFalse();
        slowMayEnd.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("slow");
        assertThat(lookups.keysInFlight()).isZero();
    }

    @Test
    void sequentialCallersEachLookUp() {
        for (int i = 1; i <= 3; i++) {
            assertThat(lookups.get("t", () -> "lookup " + lookupsRun.incrementAndGet())).isEqualTo("lookup " + i);
        }
        assertThat(lookups.keysInFlight()).isZero();
    }

    private static Throwable failureOf(Future<String> caller) throws Exception {
        try {
            caller.get(10, TimeUnit.SECONDS);
            throw new AssertionError("the call succeeded");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the lookup");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitLookups(int count) throws InterruptedException {
        awaitCondition(() -> lookupsRun.get() >= count, "lookup " + count + " to start");
    }

    /** Waits until {@code count} caller threads are parked: the leader in its lookup, the rest on a flight. */
    private static void awaitWaiting(int count) throws InterruptedException {
        awaitCondition(() -> Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING)
                .filter(thread -> List.of(thread.getStackTrace()).stream().anyMatch(frame -> frame.getClassName().equals(CoalescingLookups.class.getName())))
                .count() >= count, count + " callers to wait");
    }

    private static void awaitCondition(Supplier<Boolean> condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
