package io.sluice.api.model;

import static io.sluice.common.ErrorCode.VALIDATION;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.common.FirehoseException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks a request body against its operation's input shape, as AWS does before any operation
 * logic runs. Stateless and thread-safe.
 *
 * <p>When {@link #validate} returns, every member the model knows has the JSON type its shape
 * needs (blobs are valid base64, integers fit 32 bits, timestamps are numbers within {@link
 * java.time.Instant}'s range), no list item or map value is null, and every constraint holds.
 * Members the model does not know are ignored; JSON null means absent.
 */
public final class RequestValidator {
    public RequestValidator() {}

    /**
     * Validates a parsed request body.
     *
     * @throws FirehoseException {@code SerializationException} for the first value of the wrong
     *     JSON type (checked over the whole body before any constraint is reported), or {@code
     *     ValidationException} listing broken constraints: {@code 1 validation error detected:
     *     <item>} or {@code N validation errors detected: <item>; <item>}, at most ten items as AWS
     *     sends; never any other exception, whatever the body holds
     */
    public void validate(Operation operation, JsonNode body) {
        requireNonNull(operation, "operation is null");
        requireNonNull(body, "body is null");
        if (body.isNull() || body.isMissingNode()) {
            throw JsonBinding.serialization("Request body is not a JSON object");
        }
        List<Violation> violations = RequestWalk.walk(operation.input(), body);
        if (!violations.isEmpty()) {
            throw new FirehoseException(VALIDATION, message(violations));
        }
    }

    private static String message(List<Violation> violations) {
        String count = violations.size() == 1
                ? "1 validation error detected: "
                : violations.size() + " validation errors detected: ";
        return violations.stream().map(Violation::describe).collect(Collectors.joining("; ", count, ""));
    }
}
