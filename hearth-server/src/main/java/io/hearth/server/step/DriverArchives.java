package io.hearth.server.step;

import io.hearth.server.HearthException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks a step's {@code --archives} (and {@code spark.archives}) into its working directory, as
 * YARN does for a driver in cluster mode. Spark unpacks them for executors itself; Hearth runs
 * drivers in client mode, where Spark does not, so EMR's recipe for a packed Python environment
 * ({@code --archives env.tar.gz#environment --conf spark.pyspark.python=./environment/bin/python})
 * finds {@code ./environment} on the driver too.
 */
final class DriverArchives {
    private static final long UNPACK_TIMEOUT_MINUTES = 10;

    private DriverArchives() {}

    static void unpack(SparkSubmitArguments arguments, StepContext context, Path stepDirectory, List<String> notes) {
        List<String> archives = new ArrayList<>();
        for (SparkSubmitArguments.Option option : arguments.options()) {
            if (option.name().equals("--archives") && option.value() != null) {
                archives.addAll(List.of(option.value().split(",")));
            } else if (SparkSubmitArguments.isConf(option) && option.value() != null && option.value().startsWith("spark.archives=")) {
                archives.addAll(List.of(option.value().substring("spark.archives=".length()).split(",")));
            }
        }
        for (String archive : archives) {
            if (!archive.isBlank()) {
                unpackOne(archive.strip(), context, stepDirectory, notes);
            }
        }
    }

    private static void unpackOne(String archive, StepContext context, Path stepDirectory, List<String> notes) {
        int hash = archive.indexOf('#');
        String location = hash < 0 ? archive : archive.substring(0, hash);
        String fileName = location.substring(location.lastIndexOf('/') + 1);
        String name = hash < 0 ? fileName : archive.substring(hash + 1);
        Path target = stepDirectory.resolve(name).normalize();
        if (name.isBlank() || !target.getParent().equals(stepDirectory.normalize())) {
            throw HearthException.invalidArgument("--archives %s: the name after # must be a plain folder name, not '%s'", archive, name);
        }
        Path source = context.locations().fetch(location, "--archives");
        if (!Files.isRegularFile(source)) {
            throw HearthException.invalidArgument("--archives %s does not exist (looked for %s)", location, source);
        }
        String lower = fileName.toLowerCase(Locale.ROOT);
        try {
            Files.createDirectories(target);
            if (lower.endsWith(".zip")) {
                unzip(source, target);
            } else if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz") || lower.endsWith(".tar")) {
                untar(source, target);
            } else {
                Files.copy(source, target.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack " + archive + " into " + target, e);
        }
        notes.add("Unpacked archive " + location + " into " + target + " for the driver (Spark unpacks it for executors)");
    }

    private static void untar(Path source, Path target) throws IOException {
        // argv only: tar reads the archive and writes under target, never a shell.
        Process tar = new ProcessBuilder("tar", "-xf", source.toString(), "-C", target.toString(), "--no-same-owner")
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!tar.waitFor(UNPACK_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                tar.destroyForcibly();
                throw new IOException("tar took longer than " + UNPACK_TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            tar.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (tar.exitValue() != 0) {
            throw HearthException.invalidArgument("--archives %s is not a readable tar archive: %s", source, output.strip());
        }
    }

    private static void unzip(Path source, Path target) throws IOException {
        try (InputStream file = Files.newInputStream(source); ZipInputStream zip = new ZipInputStream(file)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Path destination = target.resolve(entry.getName()).normalize();
                if (!destination.startsWith(target)) {
                    throw HearthException.invalidArgument("--archives %s has an entry outside its folder: %s", source, entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                } else {
                    Files.createDirectories(destination.getParent());
                    Files.copy(zip, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
