package io.hearth.server.storage;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The conditional headers of GetObject and HeadObject, evaluated as S3 does (RFC 7232's order):
 * If-Match, then If-Unmodified-Since (only without If-Match), then If-None-Match, then
 * If-Modified-Since (only without If-None-Match). ETags compare without their quotes, times to the
 * second; a date that does not parse is ignored, as HTTP says.
 */
final class ObjectConditions {
    /** What a conditional read comes to. */
    enum Outcome {
        /** Send the object. */
        PROCEED,
        /** 304: the client's copy is current. */
        NOT_MODIFIED,
        /** 412 PreconditionFailed on If-Match. */
        FAILED_IF_MATCH,
        /** 412 PreconditionFailed on If-Unmodified-Since. */
        FAILED_IF_UNMODIFIED_SINCE
    }

    private ObjectConditions() {}

    static Outcome evaluate(String eTag, Instant lastModified, String ifMatch, String ifNoneMatch, String ifModifiedSince,
            String ifUnmodifiedSince) {
        String current = unquoted(eTag);
        Instant modified = lastModified == null ? null : lastModified.truncatedTo(ChronoUnit.SECONDS);
        if (ifMatch != null) {
            if (!matches(ifMatch, current)) {
                return Outcome.FAILED_IF_MATCH;
            }
        } else if (ifUnmodifiedSince != null && modified != null) {
            Optional<Instant> since = date(ifUnmodifiedSince);
            if (since.isPresent() && modified.isAfter(since.get())) {
                return Outcome.FAILED_IF_UNMODIFIED_SINCE;
            }
        }
        if (ifNoneMatch != null) {
            if (matches(ifNoneMatch, current)) {
                return Outcome.NOT_MODIFIED;
            }
        } else if (ifModifiedSince != null && modified != null) {
            Optional<Instant> since = date(ifModifiedSince);
            if (since.isPresent() && !modified.isAfter(since.get())) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /** Whether a header's list of ETags ({@code "a", W/"b"} or {@code *}) names {@code eTag}. */
    static boolean matches(String header, String eTag) {
        for (String candidate : header.split(",")) {
            String trimmed = candidate.trim();
            if (trimmed.equals("*")) {
                return eTag != null;
            }
            if (trimmed.startsWith("W/")) {
                trimmed = trimmed.substring(2);
            }
            if (eTag != null && unquoted(trimmed).equals(eTag)) {
                return true;
            }
        }
        return false;
    }

    static String unquoted(String eTag) {
        if (eTag == null) {
            return null;
        }
        String trimmed = eTag.trim();
        return trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"") ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
    }

    private static Optional<Instant> date(String header) {
        try {
            return Optional.of(ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(Instant.parse(header.trim()));
            } catch (DateTimeParseException again) {
                return Optional.empty();
            }
        }
    }
}
