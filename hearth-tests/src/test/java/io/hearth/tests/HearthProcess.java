package io.hearth.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.emr.EmrClient;

/** {@code bin/hearth up} as a separate process, so a test can kill it the hard way and start it again. */
final class HearthProcess implements AutoCloseable {
    private final Process process;
    private final URI endpoint;
    private final EmrClient emr;

    private HearthProcess(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
        this.emr = EmrClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAPROCESSTEST", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** Starts Hearth on {@code dataDirectory} and {@code port}, with {@code settings}, and waits until it says it is ready. */
    static HearthProcess start(Path dataDirectory, int port, Map<String, String> settings) {
        return start(dataDirectory, port, settings, Map.of());
    }

    /** {@link #start(Path, int, Map)} with variables added to Hearth's environment (a crash point, say). */
    static HearthProcess start(Path dataDirectory, int port, Map<String, String> settings, Map<String, String> environment) {
        try {
            Files.createDirectories(dataDirectory);
            Path log = dataDirectory.resolveSibling(dataDirectory.getFileName() + "-server.log");
            long offset = Files.exists(log) ? Files.size(log) : 0;
            List<String> command = new java.util.ArrayList<>(List.of(Distribution.hearthCommand().toString(), "up",
                    "--data-dir", dataDirectory.toString(), "--port", Integer.toString(port)));
            settings.forEach((key, value) -> {
                command.add("--set");
                command.add(key + "=" + value);
            });
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (true) {
                String output = Files.exists(log) ? Files.readString(log).substring((int) offset) : "";
                if (output.contains("Hearth is ready at")) {
                    return new HearthProcess(process, URI.create("http://127.0.0.1:" + port));
                }
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("Hearth did not start:\n" + output);
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    EmrClient emr() {
        return emr;
    }

    URI endpoint() {
        return endpoint;
    }

    long pid() {
        return process.pid();
    }

    /** kill -9: Hearth gets no chance to stop anything. */
    void kill() throws InterruptedException {
        emr.close();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits until Hearth has ended by itself (at a crash point, say); returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Hearth did not end within " + timeout);
        }
        emr.close();
        return process.exitValue();
    }

    /** SIGTERM, as a service manager or Ctrl-C would stop it; returns the exit code. */
    int stop() throws InterruptedException {
        emr.close();
        process.destroy();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("Hearth did not stop within 2 minutes of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
