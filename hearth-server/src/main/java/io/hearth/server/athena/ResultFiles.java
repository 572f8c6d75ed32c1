package io.hearth.server.athena;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.HearthException;
import io.hearth.server.storage.LocationResolver;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A query's result files where Athena puts them: the engine writes {@code <id>.csv} (Athena's quoting, a header line)
 * into its results directory; a succeeded query's file is then moved to {@code <OutputLocation>/<id>.csv} with a
 * {@code .csv.metadata} beside it, or rewritten as {@code <id>.txt} (tab-separated, no header) for DDL and utility
 * statements, so clients that read results from S3 find them. Pages of GetQueryResults are read back from there.
 */
final class ResultFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path engineResults;
    private final LocationResolver locations;

    ResultFiles(Path engineResults, LocationResolver locations) {
        this.engineResults = requireNonNull(engineResults, "engineResults is null");
        this.locations = requireNonNull(locations, "locations is null");
    }

    /** Where the engine writes the query's CSV. */
    Path engineFile(String queryId) {
        return engineResults.resolve(queryId + ".csv");
    }

    /** Checks, before a query is accepted, that its result location can be written: its bucket exists. */
    void checkWritable(String outputFolder) {
        locations.resolveForWriting(outputFolder, "ResultConfiguration.OutputLocation");
    }

    /** Moves a succeeded query's result to its result location. */
    void publish(QueryExecution query) throws IOException {
        Path written = engineFile(query.id());
        Path target = locations.resolveForWriting(query.resultLocation(), "ResultConfiguration.OutputLocation");
        Files.createDirectories(target.getParent());
        if (!Files.exists(written)) {
            // A statement without a result set (most DDL) leaves no file; Athena writes an empty one.
            Files.deleteIfExists(target);
            Files.createFile(target);
        } else if (query.hasTextResult()) {
            writeText(written, target);
            Files.delete(written);
        } else {
            move(written, target);
            Path metadata = target.resolveSibling(target.getFileName() + ".metadata");
            JSON.writeValue(metadata.toFile(), Map.of("columns", query.columns()));
        }
        locations.publish(target.getParent());
    }

    /** Deletes what the engine wrote for a query that did not succeed. */
    void discard(String queryId) {
        try {
            Files.deleteIfExists(engineFile(queryId));
        } catch (IOException e) {
            // a leftover in Hearth's own results directory; the next query with this id (none) would replace it
        }
    }

    /** Rows {@code offset} to {@code offset + limit} of the result, the CSV header line being row 0. */
    List<List<String>> rows(QueryExecution query, long offset, int limit) {
        Path file = locations.fetch(query.resultLocation(), "the query's result");
        List<List<String>> rows = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long index = 0;
            while (rows.size() < limit) {
                List<String> row = query.hasTextResult() ? textRow(reader) : AthenaCsvReader.next(reader);
                if (row == null) {
                    break;
                }
                if (index++ >= offset) {
                    rows.add(row);
                }
            }
            return rows;
        } catch (NoSuchFileException e) {
            throw HearthException.invalidArgument("The result of query %s is gone: %s does not exist", query.id(), query.resultLocation());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the result of query " + query.id(), e);
        }
    }

    private static List<String> textRow(BufferedReader reader) throws IOException {
        String line = reader.readLine();
        return line == null ? null : List.of(line.split("\t", -1));
    }

    private static void writeText(Path csv, Path target) throws IOException {
        try (BufferedReader lines = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                BufferedWriter out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            AthenaCsvReader.next(lines); // the header: Athena's .txt results have none
            for (List<String> row = AthenaCsvReader.next(lines); row != null; row = AthenaCsvReader.next(lines)) {
                out.write(String.join("\t", row.stream().map(value -> value == null ? "" : value).toList()));
                out.write('\n');
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // another file system (an object store on another disk): copy then delete
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(from);
        }
    }
}
