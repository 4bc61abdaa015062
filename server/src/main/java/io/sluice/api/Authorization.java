package io.sluice.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.api.auth.Authenticated;
import io.sluice.api.auth.KeyPermissions;
import io.sluice.api.auth.Permissions;
import io.sluice.catalog.StreamRef;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides whether an authenticated caller may run an operation, before anything else reads the request.
 * The action is {@code firehose:<Operation>}, the resource the ARN of the stream the body names
 * ({@code DeliveryStreamName}, read with a streaming parser: every top-level occurrence must be allowed,
 * so a body naming two streams cannot slip past). ListDeliveryStreams names no stream: it is allowed if
 * some statement allows it, and answers only the streams whose ARN the key may list.
 */
final class Authorization {
    private static final String STREAM_NAME = "DeliveryStreamName";

    private final Permissions permissions;
    private final JsonFactory json;

    Authorization(Permissions permissions, JsonFactory json) {
        this.permissions = requireNonNull(permissions, "permissions is null");
        this.json = requireNonNull(json, "json is null");
    }

    /** What was decided, and the streams the body names (last one last), for the audit log. */
    record Decision(List<String> streams, Optional<FirehoseException> denial) {
        Decision {
            streams = List.copyOf(streams);
            requireNonNull(denial, "denial is null");
        }

        Optional<String> stream() {
            return streams.isEmpty() ? Optional.empty() : Optional.of(streams.getLast());
        }
    }

    Decision decide(Authenticated caller, Operation operation, RequestBody body) {
        KeyPermissions key = permissions.of(caller.accessKeyId());
        if (!key.restricted() && Operations.isDataPlane(operation)) {
            // Puts of unrestricted keys are never denied nor audited: their bodies need no second parse.
            return new Decision(List.of(), Optional.empty());
        }
        List<String> streams = streamNames(body);
        String action = action(operation);
        if (streams.isEmpty()) {
            return new Decision(
                    streams,
                    key.allowsSomewhere(action)
                            ? Optional.empty()
                            : Optional.of(denied(caller, action, arn(caller, "*"))));
        }
        for (String stream : streams) {
            String arn = arn(caller, stream);
            if (!key.allows(action, arn)) {
                return new Decision(streams, Optional.of(denied(caller, action, arn)));
            }
        }
        return new Decision(streams, Optional.empty());
    }

    /** The streams the caller may see in ListDeliveryStreams. */
    Predicate<StreamRef> visible(Authenticated caller) {
        KeyPermissions key = permissions.of(caller.accessKeyId());
        String action = action(Operation.LIST_DELIVERY_STREAMS);
        return ref -> key.allows(action, ref.arn());
    }

    String principalArn(Authenticated caller) {
        return permissions.principalArn(caller);
    }

    static String action(Operation operation) {
        return "firehose:" + operation.modelName();
    }

    private static String arn(Authenticated caller, String stream) {
        return new StreamRef(caller.accountId(), caller.region(), stream).arn();
    }

    private FirehoseException denied(Authenticated caller, String action, String resource) {
        return new FirehoseException(
                ErrorCode.ACCESS_DENIED,
                "User: " + principalArn(caller) + " is not authorized to perform: " + action + " on resource: "
                        + resource);
    }

    /**
     * The string values of the body's top-level {@code DeliveryStreamName} members, in order; those read
     * before a syntax error when the body is not JSON (the operation then refuses it).
     */
    private List<String> streamNames(RequestBody body) {
        List<String> names = new ArrayList<>();
        try (JsonParser parser = body.parser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return names;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean name = STREAM_NAME.equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (name && value == JsonToken.VALUE_STRING) {
                    names.add(parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            return names;
        }
        return names;
    }
}
