package io.hearth.cli;

import io.hearth.server.HearthException;
import io.hearth.server.config.HearthConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hearth env}: the environment that points the aws CLI, boto3 and the AWS SDKs at Hearth. */
@Command(name = "env", mixinStandardHelpOptions = true,
        description = {"Prints export lines for the aws CLI, boto3 and the AWS SDKs: eval \"$(bin/hearth env)\";",
                "with a running Hearth also HEARTH_JDBC_URL, the SQL engine's JDBC URL.",
                "Uses the endpoint of the Hearth running on the data directory, else the configured port."})
final class EnvCommand implements Callable<Integer> {
    /** Hearth accepts any credentials; these are only what the clients need to sign requests. */
    static final String ACCESS_KEY_ID = "hearth";
    static final String SECRET_ACCESS_KEY = "hearth-secret";
    static final String REGION = "us-east-1";

    @Mixin
    ServerOptions options = new ServerOptions();

    @Option(names = "--region", paramLabel = "REGION", description = "Region to sign requests for (default: ${DEFAULT-VALUE}).", defaultValue = REGION)
    String region;

    @Override
    public Integer call() throws IOException {
        HearthConfig config = options.toConfig();
        String endpoint = options.port == null ? runningEndpoint(config.dataDirectory()) : null;
        if (endpoint == null) {
            if (config.http().port() == 0) {
                throw HearthException.invalidArgument("No Hearth is running on %s, and port 0 means a free port chosen when Hearth starts: "
                        + "start Hearth first, or give --port", config.dataDirectory());
            }
            String host = config.http().bindAddress().contains(":") ? "[" + config.http().bindAddress() + "]" : config.http().bindAddress();
            endpoint = "http://" + host + ":" + config.http().port();
        }
        System.out.println("export AWS_ENDPOINT_URL=" + endpoint);
        System.out.println("export AWS_ACCESS_KEY_ID=" + ACCESS_KEY_ID);
        System.out.println("export AWS_SECRET_ACCESS_KEY=" + SECRET_ACCESS_KEY);
        System.out.println("export AWS_DEFAULT_REGION=" + region);
        System.out.println("export AWS_REGION=" + region);
        String jdbcUrl = runFile(config.dataDirectory(), "jdbc-url");
        if (jdbcUrl != null) {
            System.out.println("export HEARTH_JDBC_URL=" + jdbcUrl);
        }
        String jdbcHttpUrl = runFile(config.dataDirectory(), "jdbc-http-url");
        if (jdbcHttpUrl != null) {
            // quoted: the URL's ; would end the shell command
            System.out.println("export HEARTH_JDBC_HTTP_URL='" + jdbcHttpUrl + "'");
        }
        return 0;
    }

    /** What a running Hearth with SQL on wrote into {@code run/NAME} of its data directory (a JDBC URL), if it did. */
    static String runFile(Path dataDirectory, String name) throws IOException {
        Path file = dataDirectory.resolve("run").resolve(name);
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : null;
    }

    /** The endpoint a running Hearth wrote into its data directory, if one is running. */
    static String runningEndpoint(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve("run").resolve("endpoint");
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : null;
    }
}
