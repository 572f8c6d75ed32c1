package io.hearth.server.process;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A process Hearth started through {@code hearth-exec}, or adopted after a restart. The handle
 * knows its pid and start time (to tell it from a later process with the same pid), stops it
 * politely or by force, and reports its exit code from the status file the wrapper writes.
 */
public final class ManagedProcess {
    private final ProcessHandle handle;
    private final Instant startedAt;
    private final Path exitStatusFile;
    private final CompletableFuture<OptionalInt> exit;
    private final boolean groupLeader;

    ManagedProcess(ProcessHandle handle, Instant startedAt, Path exitStatusFile, boolean groupLeader) {
        this.handle = requireNonNull(handle, "handle is null");
        this.groupLeader = groupLeader;
        this.startedAt = requireNonNull(startedAt, "startedAt is null");
        this.exitStatusFile = requireNonNull(exitStatusFile, "exitStatusFile is null");
        this.exit = handle.onExit().thenApply(ended -> readExitStatus(exitStatusFile));
    }

    public long pid() {
        return handle.pid();
    }

    public Instant startedAt() {
        return startedAt;
    }

    public boolean isAlive() {
        return handle.isAlive();
    }

    /** Completes when the process has ended, with its exit code if the wrapper recorded one. */
    public CompletableFuture<OptionalInt> onExit() {
        return exit;
    }

    /** Asks the process to stop (SIGTERM, passed on by the wrapper to the command). */
    public void terminate() {
        handle.destroy();
    }

    /**
     * Stops the process politely, then by force: SIGTERM, up to {@code grace} for it to exit, then
     * SIGKILL to its whole tree. The one way Hearth stops a daemon or a driver for good.
     *
     * @return whether it exited within the grace period
     */
    public boolean stop(Duration grace) {
        terminate();
        return awaitExitOrKill(grace);
    }

    /**
     * Waits up to {@code grace} for a process already asked to stop, then kills its whole tree. An
     * interrupted wait kills at once and keeps the interrupt.
     *
     * @return whether it exited within the grace period
     */
    public boolean awaitExitOrKill(Duration grace) {
        try {
            exit.get(Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            killAll();
            return false;
        } catch (InterruptedException e) {
            killAll();
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops the process by force: SIGKILL to everything it started, so the wrapper still records
     * the exit code; the wrapper itself is killed only if it outlives its children.
     */
    public void kill() {
        List<ProcessHandle> descendants = handle.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        if (descendants.isEmpty()) {
            handle.destroyForcibly();
        }
    }

    /**
     * Kills whatever is left of the process tree, the wrapper included. A process started in a session
     * of its own is killed with its whole process group, which also reaches processes that left the
     * tree (a Spark worker's executors, say); otherwise the tree is walked.
     */
    public void killAll() {
        List<ProcessHandle> descendants = handle.descendants().toList();
        if (groupLeader && handle.isAlive()) {
            killProcessGroup(handle.pid());
        }
        handle.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    /** SIGKILL to a process group: the group id is a number Hearth recorded, never user input. */
    private static void killProcessGroup(long groupId) {
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + groupId).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // The tree walk in killAll still runs.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads the exit code the wrapper recorded, if the process has ended and the file is complete. */
    public static OptionalInt readExitStatus(Path exitStatusFile) {
        try {
            String text = Files.readString(exitStatusFile, StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(text));
        } catch (NoSuchFileException e) {
            return OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
