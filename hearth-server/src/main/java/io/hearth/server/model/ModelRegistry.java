package io.hearth.server.model;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.server.HearthException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model registry: one folder per model under {@code <data-dir>/models}, written by the training
 * job ({@code model/}, {@code metrics.json}, {@code model-card.json}). Hearth adds
 * {@code registry.json} next to the card for what it learns later, such as which sweep chose the
 * model as its best; the training job's own files are never rewritten.
 */
public final class ModelRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);
    private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final String CARD = "model-card.json";
    private static final String REGISTRY = "registry.json";

    private final Path root;
    private final ObjectMapper mapper = new ObjectMapper();

    public ModelRegistry(Path root) {
        this.root = requireNonNull(root, "root is null");
    }

    /** A registered model: its card as the training job wrote it, and Hearth's notes on it (an empty object when none). */
    public record RegisteredModel(String modelId, JsonNode card, JsonNode registry) {
        public boolean best() {
            return registry.path("best").asBoolean(false);
        }
    }

    /** Every model with a card, newest first. */
    public List<RegisteredModel> list() {
        List<RegisteredModel> models = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return models;
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root)) {
            for (Path folder : folders) {
                String id = folder.getFileName().toString();
                if (MODEL_ID.matcher(id).matches()) {
                    read(id).ifPresent(models::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the model registry " + root, e);
        }
        models.sort(Comparator.comparing((RegisteredModel model) -> model.card().path("created_at").asText("")).reversed()
                .thenComparing(RegisteredModel::modelId));
        return models;
    }

    public RegisteredModel get(String modelId) {
        if (modelId == null || !MODEL_ID.matcher(modelId).matches()) {
            throw HearthException.invalidArgument("modelId: '%s' is not a model id (letters, digits, '.', '_' and '-')", modelId);
        }
        return read(modelId).orElseThrow(() -> HearthException.notFound("Model %s is not in the registry", modelId));
    }

    /** Records what a sweep says of one of its models: its rank, and whether it is the sweep's best (for its label). */
    public void note(String modelId, ObjectNode notes) {
        if (modelId == null || !MODEL_ID.matcher(modelId).matches() || !Files.isRegularFile(root.resolve(modelId).resolve(CARD))) {
            return;
        }
        Path file = root.resolve(modelId).resolve(REGISTRY);
        Path temporary = file.resolveSibling(REGISTRY + ".tmp");
        try {
            mapper.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), notes);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private Optional<RegisteredModel> read(String modelId) {
        Path folder = root.resolve(modelId);
        Path card = folder.resolve(CARD);
        if (!Files.isRegularFile(card)) {
            return Optional.empty();
        }
        try {
            Path registry = folder.resolve(REGISTRY);
            JsonNode notes = Files.isRegularFile(registry) ? mapper.readTree(registry.toFile()) : mapper.createObjectNode();
            return Optional.of(new RegisteredModel(modelId, mapper.readTree(card.toFile()), notes));
        } catch (IOException e) {
            LOG.warn("Model {} has an unreadable card or registry file: {}", modelId, e.getMessage());
            return Optional.empty();
        }
    }
}
