package io.hearth.server.catalog.glue;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import io.hearth.server.config.CatalogConfig;
import io.hearth.server.config.HearthConfig;
import io.hearth.server.storage.BucketNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where Glue may put a database, table or partition. The metastore creates the folder a location
 * names (and deletes a managed table's), so a location is checked before it reaches it:
 * <ul>
 *   <li>{@code s3://}, {@code s3a://} and {@code s3n://} locations name a valid bucket; their dot
 *       segments are resolved and must not leave the bucket;</li>
 *   <li>local locations ({@code file:} URIs and absolute paths) must lie in the data directory's
 *       warehouse, inside a bucket of its object store, or under one of the configured
 *       {@value HearthConfig#CATALOG_ALLOWED_LOCAL_ROOTS}; the rest of the data directory is
 *       Hearth's own state. Symbolic links are followed before the check;</li>
 *   <li>other schemes and relative paths are refused.</li>
 * </ul>
 * A location that is the one the object already has is kept as it is, so a table Spark created
 * elsewhere can still be updated through Glue.
 */
final class CatalogLocations {
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):(.*)", Pattern.DOTALL);

    private final Path dataDirectory;
    private final Path warehouse;
    private final Path objectStore;
    private final List<Path> allowedRoots;

    CatalogLocations(Path dataDirectory, Path warehouse, Path objectStore, List<Path> allowedRoots) {
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null").toAbsolutePath().normalize();
        this.warehouse = requireNonNull(warehouse, "warehouse is null").toAbsolutePath().normalize();
        this.objectStore = requireNonNull(objectStore, "objectStore is null").toAbsolutePath().normalize();
        this.allowedRoots = requireNonNull(allowedRoots, "allowedRoots is null").stream().map(root -> root.toAbsolutePath().normalize()).toList();
    }

    static CatalogLocations of(HearthConfig config) {
        return new CatalogLocations(config.dataDirectory(), config.warehouseDirectory(), config.objectStoreDirectory(),
                config.catalog().allowedLocalRoots());
    }

    /**
     * The location to store for request member {@code member}: {@code location} normalised, or an
     * {@code InvalidInputException} naming the member. Null and empty mean "no location" and pass.
     */
    String check(String location, String member) {
        if (location == null || location.isEmpty()) {
            return location;
        }
        Matcher scheme = SCHEME.matcher(location);
        if (scheme.matches() && scheme.group(1).length() > 1) {
            String name = scheme.group(1).toLowerCase(Locale.ROOT);
            String rest = scheme.group(2);
            return switch (name) {
                case "s3", "s3a", "s3n" -> objectLocation(name, rest, location, member);
                case "file" -> fileLocation(rest, location, member);
                default -> throw HearthException.invalidArgument("%s '%s' uses the scheme %s:, where Hearth's catalog cannot keep data; use s3://bucket/key, "
                        + "file:///path or /path", member, location, name);
            };
        }
        if (location.startsWith("/")) {
            return localPath(location, member, location);
        }
        throw HearthException.invalidArgument("%s '%s' is not an absolute location; use s3://bucket/key, file:///path or /path", member, location);
    }

    /** As {@link #check}, except that the location {@code current} the object has now is kept as it is. */
    String checkChange(String location, String current, String member) {
        if (location != null && current != null && comparable(location).equals(comparable(current))) {
            return location;
        }
        return check(location, member);
    }

    private static String comparable(String location) {
        String text = HiveMapping.stripTrailingSlash(location);
        if (text.regionMatches(true, 0, "file:///", 0, 8)) {
            return "file:/" + text.substring(8);
        }
        return text;
    }

    // ------------------------------------------------------------------ s3://

    private static String objectLocation(String scheme, String rest, String location, String member) {
        if (!rest.startsWith("//")) {
            throw HearthException.invalidArgument("%s '%s' does not name a bucket: write %s://bucket/key", member, location, scheme);
        }
        String afterSlashes = rest.substring(2);
        int slash = afterSlashes.indexOf('/');
        String bucket = slash < 0 ? afterSlashes : afterSlashes.substring(0, slash);
        String key = slash < 0 ? "" : afterSlashes.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw HearthException.invalidArgument("%s '%s' does not name a bucket: write %s://bucket/key", member, location, scheme);
        }
        Optional<String> problem = BucketNames.problemWith(bucket);
        if (problem.isPresent()) {
            throw HearthException.invalidArgument("%s '%s' does not name a valid bucket: %s", member, location, problem.get());
        }
        List<String> segments = new ArrayList<>();
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    throw HearthException.invalidArgument("%s '%s' leaves its bucket", member, location);
                }
                segments.remove(segments.size() - 1);
            } else {
                segments.add(segment);
            }
        }
        String normalised = scheme + "://" + bucket + "/" + String.join("/", segments);
        return !segments.isEmpty() && location.endsWith("/") ? normalised + "/" : normalised;
    }

    // ------------------------------------------------------------------ local locations

    private String fileLocation(String rest, String location, String member) {
        String prefix;
        String path;
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            String host = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
            if (!host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
                throw HearthException.invalidArgument("%s '%s' names the host %s; a file location must be on this machine: file:///path", member, location,
                        host);
            }
            prefix = "file://";
            path = slash < 0 ? "/" : rest.substring(slash);
        } else {
            prefix = "file:";
            path = rest;
        }
        if (!path.startsWith("/")) {
            throw HearthException.invalidArgument("%s '%s' is not an absolute location; use file:///path", member, location);
        }
        return prefix + localPath(path, member, location);
    }

    /** A local path, normalised, once it is known to lie where the catalog may keep data. */
    private String localPath(String path, String member, String location) {
        Path normalised;
        try {
            normalised = Path.of(path).normalize();
        } catch (InvalidPathException e) {
            throw HearthException.invalidArgument("%s '%s' is not a valid path: %s", member, location, e.getReason());
        }
        Path real = realPath(normalised);
        if (real == null) {
            throw HearthException.invalidArgument("%s '%s' goes through a symbolic link that cannot be followed", member, location);
        }
        Path realDataDirectory = realPath(dataDirectory);
        if (realDataDirectory.startsWith(real)) {
            throw HearthException.invalidArgument("%s '%s' holds Hearth's data directory %s, where Hearth keeps its own state", member, location,
                    dataDirectory);
        }
        if (real.startsWith(realDataDirectory)) {
            Path realWarehouse = realPath(warehouse);
            Path realObjectStore = realPath(objectStore);
            boolean inWarehouse = real.startsWith(realWarehouse) && !real.equals(realWarehouse);
            boolean inBucket = real.startsWith(realObjectStore) && real.getNameCount() > realObjectStore.getNameCount() + 1;
            if (!inWarehouse && !inBucket) {
                throw HearthException.invalidArgument("%s '%s' is in Hearth's data directory but not in its warehouse (%s) or inside a bucket of its"
                        + " object store (%s): the rest of the data directory is Hearth's own state", member, location, warehouse, objectStore);
            }
        } else if (allowedRoots.stream().map(CatalogLocations::realPath).noneMatch(root -> root != null && real.startsWith(root))) {
            throw HearthException.invalidArgument("%s '%s' is outside the folders where the catalog may keep data: the data directory's warehouse (%s) "
                    + "and object store (%s), and the folders of setting %s (%s)", member, location, warehouse, objectStore,
                    CatalogConfig.ALLOWED_LOCAL_ROOTS.key(), allowedRoots.isEmpty() ? "none set" : allowedRoots.stream().map(Path::toString)
                            .collect(Collectors.joining(", ")));
        }
        String text = normalised.toString();
        return path.endsWith("/") && !text.equals("/") ? text + "/" : text;
    }

    /** {@code path} with the symbolic links of its longest existing ancestor resolved. */
    private static Path realPath(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(path)).normalize();
        } catch (IOException e) {
            // A dangling link, or one that cannot be read: where it leads is unknown.
            return null;
        }
    }
}
