package io.hearth.server.catalog.metastore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.server.process.ProcessRecord;
import io.hearth.server.process.ProcessRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <catalog>/metastore-process.json}: the metastore's process record (pid, start time,
 * configuration digest) and its thrift port, which stays the same for the life of the data directory.
 */
final class MetastoreProcessFile implements ProcessRecords {
    private static final Logger LOG = LoggerFactory.getLogger(MetastoreProcessFile.class);
    private static final String NAME = "metastore-process.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the file holds. */
    record Kept(ProcessRecord process, int port) {}

    private final Path directory;
    private final int port;

    /** The file in {@code directory}, written with {@code port}. */
    MetastoreProcessFile(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    static Optional<Kept> read(Path directory) {
        Path file = directory.resolve(NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            ProcessRecord process = new ProcessRecord(node.path("pid").asLong(), Instant.ofEpochMilli(node.path("startedAtMillis").asLong()),
                    node.path("configuration").asText());
            return Optional.of(new Kept(process, node.path("port").asInt()));
        } catch (IOException e) {
            LOG.warn("Ignoring the unreadable metastore record {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public Optional<ProcessRecord> read() {
        return read(directory).map(Kept::process);
    }

    @Override
    public void write(ProcessRecord record) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("pid", record.pid());
        node.put("startedAtMillis", record.startedAt().toEpochMilli());
        node.put("port", port);
        node.put("configuration", record.fingerprint());
        Path temporary = Files.createTempFile(directory, "metastore-process", ".tmp");
        Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
        Files.move(temporary, directory.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
