package io.sluice.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;

/**
 * The one place that turns an error into what the client sees: the HTTP status of each code, and the
 * flat body {@code {"__type":"<bare shape name>","message":"…"}} (plus {@code code} where the model has
 * it). Only ServiceUnavailableException (503), InternalFailure (500) and oversized bodies (413) are not
 * 400.
 */
public final class ErrorResponses {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ErrorResponses() {}

    public static int status(ErrorCode code) {
        return switch (code) {
            case SERVICE_UNAVAILABLE -> 503;
            case INTERNAL_FAILURE -> 500;
            case REQUEST_ENTITY_TOO_LARGE -> 413;
            case INVALID_ARGUMENT,
                    RESOURCE_NOT_FOUND,
                    RESOURCE_IN_USE,
                    LIMIT_EXCEEDED,
                    CONCURRENT_MODIFICATION,
                    INVALID_KMS_RESOURCE,
                    INVALID_SOURCE,
                    UNKNOWN_OPERATION,
                    SERIALIZATION,
                    VALIDATION,
                    ACCESS_DENIED,
                    MISSING_AUTHENTICATION_TOKEN,
                    INCOMPLETE_SIGNATURE,
                    UNRECOGNIZED_CLIENT,
                    INVALID_SIGNATURE -> 400;
        };
    }

    public static byte[] body(FirehoseException error) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("__type", error.code().awsType());
        if (!error.getMessage().isEmpty()) {
            node.put("message", error.getMessage());
        }
        error.detailCode().ifPresent(c -> node.put("code", c));
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an error body", e);
        }
    }
}
