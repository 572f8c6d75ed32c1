package io.hearth.cli;

import io.hearth.server.HearthException;
import io.hearth.server.config.HearthConfig;
import io.hearth.server.config.HttpConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Options shared by commands that start or find a Hearth server. Settings are applied in order:
 * defaults, {@code <data-dir>/hearth.properties}, {@code --config FILE}, {@code --set key=value},
 * then {@code --port}.
 */
final class ServerOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where Hearth keeps its state, logs and objects (default: ./hearth-data).")
    Path dataDirectory;

    @Option(names = "--port", paramLabel = "N", description = "HTTP port of the AWS APIs (default: 8780; 0 picks a free port).")
    Integer port;

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file of settings (see docs/configuration.md).")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "One setting, e.g. --set steps.stop-grace-period=30s; repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    HearthConfig toConfig() {
        Map<String, String> values = new LinkedHashMap<>();
        Path dataDirectory = this.dataDirectory == null ? Path.of("hearth-data") : this.dataDirectory;
        values.put(HearthConfig.DATA_DIRECTORY.key(), dataDirectory.toString());
        Path defaultFile = dataDirectory.resolve("hearth.properties");
        if (Files.isRegularFile(defaultFile)) {
            values.putAll(read(defaultFile));
        }
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw HearthException.invalidArgument("--config %s: no such file", configFile);
            }
            values.putAll(read(configFile));
        }
        values.putAll(settings);
        if (port != null) {
            values.put(HttpConfig.PORT.key(), Integer.toString(port));
        }
        if (this.dataDirectory != null) {
            values.put(HearthConfig.DATA_DIRECTORY.key(), this.dataDirectory.toString());
        }
        return HearthConfig.defaults().with(values);
    }

    private static Map<String, String> read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw HearthException.invalidArgument("Cannot read settings from %s: %s", file, e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name).trim()));
        return values;
    }
}
