package io.hearth.server.storage;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * S3's rules for the name of a new bucket. A bucket becomes a folder under the object store and a
 * host name in s3:// URIs read by Spark and Hadoop, so names outside these rules are refused at
 * creation, as S3 refuses them.
 */
public final class BucketNames {
    private static final Pattern ALLOWED = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /** Path-style requests to /api/... are Hearth's REST API, so no bucket may be called that. */
    static final String RESERVED = "api";
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private BucketNames() {}

    /** Why {@code name} cannot name a new bucket, or empty when it can. */
    public static Optional<String> problemWith(String name) {
        if (name.length() < 3 || name.length() > 63) {
            return Optional.of("Bucket name must be between 3 and 63 characters long: " + name);
        }
        if (!ALLOWED.matcher(name).matches()) {
            return Optional.of("Bucket name may contain only lowercase letters, digits, dots and hyphens, and must begin"
                    + " and end with a letter or digit: " + name);
        }
        if (name.contains("..") || name.contains(".-") || name.contains("-.")) {
            return Optional.of("Bucket name must not contain two adjacent periods, or a period next to a hyphen: " + name);
        }
        if (name.equals(RESERVED)) {
            return Optional.of("Bucket name " + RESERVED + " is reserved: Hearth serves its REST API under /" + RESERVED + "/ on the same port");
        }
        if (IP_ADDRESS.matcher(name).matches()) {
            return Optional.of("Bucket name must not be formatted as an IP address: " + name);
        }
        return Optional.empty();
    }
}
