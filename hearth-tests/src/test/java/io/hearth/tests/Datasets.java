package io.hearth.tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.zip.GZIPInputStream;

/**
 * The scikit-learn datasets kept in hearth-spark's test resources (system property
 * {@code hearth.datasets}, see their README), turned into CSV text with a header.
 */
final class Datasets {
    static final int DIGITS = 10;

    private Datasets() {}

    static Path directory() {
        String directory = System.getProperty("hearth.datasets");
        if (directory == null || !Files.isDirectory(Path.of(directory))) {
            throw new IllegalStateException("hearth.datasets does not point at the datasets folder (" + directory + "): run the tests through Maven");
        }
        return Path.of(directory);
    }

    /** Breast cancer: {@code f0 ... f29} and {@code target} (0 = malignant, 1 = benign); scikit-learn's first line dropped. */
    static String breastCancerCsv() {
        List<String> lines = lines("breast_cancer.csv");
        int features = Integer.parseInt(lines.get(0).split(",")[1]);
        StringJoiner header = new StringJoiner(",");
        for (int i = 0; i < features; i++) {
            header.add("f" + i);
        }
        header.add("target");
        List<String> out = new ArrayList<>();
        out.add(header.toString());
        out.addAll(lines.subList(1, lines.size()));
        return String.join("\n", out) + "\n";
    }

    /**
     * Digits as a multi-label table: {@code id} (the line number), the 64 pixels {@code pixel_<row>_<column>},
     * and {@code is_0 ... is_9}, 1 for the image's digit and 0 for the others. There is no digit column.
     */
    static String digitsMultiLabelCsv() {
        List<String> lines = lines("digits.csv.gz");
        StringJoiner header = new StringJoiner(",");
        header.add("id");
        for (int row = 0; row < 8; row++) {
            for (int column = 0; column < 8; column++) {
                header.add("pixel_" + row + "_" + column);
            }
        }
        for (int digit = 0; digit < DIGITS; digit++) {
            header.add("is_" + digit);
        }
        StringBuilder csv = new StringBuilder(header.toString()).append('\n');
        for (int i = 0; i < lines.size(); i++) {
            String[] fields = lines.get(i).split(",");
            if (fields.length != 65) {
                throw new IllegalStateException("digits.csv.gz line " + (i + 1) + " has " + fields.length + " fields, not 64 pixels and the digit");
            }
            int digit = Integer.parseInt(fields[64]);
            csv.append(i);
            for (int pixel = 0; pixel < 64; pixel++) {
                csv.append(',').append(fields[pixel]);
            }
            for (int label = 0; label < DIGITS; label++) {
                csv.append(',').append(label == digit ? 1 : 0);
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    private static List<String> lines(String name) {
        Path file = directory().resolve(name);
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            reader.lines().filter(line -> !line.isBlank()).forEach(lines::add);
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
