package io.hearth.server.step;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The arguments of a spark-submit (or spark-sql) command line, split the way Spark's own option
 * parser splits them: Spark options (with their values), then the primary resource and the
 * application's arguments, which are never touched. Hearth rewrites a few Spark options
 * (the master, the deploy mode, listeners) and renders the list back.
 */
final class SparkSubmitArguments {
    /** Options that take a value, as in Spark's SparkSubmitOptionParser. */
    private static final Set<String> WITH_VALUE = Set.of(
            "--archives", "--class", "--conf", "-c", "--deploy-mode", "--driver-class-path", "--driver-cores",
            "--driver-java-options", "--driver-library-path", "--driver-memory", "--executor-cores", "--executor-memory",
            "--exclude-packages", "--files", "--jars", "--keytab", "--kill", "--master", "--name", "--num-executors",
            "--packages", "--principal", "--properties-file", "--proxy-user", "--py-files", "--queue", "--remote",
            "--repositories", "--status", "--total-executor-cores");
    private static final Set<String> SWITCHES = Set.of("--help", "-h", "--supervise", "--usage-error", "--verbose", "-v", "--version");

    /** One Spark option: its name and value (null for a switch). */
    record Option(String name, String value) {}

    private final List<Option> options;
    private final String primaryResource;
    private final List<String> applicationArguments;

    private SparkSubmitArguments(List<Option> options, String primaryResource, List<String> applicationArguments) {
        this.options = options;
        this.primaryResource = primaryResource;
        this.applicationArguments = applicationArguments;
    }

    /**
     * Splits spark-submit arguments: options until the first argument that is not one; that is
     * the primary resource, and everything after it belongs to the application.
     */
    static SparkSubmitArguments parseSubmit(List<String> args) {
        List<Option> options = new ArrayList<>();
        int i = 0;
        while (i < args.size()) {
            String arg = args.get(i);
            int consumed = readOption(args, i, options);
            if (consumed == 0) {
                break;
            }
            i += consumed;
            if (arg.equals("--usage-error")) {
                break;
            }
        }
        String primary = i < args.size() ? args.get(i) : null;
        List<String> rest = i + 1 < args.size() ? new ArrayList<>(args.subList(i + 1, args.size())) : new ArrayList<>();
        return new SparkSubmitArguments(options, primary, rest);
    }

    /**
     * Splits spark-sql arguments: Spark options may appear anywhere; everything else (-e, -f,
     * --hiveconf, ...) belongs to the Spark SQL command line, in its order.
     */
    static SparkSubmitArguments parseMixed(List<String> args) {
        List<Option> options = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        int i = 0;
        while (i < args.size()) {
            int consumed = readOption(args, i, options);
            if (consumed == 0) {
                rest.add(args.get(i));
                // The value of a Spark SQL option (-e "..." or -f file) is never a Spark option.
                if (isSqlOptionWithValue(args.get(i)) && i + 1 < args.size()) {
                    rest.add(args.get(i + 1));
                    i++;
                }
                i++;
            } else {
                i += consumed;
            }
        }
        return new SparkSubmitArguments(options, null, rest);
    }

    private static boolean isSqlOptionWithValue(String arg) {
        return Set.of("-e", "-f", "-i", "--database", "--hiveconf", "--hivevar", "-d", "--define").contains(arg);
    }

    /** Reads the option at {@code i} into {@code options}; returns how many arguments it used (0 if none). */
    private static int readOption(List<String> args, int i, List<Option> options) {
        String arg = args.get(i);
        int equals = arg.indexOf('=');
        if (arg.startsWith("--") && equals > 0 && WITH_VALUE.contains(arg.substring(0, equals))) {
            options.add(new Option(arg.substring(0, equals), arg.substring(equals + 1)));
            return 1;
        }
        if (WITH_VALUE.contains(arg)) {
            if (i + 1 >= args.size()) {
                options.add(new Option(arg, null));
                return 1;
            }
            options.add(new Option(arg, args.get(i + 1)));
            return 2;
        }
        if (SWITCHES.contains(arg)) {
            options.add(new Option(arg, null));
            return 1;
        }
        return 0;
    }

    List<Option> options() {
        return options;
    }

    Optional<String> primaryResource() {
        return Optional.ofNullable(primaryResource);
    }

    List<String> applicationArguments() {
        return applicationArguments;
    }

    /** The last value given for an option (Spark keeps the last one too); {@code --conf k=v} is looked up by key. */
    Optional<String> value(String name) {
        String found = null;
        for (Option option : options) {
            if (option.name().equals(name)) {
                found = option.value();
            }
        }
        return Optional.ofNullable(found);
    }

    Optional<String> conf(String key) {
        String found = null;
        for (Option option : options) {
            if (isConf(option) && option.value() != null && option.value().startsWith(key + "=")) {
                found = option.value().substring(key.length() + 1);
            }
        }
        return Optional.ofNullable(found);
    }

    static boolean isConf(Option option) {
        return option.name().equals("--conf") || option.name().equals("-c");
    }

    SparkSubmitArguments withOptions(List<Option> newOptions) {
        return new SparkSubmitArguments(List.copyOf(newOptions), primaryResource, applicationArguments);
    }

    SparkSubmitArguments withPrimaryResource(String newPrimaryResource) {
        return new SparkSubmitArguments(options, newPrimaryResource, applicationArguments);
    }

    /** Renders back to argv: options, then primary resource, then the rest. */
    List<String> toArgs() {
        List<String> args = new ArrayList<>();
        for (Option option : options) {
            args.add(option.name());
            if (option.value() != null) {
                args.add(option.value());
            }
        }
        if (primaryResource != null) {
            args.add(primaryResource);
        }
        args.addAll(applicationArguments);
        return args;
    }
}
