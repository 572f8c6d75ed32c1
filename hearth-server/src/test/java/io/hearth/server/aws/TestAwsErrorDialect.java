package io.hearth.server.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.server.ErrorCode;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestAwsErrorDialect {
    @Test
    void emrAnswersAMissingResourceWithInvalidRequestAndAnyOtherDomainFailureWithValidation() {
        assertThat(table(AwsErrorDialect.EMR)).containsAllEntriesOf(Map.of(
                ErrorCode.INVALID_ARGUMENT, "ValidationException",
                ErrorCode.NOT_FOUND, "InvalidRequestException",
                ErrorCode.INVALID_STATE, "ValidationException",
                ErrorCode.ALREADY_EXISTS, "ValidationException",
                ErrorCode.LIMIT_EXCEEDED, "ValidationException"));
    }

    @Test
    void glueNamesEachDomainFailure() {
        assertThat(table(AwsErrorDialect.GLUE)).containsAllEntriesOf(Map.of(
                ErrorCode.INVALID_ARGUMENT, "InvalidInputException",
                ErrorCode.NOT_FOUND, "EntityNotFoundException",
                ErrorCode.INVALID_STATE, "InternalServiceException",
                ErrorCode.ALREADY_EXISTS, "AlreadyExistsException",
                ErrorCode.LIMIT_EXCEEDED, "ResourceNumberLimitExceededException",
                ErrorCode.CONCURRENT_MODIFICATION, "ConcurrentModificationException",
                ErrorCode.UNAVAILABLE, "InternalServiceException"));
    }

    @Test
    void athenaAnswersMistakesWithInvalidRequestMissingMetadataWithMetadataAndWhatMayPassWithTooManyRequests() {
        assertThat(table(AwsErrorDialect.ATHENA)).containsAllEntriesOf(Map.of(
                ErrorCode.INVALID_ARGUMENT, "InvalidRequestException",
                ErrorCode.METADATA_NOT_FOUND, "MetadataException",
                ErrorCode.NOT_FOUND, "ResourceNotFoundException",
                ErrorCode.INVALID_STATE, "InvalidRequestException",
                ErrorCode.ALREADY_EXISTS, "InvalidRequestException",
                ErrorCode.UNAVAILABLE, "TooManyRequestsException"));
    }

    @Test
    void everyServiceAnswersTheProtocolLayersFailuresAlike() {
        Map<ErrorCode, String> protocol = Map.of(
                ErrorCode.CONSTRAINT_VIOLATION, "ValidationException",
                ErrorCode.MALFORMED_REQUEST, "SerializationException",
                ErrorCode.UNKNOWN_OPERATION, "UnknownOperationException",
                ErrorCode.NOT_AUTHENTICATED, "MissingAuthenticationTokenException",
                ErrorCode.MALFORMED_SIGNATURE, "IncompleteSignatureException",
                ErrorCode.ACCESS_DENIED, "AccessDeniedException",
                ErrorCode.REQUEST_TOO_LARGE, "RequestEntityTooLargeException");
        for (AwsErrorDialect dialect : AwsErrorDialect.values()) {
            assertThat(table(dialect)).as("%s", dialect).containsAllEntriesOf(protocol);
        }
    }

    private static Map<ErrorCode, String> table(AwsErrorDialect dialect) {
        Map<ErrorCode, String> table = new EnumMap<>(ErrorCode.class);
        for (ErrorCode code : ErrorCode.values()) {
            table.put(code, dialect.errorCodeFor(code).type());
        }
        return table;
    }
}
