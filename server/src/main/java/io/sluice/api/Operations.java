package io.sluice.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.api.model.RequestValidator;
import io.sluice.api.model.ServiceModel;
import io.sluice.catalog.Scope;
import io.sluice.catalog.StreamRef;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Runs an operation on an authenticated request body. Control-plane bodies are parsed into a tree and
 * checked against the service model before the operation runs; PutRecord and PutRecordBatch bodies go
 * to the {@link DataPlane}, which reads them as a stream.
 */
public final class Operations {
    private final ControlPlane controlPlane;
    private final DataPlane dataPlane;
    private final ObjectMapper mapper;
    private final RequestValidator validator = new RequestValidator();
    private final Map<Operation, io.sluice.api.model.Operation> modelOperations = new EnumMap<>(Operation.class);

    public Operations(ServiceModel model, ObjectMapper mapper, ControlPlane controlPlane, DataPlane dataPlane) {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.controlPlane = requireNonNull(controlPlane, "controlPlane is null");
        this.dataPlane = requireNonNull(dataPlane, "dataPlane is null");
        for (Operation operation : Operation.values()) {
            modelOperations.put(
                    operation, model.operation(operation.modelName()).orElseThrow());
        }
    }

    /** Runs the operation; ListDeliveryStreams answers only the {@code visible} streams. */
    public byte[] run(Operation operation, Scope scope, RequestBody body, Predicate<StreamRef> visible)
            throws IOException {
        return switch (operation) {
            case PUT_RECORD -> dataPlane.putRecord(scope, body);
            case PUT_RECORD_BATCH -> dataPlane.putRecordBatch(scope, body);
            default -> mapper.writeValueAsBytes(control(operation, scope, validated(operation, body), visible));
        };
    }

    /** PutRecord and PutRecordBatch; every other operation is the control plane. */
    static boolean isDataPlane(Operation operation) {
        return operation == Operation.PUT_RECORD || operation == Operation.PUT_RECORD_BATCH;
    }

    private ObjectNode control(Operation operation, Scope scope, JsonNode input, Predicate<StreamRef> visible) {
        return switch (operation) {
            case CREATE_DELIVERY_STREAM -> controlPlane.create(scope, input);
            case DELETE_DELIVERY_STREAM -> controlPlane.delete(scope, input);
            case DESCRIBE_DELIVERY_STREAM -> controlPlane.describe(scope, input);
            case LIST_DELIVERY_STREAMS -> controlPlane.list(scope, input, visible);
            case LIST_TAGS_FOR_DELIVERY_STREAM -> controlPlane.listTags(scope, input);
            case TAG_DELIVERY_STREAM -> controlPlane.tag(scope, input);
            case UNTAG_DELIVERY_STREAM -> controlPlane.untag(scope, input);
            case START_DELIVERY_STREAM_ENCRYPTION -> controlPlane.startEncryption(scope, input);
            case STOP_DELIVERY_STREAM_ENCRYPTION -> controlPlane.stopEncryption(scope, input);
            case UPDATE_DESTINATION -> controlPlane.updateDestination(scope, input);
            case PUT_RECORD, PUT_RECORD_BATCH -> throw new IllegalStateException(operation + " is not control plane");
        };
    }

    private JsonNode validated(Operation operation, RequestBody body) {
        JsonNode input = parse(body);
        validator.validate(modelOperations.get(operation), input);
        return input;
    }

    private JsonNode parse(RequestBody body) {
        if (body.isEmpty()) {
            return mapper.createObjectNode();
        }
        try {
            JsonNode node = body.tree(mapper);
            if (node == null || !node.isObject()) {
                throw new FirehoseException(
                        ErrorCode.SERIALIZATION, "Start of structure or map found where not expected.");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw new FirehoseException(ErrorCode.SERIALIZATION, "The request body exceeds the JSON parser's limits.");
        } catch (JsonParseException e) {
            throw new FirehoseException(ErrorCode.SERIALIZATION, "The request body is not valid JSON.");
        } catch (IOException e) {
            throw new FirehoseException(ErrorCode.SERIALIZATION, "The request body could not be read as JSON.");
        }
    }
}
