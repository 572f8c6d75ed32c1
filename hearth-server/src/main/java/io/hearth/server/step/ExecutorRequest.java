package io.hearth.server.step;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one Spark application asks of a standalone cluster, as Spark's own precedence decides it:
 * spark-submit's dedicated option ({@code --executor-cores}), else {@code --conf}, else the
 * cluster's spark-defaults. The standalone master places an executor only on a worker with that
 * many free cores and that much free memory, and gives an application no more than
 * {@code spark.cores.max} cores in all.
 *
 * @param executorCores {@code spark.executor.cores}; empty when unset (an executor then takes all
 *        the free cores of a worker, at least one)
 * @param executorMemoryMb {@code spark.executor.memory} in MiB (Spark's default 1g); empty when Spark
 *        would not read the value itself
 * @param coresMax {@code spark.cores.max}; empty when unset (no limit)
 */
record ExecutorRequest(OptionalInt executorCores, OptionalLong executorMemoryMb, OptionalInt coresMax) {
    static final String EXECUTOR_CORES = "spark.executor.cores";
    static final String EXECUTOR_MEMORY = "spark.executor.memory";
    static final String CORES_MAX = "spark.cores.max";
    private static final long DEFAULT_EXECUTOR_MEMORY_MB = 1024;
    private static final Pattern BYTES = Pattern.compile("(\\d{1,15})\\s*([a-z]*)");

    static ExecutorRequest of(SparkSubmitArguments arguments, Map<String, String> sparkDefaults) {
        Optional<String> cores = setting(arguments, "--executor-cores", EXECUTOR_CORES, sparkDefaults);
        Optional<String> memory = setting(arguments, "--executor-memory", EXECUTOR_MEMORY, sparkDefaults);
        Optional<String> coresMax = setting(arguments, "--total-executor-cores", CORES_MAX, sparkDefaults);
        return new ExecutorRequest(positive(cores), memory.isPresent() ? megabytes(memory.get()) : OptionalLong.of(DEFAULT_EXECUTOR_MEMORY_MB),
                positive(coresMax));
    }

    /** The fewest cores one executor takes. */
    int minimumExecutorCores() {
        return executorCores.orElse(1);
    }

    private static Optional<String> setting(SparkSubmitArguments arguments, String option, String key, Map<String, String> sparkDefaults) {
        return arguments.value(option).or(() -> arguments.conf(key)).or(() -> Optional.ofNullable(sparkDefaults.get(key)));
    }

    private static OptionalInt positive(Optional<String> text) {
        try {
            return text.map(String::trim).map(Integer::parseInt).filter(value -> value > 0).map(OptionalInt::of).orElse(OptionalInt.empty());
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** Spark's size strings ({@code 512m}, {@code 4g}, {@code 4096}, which means MiB); empty for what Spark itself would refuse. */
    static OptionalLong megabytes(String text) {
        Matcher matcher = BYTES.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            return OptionalLong.empty();
        }
        long value = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "b" -> OptionalLong.of(value / (1024 * 1024));
            case "k", "kb" -> OptionalLong.of(value / 1024);
            case "", "m", "mb" -> OptionalLong.of(value);
            case "g", "gb" -> OptionalLong.of(value * 1024);
            case "t", "tb" -> OptionalLong.of(value * 1024 * 1024);
            case "p", "pb" -> OptionalLong.of(value * 1024 * 1024 * 1024);
            default -> OptionalLong.empty();
        };
    }
}
