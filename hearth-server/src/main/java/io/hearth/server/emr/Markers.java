package io.hearth.server.emr;

import io.hearth.server.HearthException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque pagination markers: the position after which the next page starts. */
final class Markers {
    private static final String PREFIX = "hearth:";

    private Markers() {}

    static String encode(long position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + position).getBytes(StandardCharsets.UTF_8));
    }

    /** The position in a marker, or null for no marker; a marker Hearth did not issue is an error naming the member. */
    static Long decode(String marker, String member) {
        if (marker == null || marker.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
            if (text.startsWith(PREFIX)) {
                return Long.parseLong(text.substring(PREFIX.length()));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw HearthException.invalidArgument("%s '%s' is not valid: pass the value a previous response returned", member, marker);
    }
}
