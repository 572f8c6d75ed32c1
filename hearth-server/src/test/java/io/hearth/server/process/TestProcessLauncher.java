package io.hearth.server.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestProcessLauncher {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    private ProcessLauncher launcher;
    private ManagedProcess started;

    @BeforeEach
    void setUp() {
        launcher = ProcessLauncher.install(temp.resolve("bin"));
    }

    @AfterEach
    void stopLeftovers() {
        if (started != null && started.isAlive()) {
            started.killAll();
        }
    }

    /** Launches {@code sleep 60} and waits until the wrapper has started it, so that stopping the wrapper's tree reaches it. */
    private ManagedProcess launchSleep() throws IOException {
        ManagedProcess process = launch(Map.of(), "/bin/sleep", "60");
        awaitCommandStarted(process);
        return process;
    }

    private ManagedProcess launch(Map<String, String> environment, String... command) throws IOException {
        started = launcher.launch(new LaunchSpec(List.of(command), environment, temp.resolve("work"),
                temp.resolve("out/stdout"), temp.resolve("out/stderr"), temp.resolve("out/exit-status")));
        return started;
    }

    private static OptionalInt awaitExit(ManagedProcess process) {
        await().atMost(TIMEOUT).until(() -> process.onExit().isDone());
        return process.onExit().join();
    }

    /** Waits until the wrapper has started the command as its child, so signals reach the command. */
    private static void awaitCommandStarted(ManagedProcess process) {
        await().atMost(TIMEOUT).until(() -> ProcessHandle.of(process.pid())
                .map(handle -> handle.children().findAny().isPresent()).orElse(false));
    }

    /**
     * Waits until the wrapper has installed its SIGTERM trap (Linux: bit 15 of SigCgt in /proc/PID/status),
     * which it does only after it has started the command; a SIGTERM before that would end the wrapper alone.
     */
    private static void awaitTermTrapped(ManagedProcess process) {
        await().atMost(TIMEOUT).until(() -> catchesSignal(process.pid(), 15));
    }

    private static boolean catchesSignal(long pid, int signal) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigCgt:")) {
                long mask = Long.parseUnsignedLong(line.substring("SigCgt:".length()).trim(), 16);
                return (mask >>> (signal - 1) & 1) == 1;
            }
        }
        return false;
    }

    @Test
    void installWritesAnExecutableWrapper() throws IOException {
        Path wrapper = temp.resolve("bin/hearth-exec");

        assertThat(wrapper).isRegularFile();
        assertThat(Files.isExecutable(wrapper)).isTrue();
        assertThat(Files.readAllLines(wrapper).get(0)).isEqualTo("#!/bin/sh");
    }

    @Test
    void installAgainReplacesTheWrapper() throws IOException {
        Files.writeString(temp.resolve("bin/hearth-exec"), "garbage");

        ProcessLauncher.install(temp.resolve("bin"));

        assertThat(Files.readAllLines(temp.resolve("bin/hearth-exec")).get(0)).isEqualTo("#!/bin/sh");
        try (var files = Files.list(temp.resolve("bin"))) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("hearth-exec");
        }
    }

    @Test
    void exitCodeAndOutputAreRecorded() throws IOException {
        ManagedProcess process = launch(Map.of(), "/bin/sh", "-c", "echo out; echo err >&2; exit 3");

        assertThat(awaitExit(process)).isEqualTo(OptionalInt.of(3));
        assertThat(process.isAlive()).isFalse();
        assertThat(Files.readString(temp.resolve("out/stdout"))).isEqualTo("out\n");
        assertThat(Files.readString(temp.resolve("out/stderr"))).isEqualTo("err\n");
        assertThat(Files.readString(temp.resolve("out/exit-status"))).isEqualTo("3\n");
        assertThat(ManagedProcess.readExitStatus(temp.resolve("out/exit-status"))).isEqualTo(OptionalInt.of(3));
    }

    @Test
    void successIsRecordedAsZero() throws IOException {
        assertThat(awaitExit(launch(Map.of(), "/bin/true"))).isEqualTo(OptionalInt.of(0));
    }

    @Test
    void stderrGoesToStdoutWhenNoStderrFileIsGiven() throws IOException {
        started = launcher.launch(new LaunchSpec(List.of("/bin/sh", "-c", "echo out; echo err >&2"), Map.of(), temp.resolve("work"),
                temp.resolve("out/both"), null, temp.resolve("out/exit-status")));

        assertThat(awaitExit(started)).isEqualTo(OptionalInt.of(0));
        assertThat(Files.readAllLines(temp.resolve("out/both"))).containsExactlyInAnyOrder("out", "err");
    }

    @Test
    void outputIsAppendedAcrossLaunches() throws IOException {
        awaitExit(launch(Map.of(), "/bin/echo", "first"));
        awaitExit(launch(Map.of(), "/bin/echo", "second"));

        assertThat(Files.readString(temp.resolve("out/stdout"))).isEqualTo("first\nsecond\n");
    }

    @Test
    void argumentWithShellCharactersReachesTheProgramAsOneArgument() throws IOException {
        String tricky = "a b; $(echo x) `echo y` \"q\" 'z' $HOME * | > \\";
        ManagedProcess process = launch(Map.of(), "/usr/bin/printf", "[%s]\n", tricky, "second");

        assertThat(awaitExit(process)).isEqualTo(OptionalInt.of(0));
        assertThat(Files.readString(temp.resolve("out/stdout"))).isEqualTo("[" + tricky + "]\n[second]\n");
    }

    @Test
    void workingDirectoryAndEnvironmentAreApplied() throws IOException {
        ManagedProcess process = launch(Map.of("HEARTH_TEST_VALUE", "a b $c"), "/bin/sh", "-c", "pwd -P; printf '%s\\n' \"$HEARTH_TEST_VALUE\"");

        assertThat(awaitExit(process)).isEqualTo(OptionalInt.of(0));
        assertThat(Files.readAllLines(temp.resolve("out/stdout")))
                .containsExactly(temp.resolve("work").toRealPath().toString(), "a b $c");
    }

    @Test
    void staleExitStatusIsRemovedBeforeLaunch() throws IOException {
        Files.createDirectories(temp.resolve("out"));
        Files.writeString(temp.resolve("out/exit-status"), "0\n");

        launchSleep();

        assertThat(temp.resolve("out/exit-status")).doesNotExist();
    }

    @Test
    void terminateStopsTheCommandAndRecords143() throws IOException {
        ManagedProcess process = launchSleep();
        awaitTermTrapped(process);

        process.terminate();

        assertThat(awaitExit(process)).isEqualTo(OptionalInt.of(143));
        assertThat(ManagedProcess.readExitStatus(temp.resolve("out/exit-status"))).isEqualTo(OptionalInt.of(143));
    }

    @Test
    void killStopsTheCommandAndRecords137() throws IOException {
        ManagedProcess process = launchSleep();

        process.kill();

        assertThat(awaitExit(process)).isEqualTo(OptionalInt.of(137));
        assertThat(ManagedProcess.readExitStatus(temp.resolve("out/exit-status"))).isEqualTo(OptionalInt.of(137));
    }

    @Test
    void killAllStopsTheWrapperTooWithoutAnExitCode() throws IOException {
        ManagedProcess process = launchSleep();

        process.killAll();

        assertThat(awaitExit(process)).isEmpty();
    }

    @Test
    void adoptFindsARunningProcessAndReportsItsExitCode() throws IOException {
        ManagedProcess process = launch(Map.of(), "/bin/sh", "-c", "while [ ! -f go ]; do sleep 0.1; done; exit 5");

        Optional<ManagedProcess> adopted = launcher.adopt(process.pid(), process.startedAt(), temp.resolve("out/exit-status"));

        assertThat(adopted).isPresent();
        assertThat(adopted.get().pid()).isEqualTo(process.pid());
        assertThat(adopted.get().startedAt()).isEqualTo(process.startedAt());
        assertThat(adopted.get().isAlive()).isTrue();
        assertThat(adopted.get().onExit()).isNotDone();

        Files.writeString(temp.resolve("work/go"), "");

        assertThat(awaitExit(adopted.get())).isEqualTo(OptionalInt.of(5));
    }

    @Test
    void adoptByANewLauncherOfTheSameWrapperFindsTheProcess() throws IOException {
        ManagedProcess process = launchSleep();

        ProcessLauncher restarted = ProcessLauncher.install(temp.resolve("bin"));

        assertThat(restarted.adopt(process.pid(), process.startedAt(), temp.resolve("out/exit-status"))).isPresent();
    }

    @Test
    void adoptWithAnotherStartTimeFindsNothing() throws IOException {
        ManagedProcess process = launchSleep();

        assertThat(launcher.adopt(process.pid(), process.startedAt().minus(1, ChronoUnit.HOURS), temp.resolve("out/exit-status"))).isEmpty();
    }

    @Test
    void adoptOfADeadProcessFindsNothing() throws IOException {
        ManagedProcess process = launch(Map.of(), "/bin/true");
        awaitExit(process);

        assertThat(launcher.adopt(process.pid(), process.startedAt(), temp.resolve("out/exit-status"))).isEmpty();
    }

    @Test
    void adoptOfAProcessNotRunByTheWrapperFindsNothing() {
        ProcessHandle self = ProcessHandle.current();

        assertThat(launcher.adopt(self.pid(), self.info().startInstant().orElseThrow(), temp.resolve("out/exit-status"))).isEmpty();
    }

    @Test
    void readExitStatusOfAMissingEmptyOrGarbageFileIsEmpty() throws IOException {
        assertThat(ManagedProcess.readExitStatus(temp.resolve("missing"))).isEmpty();
        assertThat(ManagedProcess.readExitStatus(Files.writeString(temp.resolve("empty"), ""))).isEmpty();
        assertThat(ManagedProcess.readExitStatus(Files.writeString(temp.resolve("garbage"), "not a number\n"))).isEmpty();
        assertThat(ManagedProcess.readExitStatus(Files.createDirectories(temp.resolve("directory")))).isEmpty();
    }

    @Test
    void readExitStatusTrimsWhitespace() throws IOException {
        assertThat(ManagedProcess.readExitStatus(Files.writeString(temp.resolve("status"), "  7 \n"))).isEqualTo(OptionalInt.of(7));
    }

    @Test
    void traceOfALaunchThatNeverHappenedIsNeverStarted() {
        assertThat(launcher.trace(temp.resolve("out/exit-status"))).isEqualTo(new ProcessTrace.NeverStarted());
    }

    @Test
    void traceAfterARestartFindsTheRunningProcess() throws IOException {
        ManagedProcess process = launchSleep();
        ProcessLauncher restarted = ProcessLauncher.install(temp.resolve("bin"));

        ProcessTrace trace = restarted.trace(temp.resolve("out/exit-status"));

        assertThat(trace).isInstanceOfSatisfying(ProcessTrace.Alive.class, alive -> assertThat(alive.process().pid()).isEqualTo(process.pid()));
    }

    /** Hearth may die after starting the wrapper and before the wrapper wrote its pid: its arguments still name it. */
    @Test
    void traceFindsARunningProcessWhosePidFileIsMissing() throws IOException {
        ManagedProcess process = launchSleep();
        Files.delete(temp.resolve("out/exit-status.pid"));

        ProcessTrace trace = ProcessLauncher.install(temp.resolve("bin")).trace(temp.resolve("out/exit-status"));

        assertThat(trace).isInstanceOfSatisfying(ProcessTrace.Alive.class, alive -> assertThat(alive.process().pid()).isEqualTo(process.pid()));
        assertThat(launcher.trace(temp.resolve("other/exit-status"))).as("another launch's file").isEqualTo(new ProcessTrace.NeverStarted());
    }

    @Test
    void traceOfAnEndedProcessGivesItsExitCode() throws IOException {
        ManagedProcess process = launch(Map.of(), "/bin/sh", "-c", "exit 3");
        awaitExit(process);

        assertThat(launcher.trace(temp.resolve("out/exit-status"))).isEqualTo(new ProcessTrace.Exited(3));
    }

    @Test
    void traceOfAProcessKilledWithItsWrapperIsVanished() throws IOException {
        ManagedProcess process = launchSleep();
        process.killAll();
        await().atMost(TIMEOUT).until(() -> !process.isAlive());

        assertThat(launcher.trace(temp.resolve("out/exit-status"))).isEqualTo(new ProcessTrace.Vanished());
    }

    @Test
    void theWrapperRecordsItsPidBeforeTheCommandRuns() throws IOException {
        Path seen = temp.resolve("seen");
        ManagedProcess process = launch(Map.of(), "/bin/sh", "-c", "cat \"$0\" > \"$1\"", temp.resolve("out/exit-status.pid").toString(), seen.toString());
        awaitExit(process);

        assertThat(Files.readString(seen).trim()).isEqualTo(Long.toString(process.pid()));
    }

    @Test
    void stopAsksPolitelyAndAProcessThatListensExitsWithinTheGracePeriod() throws IOException {
        ManagedProcess process = launchSleep();
        awaitTermTrapped(process);
        assertThat(process.stop(TIMEOUT)).as("sleep ends on SIGTERM").isTrue();
        assertThat(process.isAlive()).isFalse();
    }

    @Test
    void stopKillsAProcessThatIgnoresTheRequestOnceTheGracePeriodIsOver() throws IOException {
        ManagedProcess process = launch(Map.of(), "/bin/sh", "-c", "trap '' TERM; while true; do sleep 1; done");
        awaitCommandStarted(process);
        awaitTermTrapped(process);
        assertThat(process.stop(Duration.ofMillis(500))).as("it ignored SIGTERM").isFalse();
        awaitExit(process);
        assertThat(process.isAlive()).isFalse();
    }

    @Test
    void readinessEndsAsSoonAsTheProbePassesTheProcessExitsOrTheDeadlinePasses() throws Exception {
        java.time.Clock clock = java.time.Clock.systemUTC();
        ManagedProcess sleeping = launchSleep();
        java.util.concurrent.atomic.AtomicInteger probes = new java.util.concurrent.atomic.AtomicInteger();
        assertThat(Readiness.await(() -> probes.incrementAndGet() >= 3, sleeping, clock.instant().plus(TIMEOUT), clock)).isEqualTo(Readiness.Outcome.READY);
        assertThat(probes.get()).isEqualTo(3);
        assertThat(Readiness.await(() -> false, sleeping, clock.instant().plusMillis(300), clock)).isEqualTo(Readiness.Outcome.TIMED_OUT);
        assertThat(Readiness.await(() -> false, Readiness.never(), () -> false, clock.instant().plus(TIMEOUT), clock))
                .isEqualTo(Readiness.Outcome.ABANDONED);

        ManagedProcess failing = launch(Map.of(), "/bin/sh", "-c", "sleep 0.3; exit 3");
        long begun = System.nanoTime();
        assertThat(Readiness.await(() -> false, failing, clock.instant().plus(TIMEOUT), clock)).isEqualTo(Readiness.Outcome.EXITED);
        assertThat(Duration.ofNanos(System.nanoTime() - begun)).as("the exit ends the wait, not the deadline").isLessThan(TIMEOUT);
        sleeping.killAll();
    }
}
