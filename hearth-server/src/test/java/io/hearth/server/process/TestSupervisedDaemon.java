package io.hearth.server.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hearth.server.process.DaemonNotReadyException.Reason;
import io.hearth.server.testing.TestingClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor with real tiny child processes: sh scripts that get ready, exit or sleep. */
class TestSupervisedDaemon {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration GRACE = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    private ProcessLauncher launcher;
    private ExecutorService executor;
    private ScheduledExecutorService timers;
    private Supervisor supervisor;
    private final MemoryRecords records = new MemoryRecords();
    private final Events events = new Events();
    private final List<SupervisedDaemon> daemons = new CopyOnWriteArrayList<>();
    private final List<ManagedProcess> survivors = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        launcher = ProcessLauncher.install(temp.resolve("bin"));
        executor = Executors.newCachedThreadPool();
        timers = Executors.newSingleThreadScheduledExecutor();
        supervisor = new Supervisor(launcher, executor, timers, Clock.systemUTC());
    }

    @AfterEach
    void stopLeftovers() {
        daemons.forEach(SupervisedDaemon::stop);
        survivors.stream().filter(ManagedProcess::isAlive).forEach(ManagedProcess::killAll);
        executor.shutdownNow();
        timers.shutdownNow();
    }

    @Test
    void launchesAppendsABannerAndIsReadyWhenTheProbePasses() throws Exception {
        Files.createDirectories(temp.resolve("logs"));
        Files.writeString(temp.resolve("logs/daemon.log"), "an earlier run\n");
        SupervisedDaemon daemon = daemon(spec("touch ready; echo started; exec sleep 60").readyWhen(this::readyFileExists, TIMEOUT));

        assertThat(daemon.start()).isEqualTo(SupervisedDaemon.Start.LAUNCHED);
        daemon.awaitReady(TIMEOUT);

        ManagedProcess process = daemon.process().orElseThrow();
        assertThat(process.isAlive()).isTrue();
        assertThat(records.read()).contains(new ProcessRecord(process.pid(), process.startedAt(), "v1"));
        assertThat(events.launched).containsExactly(process.pid());
        await().atMost(TIMEOUT).until(() -> events.ready.contains(process.pid()));
        await().atMost(TIMEOUT).until(() -> Files.readString(daemon.logFile()).contains("started"));
        List<String> log = Files.readAllLines(daemon.logFile());
        assertThat(log.get(0)).isEqualTo("an earlier run");
        assertThat(log.get(1)).startsWith("=== ").endsWith(" Hearth starts the test daemon");
    }

    @Test
    void aProbeThatNeverPassesTimesOutWithTheReason() throws Exception {
        SupervisedDaemon daemon = daemon(spec("exec sleep 60").readyWhen(() -> false, Duration.ofMillis(300)));
        daemon.start();

        assertThatThrownBy(() -> daemon.awaitReady(TIMEOUT)).isInstanceOfSatisfying(DaemonNotReadyException.class,
                failure -> assertThat(failure.reason()).isEqualTo(Reason.TIMED_OUT));
        assertThat(daemon.process().orElseThrow().isAlive()).isTrue();
    }

    @Test
    void aSurvivorWithTheSameFingerprintIsReattachedByItsRecord() throws Exception {
        ManagedProcess survivor = launchSurvivor("v1");

        SupervisedDaemon daemon = daemon(spec("exec sleep 60"));
        assertThat(daemon.start()).isEqualTo(SupervisedDaemon.Start.ADOPTED);
        daemon.awaitReady(TIMEOUT);

        assertThat(daemon.process().orElseThrow().pid()).isEqualTo(survivor.pid());
        assertThat(events.launched).isEmpty();
        assertThat(records.read().orElseThrow().pid()).isEqualTo(survivor.pid());

        // Supervised now: its exit is noticed.
        survivor.killAll();
        await().atMost(TIMEOUT).until(() -> !events.exits.isEmpty());
        assertThat(events.exits.get(0).pid()).isEqualTo(survivor.pid());
    }

    @Test
    void aSurvivorWithAnotherFingerprintIsStoppedAndReplaced() throws Exception {
        ManagedProcess survivor = launchSurvivor("v0");

        SupervisedDaemon daemon = daemon(spec("exec sleep 60"));
        assertThat(daemon.start()).isEqualTo(SupervisedDaemon.Start.LAUNCHED);

        // The daemon stopped the process through a handle of its own; this one hears the exit on its own thread, a moment later.
        assertThat(survivor.onExit()).succeedsWithin(TIMEOUT);
        assertThat(survivor.isAlive()).isFalse();
        ManagedProcess replacement = daemon.process().orElseThrow();
        assertThat(replacement.pid()).isNotEqualTo(survivor.pid());
        assertThat(records.read()).contains(new ProcessRecord(replacement.pid(), replacement.startedAt(), "v1"));
        assertThat(daemon.adopt()).as("the replacement is the recorded process").isTrue();
    }

    @Test
    void anUnexpectedExitRestartsWithGrowingBackoffUntilThePolicyGivesUp() throws Exception {
        RestartPolicy policy = RestartPolicy.bounded(3, Duration.ofHours(1), Duration.ofMillis(50), Duration.ofMillis(120));
        SupervisedDaemon daemon = daemon(spec("exit 3").withRestartPolicy(policy).readyWhen(() -> false, TIMEOUT));
        daemon.start();

        await().atMost(TIMEOUT).until(() -> events.gaveUp.get() != null);

        assertThat(events.exits).extracting(Exit::exitCode).containsOnly(OptionalInt.of(3));
        assertThat(events.exits).extracting(Exit::restartAfter).containsExactly(Optional.of(Duration.ofMillis(50)),
                Optional.of(Duration.ofMillis(100)), Optional.of(Duration.ofMillis(120)), Optional.empty());
        assertThat(events.launched).hasSize(4).doesNotHaveDuplicates();
        assertThat(events.gaveUp.get().reason()).isEqualTo(Reason.GAVE_UP);
        assertThat(banners(daemon)).isEqualTo(4);
        assertThatThrownBy(() -> daemon.awaitReady(TIMEOUT)).isInstanceOfSatisfying(DaemonNotReadyException.class,
                failure -> assertThat(failure.reason()).isEqualTo(Reason.GAVE_UP));
    }

    @Test
    void aRestartedDaemonIsReadyAgain() throws Exception {
        RestartPolicy policy = RestartPolicy.bounded(2, Duration.ofHours(1), Duration.ofMillis(10), Duration.ofMillis(10));
        SupervisedDaemon daemon = daemon(spec("touch ready; exec sleep 60").withRestartPolicy(policy).readyWhen(this::readyFileExists, TIMEOUT));
        daemon.start();
        daemon.awaitReady(TIMEOUT);
        ManagedProcess first = daemon.process().orElseThrow();
        Files.delete(temp.resolve("work/ready"));

        first.killAll();

        await().atMost(TIMEOUT).until(() -> events.launched.size() == 2);
        daemon.awaitReady(TIMEOUT);
        assertThat(daemon.process().orElseThrow().pid()).isNotEqualTo(first.pid());
        assertThat(events.gaveUp.get()).isNull();
    }

    @Test
    void restartsOutsideTheWindowNoLongerCount() throws Exception {
        TestingClock clock = new TestingClock();
        supervisor = new Supervisor(launcher, executor, timers, clock);
        RestartPolicy policy = RestartPolicy.bounded(1, Duration.ofHours(1), Duration.ofMillis(10), Duration.ofMillis(10));
        SupervisedDaemon daemon = daemon(spec("exec sleep 60").withRestartPolicy(policy));
        daemon.start();

        daemon.process().orElseThrow().killAll();
        await().atMost(TIMEOUT).until(() -> events.launched.size() == 2);
        clock.advance(Duration.ofHours(2));
        daemon.process().orElseThrow().killAll();
        await().atMost(TIMEOUT).until(() -> events.launched.size() == 3);
        daemon.process().orElseThrow().killAll();
        await().atMost(TIMEOUT).until(() -> events.gaveUp.get() != null);

        assertThat(events.exits).extracting(Exit::restartAfter).containsExactly(Optional.of(Duration.ofMillis(10)),
                Optional.of(Duration.ofMillis(10)), Optional.empty());
    }

    @Test
    void aStoppedDaemonDoesNotStartAgain() {
        SupervisedDaemon daemon = daemon(spec("exec sleep 60"));
        daemon.stop();

        assertThatThrownBy(daemon::start).isInstanceOf(IllegalStateException.class).hasMessage("The test daemon was stopped");
        assertThat(daemon.process()).isEmpty();
    }

    @Test
    void neverRestartsAndReportsTheExit() throws Exception {
        SupervisedDaemon daemon = daemon(spec("exit 4").readyWhen(() -> false, TIMEOUT));
        daemon.start();

        assertThatThrownBy(() -> daemon.awaitReady(TIMEOUT)).isInstanceOfSatisfying(DaemonNotReadyException.class,
                failure -> assertThat(failure.reason()).isEqualTo(Reason.EXITED));
        await().atMost(TIMEOUT).until(() -> events.gaveUp.get() != null);
        assertThat(events.exits).singleElement().satisfies(exit -> {
            assertThat(exit.exitCode()).isEqualTo(OptionalInt.of(4));
            assertThat(exit.restartAfter()).isEmpty();
        });
        assertThat(events.launched).hasSize(1);
        assertThat(banners(daemon)).isEqualTo(1);
    }

    @Test
    void aStopIsNoCrash() throws Exception {
        RestartPolicy policy = RestartPolicy.bounded(3, Duration.ofHours(1), Duration.ZERO, Duration.ZERO);
        SupervisedDaemon daemon = daemon(spec("touch ready; exec sleep 60").withRestartPolicy(policy).readyWhen(this::readyFileExists, TIMEOUT));
        daemon.start();
        daemon.awaitReady(TIMEOUT);
        ManagedProcess process = daemon.process().orElseThrow();

        daemon.stop();

        assertThat(process.isAlive()).isFalse();
        assertThat(events.exits).isEmpty();
        assertThat(events.gaveUp.get()).isNull();
        assertThat(events.launched).hasSize(1);
        assertThatThrownBy(() -> daemon.awaitReady(TIMEOUT)).isInstanceOfSatisfying(DaemonNotReadyException.class,
                failure -> assertThat(failure.reason()).isEqualTo(Reason.STOPPED));
    }

    @Test
    void aRefusedLaunchStartsNothing() {
        SupervisedDaemon daemon = daemon(spec("exec sleep 60").withLaunchCheck(() -> {
            throw new IOException("port 1 is taken");
        }));

        assertThatThrownBy(daemon::start).isInstanceOf(IOException.class).hasMessage("port 1 is taken");
        assertThat(daemon.process()).isEmpty();
        assertThat(records.read()).isEmpty();
    }

    /** A daemon that runs {@code script} with /bin/sh in {@code work/}, fingerprint v1, never restarted unless the test says. */
    private DaemonSpec spec(String script) {
        return DaemonSpec.of("the test daemon", launchSpec(script)).withFingerprint("v1").withStopGrace(GRACE);
    }

    private LaunchSpec launchSpec(String script) {
        return new LaunchSpec(List.of("/bin/sh", "-c", script), Map.of(), temp.resolve("work"), temp.resolve("logs/daemon.log"), null,
                temp.resolve("run/daemon-exit-status"));
    }

    private SupervisedDaemon daemon(DaemonSpec spec) {
        SupervisedDaemon daemon = supervisor.daemon(spec, records, events);
        daemons.add(daemon);
        return daemon;
    }

    /** What an earlier Hearth left running: launched and recorded, then no longer watched. */
    private ManagedProcess launchSurvivor(String fingerprint) throws IOException {
        ManagedProcess survivor = launcher.launch(launchSpec("exec sleep 60"));
        survivors.add(survivor);
        records.write(new ProcessRecord(survivor.pid(), survivor.startedAt(), fingerprint));
        return survivor;
    }

    private boolean readyFileExists() {
        return Files.exists(temp.resolve("work/ready"));
    }

    private static long banners(SupervisedDaemon daemon) throws IOException {
        return Files.readAllLines(daemon.logFile()).stream().filter(line -> line.contains("Hearth starts the test daemon")).count();
    }

    private static final class MemoryRecords implements ProcessRecords {
        private final AtomicReference<ProcessRecord> record = new AtomicReference<>();

        @Override
        public Optional<ProcessRecord> read() {
            return Optional.ofNullable(record.get());
        }

        @Override
        public void write(ProcessRecord newRecord) {
            record.set(newRecord);
        }
    }

    private record Exit(long pid, OptionalInt exitCode, Optional<Duration> restartAfter) {}

    private static final class Events implements SupervisedDaemon.Listener {
        final List<Long> launched = new CopyOnWriteArrayList<>();
        final List<Long> ready = new CopyOnWriteArrayList<>();
        final List<Exit> exits = new CopyOnWriteArrayList<>();
        final AtomicReference<DaemonNotReadyException> gaveUp = new AtomicReference<>();

        @Override
        public void launched(ManagedProcess process) {
            launched.add(process.pid());
        }

        @Override
        public void ready(ManagedProcess process) {
            ready.add(process.pid());
        }

        @Override
        public void exited(long pid, OptionalInt exitCode, Optional<Duration> restartAfter) {
            exits.add(new Exit(pid, exitCode, restartAfter));
        }

        @Override
        public void gaveUp(DaemonNotReadyException why) {
            gaveUp.set(why);
        }
    }
}
