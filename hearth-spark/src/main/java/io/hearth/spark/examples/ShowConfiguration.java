package io.hearth.spark.examples;

import java.util.Arrays;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Example job that prints what a Spark application sees of its configuration, one
 * {@code name=value} line per name asked for, where a name is one of:
 * <ul>
 *   <li>{@code spark:KEY}, a Spark setting of the application;</li>
 *   <li>{@code hadoop:KEY}, a Hadoop setting (core-site.xml, hive-site.xml);</li>
 *   <li>{@code env:NAME}, an environment variable of the driver;</li>
 *   <li>{@code executor-env:NAME}, the same variable inside an executor task;</li>
 *   <li>{@code log:LOGGER}, the level of a log4j logger.</li>
 * </ul>
 * A missing value prints as {@code <unset>}.
 */
public final class ShowConfiguration {
    private static final String UNSET = "<unset>";

    private ShowConfiguration() {}

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().appName("ShowConfiguration").getOrCreate();
        try {
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            for (String name : args) {
                System.out.println(name + "=" + value(spark, context, name));
            }
        } finally {
            spark.stop();
        }
    }

    private static String value(SparkSession spark, JavaSparkContext context, String name) {
        int colon = name.indexOf(':');
        String kind = colon < 0 ? "" : name.substring(0, colon);
        String key = name.substring(colon + 1);
        String value = switch (kind) {
            case "spark" -> spark.sparkContext().getConf().get(key, null);
            case "hadoop" -> spark.sparkContext().hadoopConfiguration().get(key);
            case "env" -> System.getenv(key);
            case "executor-env" -> {
                List<String> seen = context.parallelize(Arrays.asList(1), 1).map(ignored -> {
                    String inExecutor = System.getenv(key);
                    return inExecutor == null ? UNSET : inExecutor;
                }).collect();
                yield seen.get(0);
            }
            case "log" -> LogManager.getLogger(key).getLevel().toString();
            default -> throw new IllegalArgumentException("Unknown configuration name '" + name + "': use spark:, hadoop:, env:, executor-env: or log:");
        };
        return value == null ? UNSET : value;
    }
}
