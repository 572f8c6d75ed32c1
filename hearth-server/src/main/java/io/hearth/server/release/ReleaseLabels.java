package io.hearth.server.release;

import io.hearth.server.HearthException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The EMR release labels Hearth accepts. Every emr-6.x.y and emr-7.x.y label is accepted and runs
 * the same applications: Spark 3.5.1 on Hadoop 3.3.4 client libraries, with Spark's built-in
 * Hive 2.3.9 for the metastore and Spark SQL. ListReleaseLabels names the labels of the table
 * in docs/release-labels.md, newest first.
 */
public final class ReleaseLabels {
    public static final String SPARK_VERSION = "3.5.1";
    public static final String HADOOP_VERSION = "3.3.4";
    public static final String HIVE_VERSION = "2.3.9";

    /** The applications every accepted label runs, by canonical name, with the version Hearth runs. */
    public static final Map<String, String> APPLICATIONS = Map.of("Spark", SPARK_VERSION, "Hadoop", HADOOP_VERSION, "Hive", HIVE_VERSION);

    private static final Pattern ACCEPTED = Pattern.compile("emr-(6|7)\\.\\d{1,2}\\.\\d{1,2}");
    private static final List<String> LISTED;

    static {
        List<String> labels = new ArrayList<>();
        for (int minor = 10; minor >= 0; minor--) {
            labels.add("emr-7." + minor + ".0");
        }
        for (int minor = 15; minor >= 0; minor--) {
            labels.add("emr-6." + minor + ".0");
        }
        LISTED = List.copyOf(labels);
    }

    private ReleaseLabels() {}

    public static boolean isAccepted(String label) {
        return label != null && ACCEPTED.matcher(label).matches();
    }

    public static void check(String label, String member) {
        if (!isAccepted(label)) {
            throw HearthException.invalidArgument("%s '%s' is not supported: Hearth accepts emr-6.x.y and emr-7.x.y release labels, which all run Spark %s",
                    member, label, SPARK_VERSION);
        }
    }

    /** Labels to list, newest first. */
    public static List<String> listed() {
        return LISTED;
    }

    /** The canonical name of a supported application (names are case-insensitive), or an error naming the member. */
    public static String canonicalApplication(String name, String member) {
        for (String known : APPLICATIONS.keySet()) {
            if (known.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return known;
            }
        }
        throw HearthException.invalidArgument("%s: application '%s' is not supported by Hearth; supported applications: %s",
                member, name, List.of("Hadoop", "Hive", "Spark"));
    }
}
