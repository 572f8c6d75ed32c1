package io.hearth.cli;

import io.hearth.client.HearthClientException;
import io.hearth.server.HearthException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hearth} command. */
@Command(
        name = "hearth",
        mixinStandardHelpOptions = true,
        versionProvider = HearthCli.Version.class,
        description = "Hearth: a self-hosted Elastic MapReduce for machine learning.",
        subcommands = {UpCommand.class, EnvCommand.class, QuickstartCommand.class, TrainCommand.class, SweepCommand.class, ModelsCommand.class, SqlCommand.class,
                CommandLine.HelpCommand.class})
public final class HearthCli {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code: 0 success, 1 failure, 2 bad usage or settings. */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new HearthCli());
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            if (exception instanceof HearthClientException client) {
                line.getErr().println("hearth: " + client.getMessage());
                return client.status() >= 400 && client.status() < 500 ? 2 : 1;
            }
            if (exception instanceof IllegalArgumentException bad) {
                line.getErr().println("hearth: " + bad.getMessage());
                return 2;
            }
            if (exception instanceof HearthException hearth) {
                line.getErr().println("hearth: " + hearth.getMessage());
                return 2;
            }
            line.getErr().println("hearth: " + exception.getMessage());
            return 1;
        });
        return commandLine.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = HearthCli.class.getPackage().getImplementationVersion();
            return new String[] {"Hearth " + (version == null ? "(development build)" : version) + ", Spark 3.5.1"};
        }
    }
}
