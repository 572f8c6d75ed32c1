package io.hearth.server.aws;

import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a SigV4 {@code Authorization} header Hearth uses: who signed and for which region
 * and service. Signatures are not verified yet: any credentials are accepted, and the access key
 * id is recorded with what the caller creates.
 */
public record SigV4Authorization(String accessKeyId, String date, String region, String service) {
    private static final Pattern CREDENTIAL = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request\\s*,\\s*SignedHeaders=[^,\\s]+\\s*,\\s*Signature=[0-9a-fA-F]+\\s*",
            Pattern.DOTALL);

    public static SigV4Authorization parse(String header) {
        if (header == null || header.isBlank()) {
            throw new HearthException(ErrorCode.NOT_AUTHENTICATED,
                    "Missing Authentication Token: sign requests with SigV4 (any access key works with Hearth)");
        }
        Matcher matcher = CREDENTIAL.matcher(header.trim());
        if (!matcher.matches()) {
            throw new HearthException(ErrorCode.MALFORMED_SIGNATURE,
                    "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' in the AWS4-HMAC-SHA256 form");
        }
        return new SigV4Authorization(matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4));
    }
}
