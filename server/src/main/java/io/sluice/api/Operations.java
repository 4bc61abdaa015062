package io.sluice.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.catalog.Scope;

/** Dispatches a validated request to the operation that serves it. */
public final class Operations {
    private final ControlPlane controlPlane;
    private final DataPlane dataPlane;

    public Operations(ControlPlane controlPlane, DataPlane dataPlane) {
        this.controlPlane = requireNonNull(controlPlane, "controlPlane is null");
        this.dataPlane = requireNonNull(dataPlane, "dataPlane is null");
    }

    public ObjectNode run(Operation operation, Scope scope, JsonNode input) {
        return switch (operation) {
            case CREATE_DELIVERY_STREAM -> controlPlane.create(scope, input);
            case DELETE_DELIVERY_STREAM -> controlPlane.delete(scope, input);
            case DESCRIBE_DELIVERY_STREAM -> controlPlane.describe(scope, input);
            case LIST_DELIVERY_STREAMS -> controlPlane.list(scope, input);
            case LIST_TAGS_FOR_DELIVERY_STREAM -> controlPlane.listTags(scope, input);
            case TAG_DELIVERY_STREAM -> controlPlane.tag(scope, input);
            case UNTAG_DELIVERY_STREAM -> controlPlane.untag(scope, input);
            case START_DELIVERY_STREAM_ENCRYPTION -> controlPlane.startEncryption(scope, input);
            case STOP_DELIVERY_STREAM_ENCRYPTION -> controlPlane.stopEncryption(scope, input);
            case UPDATE_DESTINATION -> controlPlane.updateDestination(scope, input);
            case PUT_RECORD -> dataPlane.putRecord(scope, input);
            case PUT_RECORD_BATCH -> dataPlane.putRecordBatch(scope, input);
        };
    }
}
