package io.hearth.server.process;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named places in Hearth's work where a crash test can stop Hearth's process the way kill -9
 * does: no shutdown hooks, no buffers flushed, children left running. The environment variable
 * {@value #VARIABLE} names one point, optionally with the time it is reached ({@code
 * step.before-launch} halts the first time, {@code step.before-launch:3} the third); without it
 * every point is a no-op. Static on purpose: the points sit deep in the code paths they test, and a
 * crash must be as unconditional there as an assertion.
 */
public final class CrashPoints {
    public static final String VARIABLE = "HEARTH_CRASH_POINT";
    /** The exit status of a process killed by SIGKILL, which is what a crash test expects to see. */
    public static final int EXIT_STATUS = 137;

    private static final String POINT;
    private static final int AT;
    private static final AtomicInteger REACHED = new AtomicInteger();

    static {
        String setting = System.getenv(VARIABLE);
        if (setting == null || setting.isBlank()) {
            POINT = null;
            AT = 0;
        } else {
            int colon = setting.indexOf(':');
            POINT = (colon < 0 ? setting : setting.substring(0, colon)).trim();
            AT = colon < 0 ? 1 : Integer.parseInt(setting.substring(colon + 1).trim());
        }
    }

    private CrashPoints() {}

    /** Halts Hearth's process here if this is the point (and the time) the crash test chose. */
    public static void reach(String point) {
        if (POINT != null && POINT.equals(point) && REACHED.incrementAndGet() == AT) {
            System.err.println("Crash point " + point + " reached: Hearth stops as if killed with kill -9");
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}
