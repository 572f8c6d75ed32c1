package io.hearth.server.catalog.glue;

import io.hearth.server.HearthException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * NextToken values: opaque to clients, they carry where the next page starts (the last name
 * returned) and what listing they belong to, so a token given to another listing is refused
 * rather than silently misread. They hold no server state, so they survive a restart of Hearth.
 */
final class PageTokens {
    private static final String VERSION = "h1";

    private PageTokens() {}

    /** A token for the page after {@code lastName} of the listing identified by {@code listing}. */
    static String after(String listing, String lastName) {
        String text = VERSION + "\n" + fingerprint(listing) + "\n" + lastName;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A short digest of the listing's identity (its request members), free of the separator. */
    private static String fingerprint(String listing) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(listing.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The last name of the previous page, or empty for the first page; InvalidInputException if the token is not one of ours. */
    static Optional<String> lastName(String token, String listing) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw HearthException.invalidArgument("NextToken is not valid: it was not returned by this operation");
        }
        String[] parts = text.split("\n", 3);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            throw HearthException.invalidArgument("NextToken is not valid: it was not returned by this operation");
        }
        if (!parts[1].equals(fingerprint(listing))) {
            throw HearthException.invalidArgument("NextToken belongs to another listing: pass the same request members as for the first page");
        }
        return Optional.of(parts[2]);
    }
}
