package io.sluice.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Firehose API as the AWS service model describes it: operations and the shapes of their
 * inputs and outputs, with every constraint. Immutable and thread-safe; the Firehose model is
 * read once from the derived resource {@code firehose-2015-08-04.json} in this package (see its
 * README), its patterns compiled, and a malformed resource stops the server from starting.
 */
public final class ServiceModel {
    private static final String RESOURCE = "firehose-2015-08-04.json";

    private final Map<String, Operation> operations;
    private final Map<String, Shape> shapes;

    ServiceModel(Map<String, Operation> operations, Map<String, Shape> shapes) {
        this.operations = Collections.unmodifiableMap(new LinkedHashMap<>(operations));
        this.shapes = Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
    }

    /** The Firehose {@code 2015-08-04} model, loaded on first use. */
    public static ServiceModel firehose() {
        return Firehose.MODEL;
    }

    /**
     * The Firehose model, but with {@code HttpEndpointUrl} accepting {@code http://} as well as the
     * {@code https://} AWS requires: for servers configured to deliver to plain-HTTP receivers on a
     * private network. A plain URL is otherwise rejected with AWS's own ValidationException.
     */
    public static ServiceModel firehoseAllowingPlainHttpEndpoints() {
        return PlainHttp.MODEL;
    }

    /**
     * Reads a model in the derived format.
     *
     * @throws IllegalArgumentException naming the first thing that is malformed
     */
    static ServiceModel fromJson(JsonNode derived) {
        return ServiceModelReader.read(derived);
    }

    /** Every operation, in the model's order. */
    public List<Operation> operations() {
        return List.copyOf(operations.values());
    }

    /** The operation with this exact (case-sensitive) name. */
    public Optional<Operation> operation(String name) {
        return Optional.ofNullable(operations.get(name));
    }

    /** The shape with this exact name. */
    public Optional<Shape> shape(String name) {
        return Optional.ofNullable(shapes.get(name));
    }

    private static final class Firehose {
        static final ServiceModel MODEL = checked(resource());
    }

    private static final class PlainHttp {
        static final ServiceModel MODEL = load();

        private static ServiceModel load() {
            JsonNode derived = resource();
            JsonNode url = derived.path("shapes").path("HttpEndpointUrl");
            if (!url.isObject()) {
                throw new IllegalStateException("service model resource " + RESOURCE + " has no HttpEndpointUrl");
            }
            ((ObjectNode) url).put("pattern", "https?://.*");
            return checked(derived);
        }
    }

    private static JsonNode resource() {
        try (InputStream in = ServiceModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("service model resource " + RESOURCE + " is missing");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read service model resource " + RESOURCE, e);
        }
    }

    private static ServiceModel checked(JsonNode derived) {
        try {
            return fromJson(derived);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("service model resource " + RESOURCE + " is malformed", e);
        }
    }
}
