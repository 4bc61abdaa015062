package io.sluice.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.catalog.Catalog;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DeliveryStreamStatus;
import io.sluice.catalog.DeliveryStreamType;
import io.sluice.catalog.Scope;
import io.sluice.catalog.StreamRef;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;

/** PutRecord and PutRecordBatch. */
public final class DataPlane {
    private final Catalog catalog;

    public DataPlane(Catalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    public ObjectNode putRecord(Scope scope, JsonNode input) {
        target(scope, input);
        throw notYet();
    }

    public ObjectNode putRecordBatch(Scope scope, JsonNode input) {
        target(scope, input);
        throw notYet();
    }

    /**
     * The stream a put goes to. A stream that is not ACTIVE is answered as not found: AWS documents only
     * that such puts "cause an exception".
     */
    private DeliveryStream target(Scope scope, JsonNode input) {
        StreamRef ref = scope.stream(input.path("DeliveryStreamName").asText());
        DeliveryStream stream = catalog.find(ref)
                .filter(s -> s.status() == DeliveryStreamStatus.ACTIVE)
                .orElseThrow(() -> Catalog.notFound(ref));
        if (stream.type() != DeliveryStreamType.DIRECT_PUT) {
            throw FirehoseException.of(
                    ErrorCode.INVALID_ARGUMENT,
                    "This operation is not permitted on %s delivery stream type.",
                    stream.type().wireName());
        }
        return stream;
    }

    private static FirehoseException notYet() {
        return new FirehoseException(ErrorCode.SERVICE_UNAVAILABLE, "Record ingestion is not available yet.");
    }
}
