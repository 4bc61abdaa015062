package io.sluice.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One pass over a request body along its input shape: every value the model knows is read as its
 * type (a mismatch throws SerializationException at once), and broken constraints are collected
 * depth first in model member order. Members the model does not know are never visited, so their
 * size and nesting cost nothing; recursion follows the model, whose shapes are not recursive.
 *
 * <p>Like AWS, at most {@value #MAX_REPORTED_VIOLATIONS} violations are kept; after that the walk
 * only checks types.
 */
final class RequestWalk {
    static final int MAX_REPORTED_VIOLATIONS = 10;

    private final List<Violation> violations = new ArrayList<>();

    private RequestWalk() {}

    /** The violations of a body, or throws SerializationException if a value has the wrong type. */
    static List<Violation> walk(StructureShape input, JsonNode body) {
        RequestWalk walk = new RequestWalk();
        JsonBinding.requireStructure(body);
        walk.members(input, body, ShapePath.ROOT);
        return List.copyOf(walk.violations);
    }

    private boolean collecting() {
        return violations.size() < MAX_REPORTED_VIOLATIONS;
    }

    private void report(ShapePath path, Shape shape, Optional<JsonNode> value, List<String> constraints) {
        for (String constraint : constraints) {
            if (collecting()) {
                violations.add(new Violation(path, shape, value, constraint));
            }
        }
    }

    private void reportMissing(ShapePath path, Shape shape) {
        report(path, shape, Optional.empty(), List.of(Constraints.NOT_NULL));
    }

    private void members(StructureShape shape, JsonNode object, ShapePath path) {
        for (Member member : shape.members()) {
            JsonNode value = object.get(member.name());
            if (!isAbsent(value)) {
                value(member.target(), value, path.member(member));
            } else if (member.required() && collecting()) {
                reportMissing(path.member(member), member.target());
            }
        }
    }

    private void value(Shape shape, JsonNode node, ShapePath path) {
        switch (shape) {
            case StructureShape structure -> {
                JsonBinding.requireStructure(node);
                members(structure, node, path);
            }
            case ListShape list -> list(list, node, path);
            case MapShape map -> map(map, node, path);
            case ScalarShape scalar -> report(path, scalar, Optional.of(node), scalar(scalar, node, collecting()));
        }
    }

    /**
     * A list's own length first, then its items. Items of a structure, list or map shape are
     * reported at {@code <list>.<n>.member}; broken scalar items make one violation for the whole
     * list, {@code Member must satisfy constraint: [...]}. A null item is reported at its own path
     * as {@code Member must not be null} (AWS answers InternalFailure; we reject it cleanly).
     */
    private void list(ListShape shape, JsonNode node, ShapePath path) {
        JsonBinding.requireList(node);
        if (collecting()) {
            report(path, shape, Optional.of(node), Constraints.brokenLength(shape.length(), node.size()));
        }
        boolean itemsBroken = false;
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (isAbsent(item)) {
                if (collecting()) {
                    reportMissing(path.item(i), shape.member());
                }
            } else if (shape.member() instanceof ScalarShape scalar) {
                itemsBroken |=
                        !scalar(scalar, item, !itemsBroken && collecting()).isEmpty();
            } else {
                value(shape.member(), item, path.item(i));
            }
        }
        if (itemsBroken && shape.member() instanceof ScalarShape scalar) {
            report(
                    path,
                    shape,
                    Optional.of(node),
                    List.of("Member must satisfy constraint: " + Constraints.all(scalar)));
        }
    }

    /**
     * A map's own size first, then its entries. Broken keys make one violation for the whole map,
     * {@code Map keys must satisfy constraint: [...]}, and broken scalar values another, {@code Map
     * value must satisfy constraint: [...]}, keys first. A null value is reported at {@code
     * <map>.<key>.member} as {@code Member must not be null}.
     */
    private void map(MapShape shape, JsonNode node, ShapePath path) {
        JsonBinding.requireMap(node);
        if (collecting()) {
            report(path, shape, Optional.of(node), Constraints.brokenLength(shape.length(), node.size()));
        }
        boolean keysBroken = false;
        boolean valuesBroken = false;
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!keysBroken && collecting()) {
                keysBroken = !Constraints.broken(shape.key(), entry.getKey()).isEmpty();
            }
            JsonNode value = entry.getValue();
            if (isAbsent(value)) {
                if (collecting()) {
                    reportMissing(path.entry(entry.getKey()), shape.value());
                }
            } else if (shape.value() instanceof ScalarShape scalar) {
                valuesBroken |=
                        !scalar(scalar, value, !valuesBroken && collecting()).isEmpty();
            } else {
                value(shape.value(), value, path.entry(entry.getKey()));
            }
        }
        if (keysBroken) {
            report(
                    path,
                    shape,
                    Optional.of(node),
                    List.of("Map keys must satisfy constraint: " + Constraints.all(shape.key())));
        }
        if (valuesBroken && shape.value() instanceof ScalarShape scalar) {
            report(
                    path,
                    shape,
                    Optional.of(node),
                    List.of("Map value must satisfy constraint: " + Constraints.all(scalar)));
        }
    }

    /** Reads a scalar as its type and, if asked, returns the constraints it breaks. */
    private static List<String> scalar(ScalarShape shape, JsonNode node, boolean check) {
        return switch (shape) {
            case StringShape string -> {
                String value = JsonBinding.string(node);
                yield check ? Constraints.broken(string, value) : List.of();
            }
            case BlobShape blob -> {
                long length = JsonBinding.blobLength(node);
                yield check ? Constraints.broken(blob, length) : List.of();
            }
            case IntegerShape integer -> {
                int value = JsonBinding.integer(node);
                yield check ? Constraints.broken(integer, value) : List.of();
            }
            case DoubleShape decimal -> {
                double value = JsonBinding.doubleValue(node);
                yield check ? Constraints.broken(decimal, value) : List.of();
            }
            case BooleanShape b -> {
                JsonBinding.bool(node);
                yield List.of();
            }
            case TimestampShape t -> {
                JsonBinding.timestamp(node);
                yield List.of();
            }
        };
    }

    /** JSON null, like a missing member, means absent. */
    private static boolean isAbsent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode();
    }
}
