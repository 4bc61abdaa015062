package io.sluice.destination;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;

/**
 * The merge rules destination types share for UpdateDestination: members an update supplies replace the
 * current ones, nested shapes such as {@code S3Update} merge member by member, and an update that changes
 * another destination into this type must say everything a configuration says.
 */
public final class DestinationUpdates {
    private DestinationUpdates() {}

    /** Sets every member of {@code update} that is not null on {@code target}, keeping the others. */
    public static void mergeInto(ObjectNode target, JsonNode update) {
        update.properties().forEach(m -> {
            if (!m.getValue().isNull()) {
                target.set(m.getKey(), m.getValue());
            }
        });
    }

    /**
     * The configuration shape an update that changes another destination into a new type stands for:
     * its members, with {@code S3Update} as {@code S3Configuration}, which must then name its role and
     * bucket. {@code target} names the new type in the refusal: {@code an HTTP endpoint}.
     */
    public static ObjectNode asConfiguration(JsonNode update, String target) {
        ObjectNode config = update.deepCopy();
        JsonNode s3 = config.remove("S3Update");
        if (s3 != null) {
            config.set("S3Configuration", s3);
        }
        if (!config.path("S3Configuration").hasNonNull("RoleARN")
                || !config.path("S3Configuration").hasNonNull("BucketARN")) {
            throw new FirehoseException(
                    ErrorCode.INVALID_ARGUMENT,
                    "S3Update with RoleARN and BucketARN is required when changing the destination to " + target + ".");
        }
        return config;
    }
}
