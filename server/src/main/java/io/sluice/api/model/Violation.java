package io.sluice.api.model;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One broken constraint: where, the offending value with its shape (empty for a missing value),
 * and the constraint phrase. The value is rendered only when the message is written, after the
 * whole request has been read, so it is known to match its shape by then.
 */
record Violation(ShapePath path, Shape shape, Optional<JsonNode> value, String constraint) {
    Violation {
        requireNonNull(path, "path is null");
        requireNonNull(shape, "shape is null");
        requireNonNull(value, "value is null");
        requireNonNull(constraint, "constraint is null");
    }

    /**
     * The message item: {@code Value '<value>' at '<path>' failed to satisfy constraint:
     * <constraint>}; {@code Value null at …} for a missing value; {@code Value at …} for a
     * sensitive value, which is never echoed.
     */
    String describe() {
        String shown = value.map(node -> isSensitive() ? "" : " '" + ValueRenderer.render(shape, node) + "'")
                .orElse(" null");
        return "Value" + shown + " at '" + path + "' failed to satisfy constraint: " + constraint;
    }

    private boolean isSensitive() {
        return (shape instanceof StringShape string && string.sensitive())
                || (shape instanceof BlobShape blob && blob.sensitive());
    }
}
