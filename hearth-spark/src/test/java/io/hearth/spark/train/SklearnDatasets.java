package io.hearth.spark.train;

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
import java.util.zip.GZIPInputStream;

/** The scikit-learn datasets under src/test/resources/datasets, written as CSV folders with a header. */
final class SklearnDatasets {
    private SklearnDatasets() {}

    /** Columns {@code f0 ... f<n-1>} and {@code target}; the first line of scikit-learn's format is dropped. */
    static Path classification(String resource, Path folder) {
        List<String> lines = lines(resource);
        int features = Integer.parseInt(lines.get(0).split(",")[1]);
        List<String> out = new ArrayList<>();
        out.add(header(features) + ",target");
        out.addAll(lines.subList(1, lines.size()));
        return write(folder, out);
    }

    /** The diabetes data: ten features (space separated in the source) and the progression a year later. */
    static Path diabetes(Path folder) {
        List<String> data = lines("diabetes_data_raw.csv.gz");
        List<String> target = lines("diabetes_target.csv.gz");
        List<String> out = new ArrayList<>();
        out.add("age,sex,bmi,bp,s1,s2,s3,s4,s5,s6,progression");
        for (int i = 0; i < data.size(); i++) {
            out.add(String.join(",", data.get(i).trim().split("\\s+")) + "," + Double.parseDouble(target.get(i).trim()));
        }
        return write(folder, out);
    }

    private static String header(int features) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < features; i++) {
            names.add("f" + i);
        }
        return String.join(",", names);
    }

    private static Path write(Path folder, List<String> lines) {
        try {
            Files.createDirectories(folder);
            Files.write(folder.resolve("part-0.csv"), lines, StandardCharsets.UTF_8);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(String resource) {
        try (InputStream raw = SklearnDatasets.class.getResourceAsStream("/datasets/" + resource)) {
            if (raw == null) {
                throw new IllegalArgumentException("No dataset " + resource);
            }
            InputStream in = resource.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
            List<String> lines = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                reader.lines().filter(line -> !line.isBlank()).forEach(lines::add);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
