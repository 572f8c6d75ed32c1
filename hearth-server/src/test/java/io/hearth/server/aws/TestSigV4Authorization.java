package io.hearth.server.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TestSigV4Authorization {
    private static final String HEADER = "AWS4-HMAC-SHA256 Credential=AKID/20261121/us-east-1/elasticmapreduce/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=abc";

    private static HearthException rejection(String header) {
        HearthException error = catchThrowableOfType(HearthException.class, () -> SigV4Authorization.parse(header));
        assertThat(error).as("parse(%s)", header).isNotNull();
        return error;
    }

    @Test
    void parsesTheCredentialScope() {
        SigV4Authorization authorization = SigV4Authorization.parse(HEADER);

        assertThat(authorization.accessKeyId()).isEqualTo("AKID");
        assertThat(authorization.date()).isEqualTo("20261121");
        assertThat(authorization.region()).isEqualTo("us-east-1");
        assertThat(authorization.service()).isEqualTo("elasticmapreduce");
    }

    @Test
    void toleratesSurroundingWhitespaceAndLineBreaks() {
        SigV4Authorization authorization = SigV4Authorization.parse(
                "  AWS4-HMAC-SHA256   Credential=AKIAEXAMPLE/20240102/eu-west-2/s3/aws4_request,\n SignedHeaders=host,\n Signature=0f  ");

        assertThat(authorization).isEqualTo(new SigV4Authorization("AKIAEXAMPLE", "20240102", "eu-west-2", "s3"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void missingHeaderIsNotAuthenticated(String header) {
        HearthException error = rejection(header);

        assertThat(error.code()).isEqualTo(ErrorCode.NOT_AUTHENTICATED);
        assertThat(error).hasMessage("Missing Authentication Token: sign requests with SigV4 (any access key works with Hearth)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Basic dXNlcjpwYXNz",
            "AWS4-HMAC-SHA1 Credential=AKID/20261121/us-east-1/elasticmapreduce/aws4_request, SignedHeaders=host, Signature=abc",
            "AWS4-HMAC-SHA256 Credential=AKID/2026-11-21/us-east-1/elasticmapreduce/aws4_request, SignedHeaders=host, Signature=abc",
            "AWS4-HMAC-SHA256 Credential=AKID/20261121/us-east-1/aws4_request, SignedHeaders=host, Signature=abc",
            "AWS4-HMAC-SHA256 Credential=AKID/20261121/us-east-1/elasticmapreduce/aws5_request, SignedHeaders=host, Signature=abc",
            "AWS4-HMAC-SHA256 Credential=/20261121/us-east-1/elasticmapreduce/aws4_request, SignedHeaders=host, Signature=abc",
            "AWS4-HMAC-SHA256 Credential=AKID/20261121/us-east-1/elasticmapreduce/aws4_request",
            "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abc"
    })
    void malformedHeaderIsAMalformedSignature(String header) {
        HearthException error = rejection(header);

        assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED_SIGNATURE);
        assertThat(error).hasMessage(
                "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' in the AWS4-HMAC-SHA256 form");
    }

    @Test
    void headerWithoutSignedHeadersAndSignatureIsAMalformedSignature() {
        HearthException error = rejection("AWS4-HMAC-SHA256 Credential=AKID/20261121/us-east-1/elasticmapreduce/aws4_request, x");

        assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED_SIGNATURE);
    }
}
