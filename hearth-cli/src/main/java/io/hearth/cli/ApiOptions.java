package io.hearth.cli;

import io.hearth.client.HearthClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How the commands that talk to a running Hearth find it: {@code --endpoint}, else HEARTH_ENDPOINT,
 * else the endpoint the Hearth on {@code --data-dir} wrote when it started, else AWS_ENDPOINT_URL
 * (as {@code hearth env} sets it), else http://127.0.0.1:8780.
 */
final class ApiOptions {
    @Option(names = "--endpoint", paramLabel = "URL", description = "Hearth's URL (default: HEARTH_ENDPOINT, the running Hearth of --data-dir, AWS_ENDPOINT_URL, http://127.0.0.1:8780).")
    URI endpoint;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory of the running Hearth to talk to (default: ./hearth-data).")
    Path dataDirectory = Path.of("hearth-data");

    HearthClient client() {
        if (endpoint != null) {
            return HearthClient.connect(endpoint);
        }
        String variable = System.getenv("HEARTH_ENDPOINT");
        if (variable != null && !variable.isBlank()) {
            return HearthClient.connect(URI.create(variable.trim()));
        }
        try {
            String running = EnvCommand.runningEndpoint(dataDirectory);
            if (running != null) {
                return HearthClient.connect(URI.create(running));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the endpoint of the Hearth in " + dataDirectory, e);
        }
        return HearthClient.fromEnvironment();
    }
}
