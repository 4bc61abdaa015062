package io.sluice.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns the derived model JSON into {@link ServiceModel} values, checking every shape: known
 * keys only, existing targets, sane bounds, compilable patterns, and no recursive shapes (the
 * validator's recursion depth is bounded by the model's depth because of that).
 */
final class ServiceModelReader {
    private static final Map<String, Set<String>> KEYS_BY_TYPE = Map.of(
            "structure", Set.of("type", "members", "required"),
            "list", Set.of("type", "member", "min", "max"),
            "map", Set.of("type", "key", "value", "min", "max"),
            "string", Set.of("type", "min", "max", "pattern", "enum", "sensitive"),
            "blob", Set.of("type", "min", "max", "sensitive"),
            "integer", Set.of("type", "min", "max"),
            "double", Set.of("type", "min", "max"),
            "boolean", Set.of("type"),
            "timestamp", Set.of("type"));

    private final JsonNode shapeNodes;
    private final Map<String, Shape> built = new HashMap<>();
    private final Set<String> building = new HashSet<>();

    private ServiceModelReader(JsonNode shapeNodes) {
        this.shapeNodes = shapeNodes;
    }

    static ServiceModel read(JsonNode root) {
        requireObject(root, "the model");
        requireOnlyKeys(root, Set.of("operations", "shapes"), "the model");
        JsonNode shapeNodes = requireObject(root.get("shapes"), "shapes");
        JsonNode operationNodes = requireObject(root.get("operations"), "operations");
        ServiceModelReader reader = new ServiceModelReader(shapeNodes);
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : shapeNodes.properties()) {
            shapes.put(entry.getKey(), reader.shape(entry.getKey()));
        }
        Map<String, Operation> operations = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : operationNodes.properties()) {
            operations.put(entry.getKey(), reader.operation(entry.getKey(), entry.getValue()));
        }
        return new ServiceModel(operations, shapes);
    }

    private Operation operation(String name, JsonNode node) {
        String where = "operation " + name;
        requireObject(node, where);
        requireOnlyKeys(node, Set.of("input", "output"), where);
        return new Operation(
                name, structure(node.get("input"), where + " input"), structure(node.get("output"), where + " output"));
    }

    private StructureShape structure(JsonNode nameNode, String where) {
        if (shape(requireText(nameNode, where)) instanceof StructureShape structure) {
            return structure;
        }
        throw malformed(where + " is not a structure shape");
    }

    private Shape shape(String name) {
        Shape done = built.get(name);
        if (done != null) {
            return done;
        }
        if (!shapeNodes.has(name)) {
            throw malformed("shape " + name + " is referenced but not defined");
        }
        if (!building.add(name)) {
            throw malformed("shape " + name + " is recursive, which the validator does not support");
        }
        Shape shape = build(name, shapeNodes.get(name));
        building.remove(name);
        built.put(name, shape);
        return shape;
    }

    private Shape build(String name, JsonNode node) {
        String where = "shape " + name;
        requireObject(node, where);
        String type = requireText(node.get("type"), where + " type");
        Set<String> keys = KEYS_BY_TYPE.get(type);
        if (keys == null) {
            throw malformed(where + " has unsupported type " + type);
        }
        requireOnlyKeys(node, keys, where);
        return switch (type) {
            case "structure" -> new StructureShape(name, members(node, where));
            case "list" -> new ListShape(name, target(node.get("member"), where + " member"), length(node, where));
            case "map" -> map(name, node, where);
            case "string" ->
                new StringShape(
                        name,
                        length(node, where),
                        pattern(node, where),
                        enumValues(node, where),
                        sensitive(node, where));
            case "blob" -> new BlobShape(name, length(node, where), sensitive(node, where));
            case "integer" -> new IntegerShape(name, range(node, where));
            case "double" -> new DoubleShape(name, range(node, where));
            case "boolean" -> new BooleanShape(name);
            case "timestamp" -> new TimestampShape(name);
            default -> throw malformed(where + " has unsupported type " + type);
        };
    }

    private List<Member> members(JsonNode node, String where) {
        JsonNode memberNodes = requireObject(node.get("members"), where + " members");
        Set<String> required = new HashSet<>();
        JsonNode requiredNode = node.get("required");
        if (requiredNode != null) {
            if (!requiredNode.isArray()) {
                throw malformed(where + " required is not an array");
            }
            for (JsonNode item : requiredNode) {
                String member = requireText(item, where + " required item");
                if (!memberNodes.has(member)) {
                    throw malformed(where + " requires " + member + ", which is not a member");
                }
                if (!required.add(member)) {
                    throw malformed(where + " requires " + member + " twice");
                }
            }
        }
        List<Member> members = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : memberNodes.properties()) {
            String member = entry.getKey();
            if (member.isEmpty()) {
                throw malformed(where + " has a member with an empty name");
            }
            members.add(new Member(
                    member, target(entry.getValue(), where + " member " + member), required.contains(member)));
        }
        return members;
    }

    private MapShape map(String name, JsonNode node, String where) {
        if (target(node.get("key"), where + " key") instanceof StringShape key) {
            return new MapShape(name, key, target(node.get("value"), where + " value"), length(node, where));
        }
        throw malformed(where + " key is not a string shape");
    }

    private Shape target(JsonNode reference, String where) {
        requireObject(reference, where);
        requireOnlyKeys(reference, Set.of("shape"), where);
        return shape(requireText(reference.get("shape"), where + " shape"));
    }

    private static LengthRange length(JsonNode node, String where) {
        try {
            return new LengthRange(bound(node.get("min"), where + " min"), bound(node.get("max"), where + " max"));
        } catch (IllegalArgumentException e) {
            throw malformed(where + ": " + e.getMessage());
        }
    }

    private static OptionalLong bound(JsonNode node, String where) {
        if (node == null) {
            return OptionalLong.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw malformed(where + " is not a whole number");
        }
        return OptionalLong.of(node.longValue());
    }

    private static ValueRange range(JsonNode node, String where) {
        try {
            return new ValueRange(number(node.get("min"), where + " min"), number(node.get("max"), where + " max"));
        } catch (IllegalArgumentException e) {
            throw malformed(where + ": " + e.getMessage());
        }
    }

    private static Optional<BigDecimal> number(JsonNode node, String where) {
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isNumber()) {
            throw malformed(where + " is not a number");
        }
        return Optional.of(node.decimalValue());
    }

    private static Optional<Pattern> pattern(JsonNode node, String where) {
        JsonNode pattern = node.get("pattern");
        if (pattern == null) {
            return Optional.empty();
        }
        String source = requireText(pattern, where + " pattern");
        try {
            return Optional.of(Pattern.compile(source));
        } catch (PatternSyntaxException e) {
            throw malformed(where + " pattern does not compile: " + e.getDescription());
        }
    }

    private static List<String> enumValues(JsonNode node, String where) {
        JsonNode values = node.get("enum");
        if (values == null) {
            return List.of();
        }
        if (!values.isArray() || values.isEmpty()) {
            throw malformed(where + " enum is not a non-empty array");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode value : values) {
            result.add(requireText(value, where + " enum value"));
        }
        if (new HashSet<>(result).size() != result.size()) {
            throw malformed(where + " enum repeats a value");
        }
        return result;
    }

    private static boolean sensitive(JsonNode node, String where) {
        JsonNode sensitive = node.get("sensitive");
        if (sensitive == null) {
            return false;
        }
        if (!sensitive.isBoolean()) {
            throw malformed(where + " sensitive is not a boolean");
        }
        return sensitive.booleanValue();
    }

    private static JsonNode requireObject(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw malformed(where + " is not a JSON object");
        }
        return node;
    }

    private static String requireText(JsonNode node, String where) {
        if (node == null || !node.isTextual() || node.textValue().isEmpty()) {
            throw malformed(where + " is not a non-empty string");
        }
        return node.textValue();
    }

    private static void requireOnlyKeys(JsonNode node, Set<String> allowed, String where) {
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!allowed.contains(entry.getKey())) {
                throw malformed(where + " has unknown key " + entry.getKey());
            }
        }
    }

    private static IllegalArgumentException malformed(String message) {
        return new IllegalArgumentException(message);
    }
}
