package io.hearth.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How an object's key becomes a path under its bucket's folder, so that every key S3 allows (any
 * UTF-8 up to 1,024 bytes) can be stored. The key is split at "/" and each segment names a folder
 * or file, as Spark and the user's own tools expect. A segment no file name can hold (longer than
 * 255 bytes, {@code .}, {@code ..}, empty, or holding a NUL) is stored under a derived name,
 * {@code <its first bytes>~h<sha-256 of it>}, with the segment itself in an extended attribute of
 * that file or folder; a listing reads it back. A segment that happens to look like a derived name
 * is derived too, so a stored name is never ambiguous. A trailing "/" is a folder marker.
 */
final class ObjectKeys {
    /** S3's limit on a key, in UTF-8 bytes. */
    static final int MAX_KEY_BYTES = 1024;
    /** The longest file name Linux file systems take, in bytes. */
    private static final int MAX_NAME_BYTES = 255;
    /** How much of a derived segment stays readable in its stored name. */
    private static final int READABLE_BYTES = 120;
    private static final String SEGMENT_ATTRIBUTE = "hearth.key-segment";
    private static final Pattern DERIVED = Pattern.compile(".*~h[0-9a-f]{64}", Pattern.DOTALL);

    private ObjectKeys() {}

    static boolean tooLong(String key) {
        return utf8Length(key) > MAX_KEY_BYTES;
    }

    /** The path of {@code key} relative to its bucket's folder, "/"-separated, a marker keeping its trailing "/". */
    static String storedName(String key) {
        boolean marker = key.endsWith("/");
        List<String> segments = segments(key);
        StringBuilder stored = new StringBuilder(key.length());
        for (String segment : segments) {
            if (!stored.isEmpty()) {
                stored.append('/');
            }
            stored.append(needsDerivedName(segment) ? derivedName(segment) : segment);
        }
        return marker ? stored.append('/').toString() : stored.toString();
    }

    /** The segments of a key, without the empty one a marker's trailing "/" would make. */
    static List<String> segments(String key) {
        String body = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        List<String> segments = new ArrayList<>();
        int start = 0;
        while (true) {
            int slash = body.indexOf('/', start);
            if (slash < 0) {
                segments.add(body.substring(start));
                return segments;
            }
            segments.add(body.substring(start, slash));
            start = slash + 1;
        }
    }

    static boolean needsDerivedName(String segment) {
        return segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.indexOf('\0') >= 0
                || utf8Length(segment) > MAX_NAME_BYTES || DERIVED.matcher(segment).matches();
    }

    static String derivedName(String segment) {
        return readablePart(segment) + "~h" + sha256(segment);
    }

    /** True when a stored name may be a derived one, whose segment is in its attribute. */
    static boolean mayBeDerived(String storedSegment) {
        return DERIVED.matcher(storedSegment).matches();
    }

    /** Records the segment a derived file or folder name stands for. */
    static void label(Path path, String segment) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(path, UserDefinedFileAttributeView.class);
        if (view == null) {
            throw new IOException("Cannot store the key segment of " + path + ": the file system has no extended attributes");
        }
        view.write(SEGMENT_ATTRIBUTE, ByteBuffer.wrap(segment.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Creates the folders above {@code key} in {@code bucket}, labelling those with derived names.
     * Returns the stored path of the key itself.
     */
    static Path createParents(Path bucket, String key) throws IOException {
        List<String> segments = segments(key);
        Path current = bucket;
        for (int i = 0; i < segments.size() - 1; i++) {
            String segment = segments.get(i);
            boolean derived = needsDerivedName(segment);
            current = current.resolve(derived ? derivedName(segment) : segment);
            if (!Files.isDirectory(current)) {
                Files.createDirectories(current);
            }
            if (derived) {
                label(current, segment);
            }
        }
        return bucket.resolve(storedName(key));
    }

    /** Labels the key's own file or folder when its last segment has a derived name. */
    static void labelLast(Path stored, String key) throws IOException {
        List<String> segments = segments(key);
        String last = segments.get(segments.size() - 1);
        if (needsDerivedName(last)) {
            label(stored, last);
        }
    }

    /**
     * The key of a name listed under {@code bucket} ("/"-separated, a folder's with a trailing "/"):
     * derived segments are read back from their attribute; a name not derived by Hearth is its own.
     */
    static String keyOf(Path bucket, String storedName) {
        boolean marker = storedName.endsWith("/");
        StringBuilder key = new StringBuilder(storedName.length());
        Path current = bucket;
        boolean first = true;
        for (String segment : segments(storedName)) {
            current = current.resolve(segment);
            if (!first) {
                key.append('/');
            }
            first = false;
            key.append(mayBeDerived(segment) ? labelOf(current).orElse(segment) : segment);
        }
        return marker ? key.append('/').toString() : key.toString();
    }

    private static Optional<String> labelOf(Path path) {
        try {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(path, UserDefinedFileAttributeView.class);
            if (view == null || !view.list().contains(SEGMENT_ATTRIBUTE)) {
                return Optional.empty();
            }
            ByteBuffer buffer = ByteBuffer.allocate(view.size(SEGMENT_ATTRIBUTE));
            view.read(SEGMENT_ATTRIBUTE, buffer);
            return Optional.of(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static String readablePart(String segment) {
        StringBuilder readable = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < segment.length(); ) {
            int codePoint = segment.codePointAt(i);
            int size = utf8Length(new String(Character.toChars(codePoint)));
            if (bytes + size > READABLE_BYTES || codePoint == 0) {
                break;
            }
            readable.appendCodePoint(codePoint);
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return readable.toString();
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static String sha256(String segment) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(segment.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
