package io.hearth.server.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon's process record (pid, start time, configuration digest) and the ports it listens on, kept as one JSON
 * file in its directory ({@code <catalog>/metastore-process.json}, say), so its ports stay the same for the life of
 * the data directory and a later Hearth can find it. Written atomically.
 */
public final class DaemonProcessFile implements ProcessRecords {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonProcessFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the file holds: the record and each port by name. */
    public record Kept(ProcessRecord process, Map<String, Integer> ports) {
        public Optional<Integer> port(String name) {
            return Optional.ofNullable(ports.get(name));
        }
    }

    private final Path file;
    private final Map<String, Integer> ports;

    /** The file {@code file}, written with {@code ports}. */
    public DaemonProcessFile(Path file, Map<String, Integer> ports) {
        this.file = file;
        this.ports = Map.copyOf(ports);
    }

    public static Optional<Kept> read(Path file, String... portNames) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            ProcessRecord process = new ProcessRecord(node.path("pid").asLong(), Instant.ofEpochMilli(node.path("startedAtMillis").asLong()),
                    node.path("configuration").asText());
            Map<String, Integer> kept = new LinkedHashMap<>();
            for (String name : portNames) {
                if (node.path(name).canConvertToInt()) {
                    kept.put(name, node.path(name).asInt());
                }
            }
            return Optional.of(new Kept(process, kept));
        } catch (IOException e) {
            LOG.warn("Ignoring the unreadable process record {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public Optional<ProcessRecord> read() {
        return read(file).map(Kept::process);
    }

    @Override
    public void write(ProcessRecord record) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("pid", record.pid());
        node.put("startedAtMillis", record.startedAt().toEpochMilli());
        ports.forEach(node::put);
        node.put("configuration", record.fingerprint());
        Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
