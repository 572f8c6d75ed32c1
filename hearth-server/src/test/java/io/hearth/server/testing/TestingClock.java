package io.hearth.server.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock (or a fixed start, {@link #startingAt}) plus an offset tests can move forward, to
 * reach idle timeouts without waiting or to see which change stamped which time.
 */
public final class TestingClock extends Clock {
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
    private final Instant fixedStart;

    public TestingClock() {
        this(null);
    }

    private TestingClock(Instant fixedStart) {
        this.fixedStart = fixedStart;
    }

    /** A clock that stands at {@code start} and moves only by {@link #advance}. */
    public static TestingClock startingAt(Instant start) {
        return new TestingClock(start);
    }

    public void advance(Duration duration) {
        offset.updateAndGet(current -> current.plus(duration));
    }

    @Override
    public Instant instant() {
        return (fixedStart == null ? Instant.now() : fixedStart).plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("TestingClock is always UTC");
    }
}
