package io.sluice.api.model;

import static io.sluice.common.ErrorCode.SERIALIZATION;
import static io.sluice.common.ErrorCode.VALIDATION;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.common.ErrorCode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Generates Firehose request bodies from the service model: valid ones, and ones broken in exactly
 * one random place, each telling which error AWS (and Sluice) must answer. Deterministic for a
 * seeded {@link RandomGenerator}; not thread-safe (one per thread).
 *
 * <p>Valid bodies fill every required member and a random selection of optional ones (sparse,
 * medium or dense, so that deeply nested shapes are reached too), sometimes
 * write an absent member as JSON null, and sometimes add members the model does not know (random
 * junk, deeply nested values, or a real member's name in the wrong case), which must be ignored.
 *
 * <p>Broken bodies take a valid body and either give one value a JSON type its shape does not
 * allow (a string for a structure, a fraction for an integer, invalid base64, a deeply nested array
 * or object, …; a SerializationException), or break one constraint (drop a required member,
 * exceed a length or range, miss a pattern or enum, null a list item or map value; a
 * ValidationException naming a known path), or send a body that is not a JSON object.
 *
 * <p>Nesting in generated values is at most {@code nesting} deep; {@link #WIRE_NESTING} keeps
 * bodies within Jackson's default read and write depth limit of 1000, so they can be sent to a
 * running server.
 */
public final class ModelInputGenerator {
    public static final int WIRE_NESTING = 900;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final RandomGenerator random;
    private final int nesting;
    private final Map<String, RegexSampler> samplers = new HashMap<>();

    public ModelInputGenerator(RandomGenerator random) {
        this(random, WIRE_NESTING);
    }

    public ModelInputGenerator(RandomGenerator random, int nesting) {
        this.random = requireNonNull(random, "random is null");
        if (nesting < 1) {
            throw new IllegalArgumentException("nesting must be positive: " + nesting);
        }
        this.nesting = nesting;
    }

    /** A body broken in one place, the error code it must cause and, for validation, the path named. */
    public record BrokenInput(JsonNode body, ErrorCode expected, Optional<String> path, String description) {
        public BrokenInput {
            requireNonNull(body, "body is null");
            requireNonNull(expected, "expected is null");
            requireNonNull(path, "path is null");
            requireNonNull(description, "description is null");
        }
    }

    /** A body that passes validation. */
    public ObjectNode valid(Operation operation) {
        return new Draft().structure(operation.input(), "", 0);
    }

    /** A body broken in exactly one place. */
    public BrokenInput broken(Operation operation) {
        if (random.nextInt(30) == 0) {
            return notAnObject();
        }
        boolean typeMistake = random.nextBoolean();
        for (int attempt = 0; attempt < 20; attempt++) {
            Draft draft = new Draft();
            ObjectNode body = draft.structure(operation.input(), "", 0);
            for (Site site : shuffledByKind(draft.sites)) {
                Optional<BrokenInput> broken = typeMistake ? wrongType(body, site) : brokenConstraint(body, site);
                if (broken.isPresent()) {
                    return broken.get();
                }
            }
        }
        return notAnObject();
    }

    /**
     * The sites in random order, a kind of shape (or map keys) picked uniformly before a site of
     * that kind, so that rare kinds deep in a large body are broken as often as common ones.
     */
    private List<Site> shuffledByKind(List<Site> sites) {
        Map<String, List<Site>> byKind = new LinkedHashMap<>();
        for (Site site : sites) {
            String kind = site.kind == Kind.MAP_KEY
                    ? "map key"
                    : site.shape.getClass().getSimpleName();
            byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(site);
        }
        List<List<Site>> groups = new ArrayList<>(byKind.values());
        groups.forEach(group -> Collections.shuffle(group, random));
        List<Site> order = new ArrayList<>();
        while (!groups.isEmpty()) {
            int pick = random.nextInt(groups.size());
            List<Site> group = groups.get(pick);
            order.add(group.removeLast());
            if (group.isEmpty()) {
                groups.remove(pick);
            }
        }
        return order;
    }

    private BrokenInput notAnObject() {
        JsonNode body = switch (random.nextInt(5)) {
            case 0 -> NODES.arrayNode().add(NODES.objectNode());
            case 1 -> NODES.textNode("{}");
            case 2 -> NODES.numberNode(1);
            case 3 -> NODES.booleanNode(true);
            default -> NODES.nullNode();
        };
        return new BrokenInput(body, SERIALIZATION, Optional.empty(), "body is " + body.getNodeType());
    }

    /** Where a value sits in a draft, and where AWS reports a broken constraint of it. */
    private record Site(
            Shape shape, Kind kind, JsonNode parent, String key, int index, String path, String reportedAt) {
        JsonNode value() {
            return kind == Kind.ITEM ? parent.get(index) : parent.get(key);
        }

        void replace(JsonNode value) {
            if (kind == Kind.ITEM) {
                ((ArrayNode) parent).set(index, value);
            } else {
                ((ObjectNode) parent).set(key, value);
            }
        }
    }

    private enum Kind {
        REQUIRED_MEMBER,
        OPTIONAL_MEMBER,
        ITEM,
        MAP_VALUE,
        MAP_KEY
    }

    private Optional<BrokenInput> wrongType(ObjectNode body, Site site) {
        if (site.kind == Kind.MAP_KEY) {
            return Optional.empty();
        }
        List<JsonNode> wrong = new ArrayList<>(
                switch (site.shape) {
                    case StructureShape s ->
                        List.of(NODES.textNode("x"), NODES.numberNode(1), NODES.booleanNode(false), deep(true));
                    case ListShape l ->
                        List.of(NODES.textNode("[]"), NODES.numberNode(2), NODES.booleanNode(true), deep(false));
                    case MapShape m ->
                        List.of(NODES.textNode("{}"), NODES.numberNode(3), NODES.arrayNode(), deep(true));
                    case StringShape s -> List.of(NODES.numberNode(4), NODES.numberNode(1.5), NODES.booleanNode(true));
                    case BlobShape b ->
                        List.of(
                                NODES.numberNode(5),
                                NODES.booleanNode(false),
                                NODES.textNode("abc"),
                                NODES.textNode("ab!d"),
                                NODES.textNode("+/+="),
                                NODES.textNode("A==="),
                                NODES.textNode("Zm9v\n"));
                    case IntegerShape i ->
                        List.of(
                                NODES.textNode("5"),
                                NODES.booleanNode(true),
                                NODES.numberNode(1.5),
                                NODES.numberNode(3_000_000_000L),
                                NODES.numberNode(-3_000_000_000L));
                    case DoubleShape d ->
                        List.of(NODES.textNode("0.5"), NODES.textNode("nan"), NODES.booleanNode(false));
                    case BooleanShape b -> List.of(NODES.textNode("true"), NODES.numberNode(1), NODES.numberNode(0.0));
                    case TimestampShape t -> List.of(NODES.textNode("2024-01-01T00:00:00Z"), NODES.booleanNode(true));
                });
        if (site.shape instanceof ScalarShape) {
            wrong.add(NODES.arrayNode().add(site.value()));
            wrong.add(NODES.objectNode().set("Value", site.value()));
            wrong.add(deep(random.nextBoolean()));
        }
        JsonNode replacement = wrong.get(random.nextInt(wrong.size()));
        site.replace(replacement);
        return Optional.of(new BrokenInput(
                body,
                SERIALIZATION,
                Optional.empty(),
                "wrong type at " + site.path + " (" + site.shape.name() + "): " + replacement.getNodeType()));
    }

    private Optional<BrokenInput> brokenConstraint(ObjectNode body, Site site) {
        List<Mutation> options = new ArrayList<>();
        if (site.kind == Kind.REQUIRED_MEMBER) {
            options.add(() -> {
                if (random.nextBoolean()) {
                    ((ObjectNode) site.parent).remove(site.key);
                } else {
                    ((ObjectNode) site.parent).putNull(site.key);
                }
                return validation(body, site.path, "required member removed");
            });
        }
        switch (site.shape) {
            case StringShape string -> stringMutations(body, site, string, options);
            case BlobShape blob ->
                blob.length()
                        .max()
                        .ifPresent(max -> options.add(() -> {
                            site.replace(NODES.textNode(base64(max + 1 + random.nextInt(2))));
                            return validation(body, site.reportedAt, "blob over " + max + " bytes");
                        }));
            case IntegerShape integer -> {
                integer.range()
                        .max()
                        .filter(max -> max.longValue() < Integer.MAX_VALUE)
                        .ifPresent(max -> options.add(() -> {
                            site.replace(NODES.numberNode(max.intValue() + 1));
                            return validation(body, site.reportedAt, "integer above " + max);
                        }));
                integer.range()
                        .min()
                        .filter(min -> min.longValue() > Integer.MIN_VALUE)
                        .ifPresent(min -> options.add(() -> {
                            site.replace(NODES.numberNode(min.intValue() - 1));
                            return validation(body, site.reportedAt, "integer below " + min);
                        }));
            }
            case DoubleShape decimal -> {
                decimal.range()
                        .max()
                        .ifPresent(max -> options.add(() -> {
                            site.replace(
                                    random.nextBoolean()
                                            ? NODES.numberNode(max.doubleValue() + 0.5)
                                            : NODES.textNode("NaN"));
                            return validation(body, site.reportedAt, "double above " + max);
                        }));
                decimal.range()
                        .min()
                        .ifPresent(min -> options.add(() -> {
                            site.replace(
                                    random.nextBoolean()
                                            ? NODES.numberNode(min.doubleValue() - 0.5)
                                            : NODES.textNode("-Infinity"));
                            return validation(body, site.reportedAt, "double below " + min);
                        }));
            }
            case ListShape list -> listMutations(body, site, list, options);
            case MapShape map -> mapMutations(body, site, map, options);
            case StructureShape s -> {}
            case BooleanShape b -> {}
            case TimestampShape t -> {}
        }
        return options.isEmpty()
                ? Optional.empty()
                : Optional.of(options.get(random.nextInt(options.size())).apply());
    }

    private void stringMutations(ObjectNode body, Site site, StringShape shape, List<Mutation> options) {
        if (!shape.enumValues().isEmpty()) {
            options.add(() -> replaceString(
                    body, site, shape.enumValues().getFirst().toLowerCase(Locale.ROOT) + "_x", "not in enum"));
        }
        shape.length()
                .max()
                .ifPresent(max -> options.add(() -> replaceString(
                        body, site, RegexSampler.randomText(random, max + 1 + random.nextInt(3)), "over " + max)));
        shape.length().min().stream()
                .filter(min -> min > 0)
                .forEach(min -> options.add(
                        () -> replaceString(body, site, RegexSampler.randomText(random, min - 1), "under " + min)));
        shape.pattern()
                .ifPresent(pattern -> sampler(shape)
                        .notMatching(
                                random,
                                shape.length().min().orElse(0),
                                shape.length().max().orElse(64))
                        .ifPresent(
                                text -> options.add(() -> replaceString(body, site, text, "not matching " + pattern))));
    }

    private BrokenInput replaceString(ObjectNode body, Site site, String text, String what) {
        if (site.kind == Kind.MAP_KEY) {
            ObjectNode map = (ObjectNode) site.parent;
            JsonNode value = map.remove(site.key);
            map.set(text, value);
        } else {
            site.replace(NODES.textNode(text));
        }
        return validation(body, site.reportedAt, "string " + what);
    }

    private void listMutations(ObjectNode body, Site site, ListShape shape, List<Mutation> options) {
        ArrayNode list = (ArrayNode) site.value();
        shape.length()
                .max()
                .ifPresent(max -> options.add(() -> {
                    Draft extra = new Draft();
                    while (list.size() <= max) {
                        list.add(extra.value(shape.member(), "", 0));
                    }
                    return validation(body, site.path, "list over " + max + " items");
                }));
        shape.length().min().stream()
                .filter(min -> min > 0)
                .forEach(min -> options.add(() -> {
                    while (list.size() >= min) {
                        list.remove(list.size() - 1);
                    }
                    return validation(body, site.path, "list under " + min + " items");
                }));
        if (!list.isEmpty()) {
            options.add(() -> {
                int index = random.nextInt(list.size());
                list.set(index, NODES.nullNode());
                return validation(body, site.path + "." + (index + 1) + ".member", "null list item");
            });
        }
    }

    private void mapMutations(ObjectNode body, Site site, MapShape shape, List<Mutation> options) {
        ObjectNode map = (ObjectNode) site.value();
        shape.length()
                .max()
                .ifPresent(max -> options.add(() -> {
                    Draft extra = new Draft();
                    while (map.size() <= max) {
                        map.set(extra.string(shape.key()) + map.size(), extra.value(shape.value(), "", 0));
                    }
                    return validation(body, site.path, "map over " + max + " entries");
                }));
        if (!map.isEmpty()) {
            options.add(() -> {
                String key = map.properties().iterator().next().getKey();
                map.putNull(key);
                return validation(body, site.path + "." + key + ".member", "null map value");
            });
        }
    }

    private BrokenInput validation(ObjectNode body, String path, String what) {
        return new BrokenInput(body, VALIDATION, Optional.of(path), what + " at " + path);
    }

    private JsonNode deep(boolean arrays) {
        JsonNode node = NODES.textNode("bottom");
        for (int i = 0; i < nesting; i++) {
            node = arrays ? NODES.arrayNode().add(node) : NODES.objectNode().set("Deep", node);
        }
        return node;
    }

    private JsonNode junk(int depth) {
        return switch (random.nextInt(depth > 2 ? 4 : 7)) {
            case 0 -> NODES.textNode(RegexSampler.randomText(random, random.nextInt(20)));
            case 1 -> NODES.numberNode(random.nextLong());
            case 2 -> NODES.booleanNode(random.nextBoolean());
            case 3 -> NODES.nullNode();
            case 4 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(junk(depth + 1));
                }
                yield array;
            }
            case 5 -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set("K" + i, junk(depth + 1));
                }
                yield object;
            }
            default -> deep(random.nextBoolean());
        };
    }

    private RegexSampler sampler(StringShape shape) {
        return samplers.computeIfAbsent(
                shape.name(), name -> new RegexSampler(shape.pattern().orElseThrow()));
    }

    private String base64(long bytes) {
        byte[] data = new byte[Math.toIntExact(bytes)];
        random.nextBytes(data);
        return Base64.getEncoder().encodeToString(data);
    }

    @FunctionalInterface
    private interface Mutation {
        BrokenInput apply();
    }

    /** One body being generated, with every place a mutation could go. */
    private final class Draft {
        private final List<Site> sites = new ArrayList<>();
        private final double density = List.of(0.25, 0.5, 0.85).get(random.nextInt(3));

        ObjectNode structure(StructureShape shape, String path, int depth) {
            ObjectNode node = NODES.objectNode();
            for (Member member : shape.members()) {
                String at = path.isEmpty() ? member.pathName() : path + "." + member.pathName();
                if (member.required() || random.nextDouble() < density) {
                    node.set(member.name(), value(member.target(), at, depth + 1));
                    Kind kind = member.required() ? Kind.REQUIRED_MEMBER : Kind.OPTIONAL_MEMBER;
                    sites.add(new Site(member.target(), kind, node, member.name(), -1, at, at));
                } else if (random.nextInt(20) == 0) {
                    node.putNull(member.name());
                }
            }
            if (random.nextInt(8) == 0) {
                Optional<Member> miscased = shape.members().isEmpty() || random.nextBoolean()
                        ? Optional.empty()
                        : Optional.of(shape.members()
                                        .get(random.nextInt(shape.members().size())))
                                .filter(m -> !m.pathName().equals(m.name()));
                node.set(miscased.map(Member::pathName).orElse("Unknown" + random.nextInt(100)), junk(0));
            }
            return node;
        }

        JsonNode value(Shape shape, String path, int depth) {
            return switch (shape) {
                case StructureShape structure -> structure(structure, path, depth);
                case ListShape list -> list(list, path, depth);
                case MapShape map -> map(map, path, depth);
                case StringShape string -> NODES.textNode(string(string));
                case BlobShape blob ->
                    NODES.textNode(base64(length(blob.length(), random.nextInt(50) == 0 ? 4096 : 32)));
                case IntegerShape integer -> NODES.numberNode(integer(integer.range()));
                case DoubleShape decimal -> NODES.numberNode(decimal(decimal.range()));
                case BooleanShape b -> NODES.booleanNode(random.nextBoolean());
                case TimestampShape t ->
                    random.nextBoolean()
                            ? NODES.numberNode(random.nextLong(4_000_000_000L))
                            : NODES.numberNode(random.nextLong(4_000_000_000L) + random.nextInt(1000) / 1000.0);
            };
        }

        private ArrayNode list(ListShape shape, String path, int depth) {
            ArrayNode node = NODES.arrayNode();
            long count = length(shape.length(), 3);
            for (int i = 0; i < count; i++) {
                String at = path + "." + (i + 1) + ".member";
                node.add(value(shape.member(), at, depth + 1));
                String reportedAt = shape.member() instanceof ScalarShape ? path : at;
                sites.add(new Site(shape.member(), Kind.ITEM, node, "", i, at, reportedAt));
            }
            return node;
        }

        private ObjectNode map(MapShape shape, String path, int depth) {
            ObjectNode node = NODES.objectNode();
            long count = length(shape.length(), 3);
            for (int attempt = 0; node.size() < count && attempt < 10 * count; attempt++) {
                String key = string(shape.key());
                if (node.has(key)) {
                    continue;
                }
                String at = path + "." + key + ".member";
                node.set(key, value(shape.value(), at, depth + 1));
                String reportedAt = shape.value() instanceof ScalarShape ? path : at;
                sites.add(new Site(shape.value(), Kind.MAP_VALUE, node, key, -1, at, reportedAt));
                sites.add(new Site(shape.key(), Kind.MAP_KEY, node, key, -1, path, path));
            }
            return node;
        }

        String string(StringShape shape) {
            if (!shape.enumValues().isEmpty()) {
                return shape.enumValues().get(random.nextInt(shape.enumValues().size()));
            }
            long min = shape.length().min().orElse(0);
            long max = shape.length().max().orElse(min + 64);
            if (shape.pattern().isPresent()) {
                return sampler(shape)
                        .matching(random, min, max)
                        .orElseThrow(() -> new IllegalStateException("cannot generate a value for " + shape.name()));
            }
            return RegexSampler.randomText(random, length(shape.length(), random.nextInt(4) == 0 ? max - min : 16));
        }

        /** A length within the range, usually no more than {@code spread} above its minimum. */
        private long length(LengthRange range, long spread) {
            long min = range.min().orElse(0);
            long max = Math.min(range.max().orElse(Long.MAX_VALUE), min + spread);
            return min + random.nextLong(max - min + 1);
        }

        private int integer(ValueRange range) {
            long min = range.min()
                    .map(m -> Math.max(m.longValue(), Integer.MIN_VALUE))
                    .orElse((long) Integer.MIN_VALUE);
            long max = range.max()
                    .map(m -> Math.min(m.longValue(), Integer.MAX_VALUE))
                    .orElse((long) Integer.MAX_VALUE);
            return Math.toIntExact(
                    switch (random.nextInt(4)) {
                        case 0 -> min;
                        case 1 -> max;
                        default -> min + random.nextLong(max - min + 1);
                    });
        }

        private double decimal(ValueRange range) {
            double min = range.min().map(m -> m.doubleValue()).orElse(-1e9);
            double max = range.max().map(m -> m.doubleValue()).orElse(1e9);
            return switch (random.nextInt(4)) {
                case 0 -> min;
                case 1 -> max;
                default -> min + random.nextDouble() * (max - min);
            };
        }
    }
}
