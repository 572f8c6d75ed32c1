package io.hearth.server.storage;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GetObject {@code Range} header as S3 reads it: one range of bytes ({@code bytes=0-99},
 * {@code bytes=100-}, {@code bytes=-100}) is served; a header that is not a valid range is
 * ignored and the whole object sent, as HTTP says (RFC 9110 section 14.2); a range no object can
 * satisfy ({@code bytes=-0}) is a 416.
 */
final class RangeHeader {
    /** What to do with a request's Range header. */
    enum Kind {
        /** Serve the range (or a list of ranges, which the store answers with the whole object). */
        SERVE,
        /** Not a range: drop the header and send the whole object. */
        IGNORE,
        /** A valid range that selects no byte. */
        UNSATISFIABLE
    }

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    private RangeHeader() {}

    static Kind classify(String header) {
        String value = header.trim();
        if (value.startsWith("bytes=") && value.indexOf(',') >= 0) {
            return Kind.SERVE;
        }
        Matcher matcher = SINGLE.matcher(value);
        if (!matcher.matches()) {
            return Kind.IGNORE;
        }
        String first = matcher.group(1);
        String last = matcher.group(2);
        if (first.isEmpty() && last.isEmpty()) {
            return Kind.IGNORE;
        }
        if (first.isEmpty()) {
            return Long.parseLong(last) == 0 ? Kind.UNSATISFIABLE : Kind.SERVE;
        }
        if (!last.isEmpty() && Long.parseLong(last) < Long.parseLong(first)) {
            return Kind.IGNORE;
        }
        return Kind.SERVE;
    }
}
