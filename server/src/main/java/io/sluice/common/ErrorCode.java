package io.sluice.common;

/**
 * Every failure a Firehose client can see, named exactly as the {@code __type} AWS sends. The
 * HTTP status of each is decided in one place, {@code io.sluice.api.ErrorResponses}.
 */
public enum ErrorCode {
    INVALID_ARGUMENT("InvalidArgumentException"),
    RESOURCE_NOT_FOUND("ResourceNotFoundException"),
    RESOURCE_IN_USE("ResourceInUseException"),
    LIMIT_EXCEEDED("LimitExceededException"),
    CONCURRENT_MODIFICATION("ConcurrentModificationException"),
    INVALID_KMS_RESOURCE("InvalidKMSResourceException"),
    INVALID_SOURCE("InvalidSourceException"),
    SERVICE_UNAVAILABLE("ServiceUnavailableException"),
    UNKNOWN_OPERATION("UnknownOperationException"),
    SERIALIZATION("SerializationException"),
    VALIDATION("ValidationException"),
    ACCESS_DENIED("AccessDeniedException"),
    INTERNAL_FAILURE("InternalFailure"),
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationTokenException"),
    INCOMPLETE_SIGNATURE("IncompleteSignatureException"),
    UNRECOGNIZED_CLIENT("UnrecognizedClientException"),
    INVALID_SIGNATURE("InvalidSignatureException"),
    REQUEST_ENTITY_TOO_LARGE("RequestEntityTooLargeException");

    private final String awsType;

    ErrorCode(String awsType) {
        this.awsType = awsType;
    }

    /** The bare shape name written as {@code __type}. */
    public String awsType() {
        return awsType;
    }
}
