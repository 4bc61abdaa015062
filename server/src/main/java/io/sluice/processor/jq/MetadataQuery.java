package io.sluice.processor.jq;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * A {@code MetadataExtractionQuery} (delivery spec §7.2): a jq 1.6 program, compiled once per stream
 * configuration, that turns each JSON record into its partition keys ({@code
 * !{partitionKeyFromQuery:<key>}}). Runs on jackson-jq in its jq 1.6 mode, with jq 1.6's date builtins
 * and number printing added and some string builtins corrected ({@link DateBuiltins}, {@link JqValues},
 * {@link StringBuiltins}).
 *
 * <p>Key values (§7.2b): the query must yield exactly one value, an object, whose every value is a
 * scalar: a string is used raw, a number as jq 1.6 prints it ({@code 1}, {@code 1.5}, {@code
 * 0.30000000000000004}, {@code 1e+300}), a boolean as {@code true}/{@code false}. Anything else fails
 * the record, which then goes to the error output. AWS publishes no error codes for this; ours, in
 * {@link Failed#errorCode()}:
 *
 * <ul>
 *   <li>{@value #NON_JSON}: the record is not one JSON value ("Non JSON record provided");
 *   <li>{@value #EXTRACTION_FAILED}: the query failed ("The query failed: <jq's message>"), yielded no
 *       value, several values or a non-object, or a key's value is {@code null} or not a scalar
 *       ("partition key 'x' is null", "partition key 'x' is an array").
 * </ul>
 *
 * <p>Bounds: evaluation stops at the query's second result. jackson-jq cannot be interrupted, so the
 * CPU time and memory of one evaluation are bounded only by what a jq program can do with one record
 * (at most 1,000 KiB, §2): a query such as {@code [range(1e9)]} or a recursive function runs until it
 * ends or exhausts the heap. Configurations are trusted input from the stream's owner.
 *
 * <p>Thread-safe: each evaluation runs in its own child scope.
 */
public final class MetadataQuery {
    public static final String EXTRACTION_FAILED = "DynamicPartitioning.MetadataExtractionFailed";
    public static final String NON_JSON = "DynamicPartitioning.NonJsonRecord";

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Reads records as trees without resolving the target type on every call, as {@code JSON.readTree} does. */
    private static final ObjectReader TREES = JSON.readerFor(JsonNode.class);
    /** Reads one value amid a record, which goes on after it. */
    private static final ObjectReader VALUE_TREES = TREES.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PLAIN_STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\[^(])*)\"");

    private final String query;
    private final JsonQuery compiled;
    private final Scope scope;
    private final Optional<Set<String>> keyNames;
    /** The record's top-level fields the query reads ({@link RecordFields}); empty: it may read all. */
    private final Optional<Set<String>> readFields;

    private MetadataQuery(
            String query,
            JsonQuery compiled,
            Scope scope,
            Optional<Set<String>> keyNames,
            Optional<Set<String>> readFields) {
        this.query = query;
        this.compiled = compiled;
        this.scope = scope;
        this.keyNames = keyNames;
        this.readFields = readFields;
    }

    /** What evaluating a record gave: its keys, or why it has none. */
    public sealed interface Outcome permits Keys, Failed {}

    /** The record's partition keys, by name. */
    public record Keys(SortedMap<String, String> keys) implements Outcome {
        public Keys {
            keys = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(keys, "keys is null")));
        }
    }

    /** The record cannot be partitioned; it goes to the error output with this code and message. */
    public record Failed(String errorCode, String errorMessage) implements Outcome {
        public Failed {
            requireNonNull(errorCode, "errorCode is null");
            requireNonNull(errorMessage, "errorMessage is null");
        }
    }

    /** Compiles {@code query} as jq 1.6; a query that does not parse is an {@code InvalidArgumentException}. */
    public static MetadataQuery compile(String query) {
        return compile(query, Clock.systemUTC());
    }

    /** As {@link #compile(String)}, with {@code now} reading {@code clock}. */
    public static MetadataQuery compile(String query, Clock clock) {
        requireNonNull(query, "query is null");
        requireNonNull(clock, "clock is null");
        Scope scope = rootScope(clock);
        JsonQuery compiled;
        try {
            JsonQuery.compile(query, Versions.JQ_1_6); // errors in the user's words, not the rewrite's
            compiled = JsonQuery.compile(Interpolations.rewrite(query), Versions.JQ_1_6);
        } catch (JsonQueryException | RuntimeException e) {
            // jackson-jq's message repeats the query; its parser's cause says where it failed.
            Throwable where = e.getCause() != null ? e.getCause() : e;
            throw new FirehoseException(
                    ErrorCode.INVALID_ARGUMENT,
                    "MetadataExtractionQuery is not a valid jq 1.6 program: " + firstLine(where.getMessage()));
        }
        return new MetadataQuery(query, compiled, scope, literalKeys(query), RecordFields.of(query));
    }

    /** jackson-jq's jq 1.6 builtins, with ours ({@link DateBuiltins}, {@link StringBuiltins}, {@link
     * MathBuiltins}) over and beside them. */
    static Scope rootScope(Clock clock) {
        Scope scope = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, scope);
        DateBuiltins.register(scope, clock);
        StringBuiltins.register(scope);
        MathBuiltins.register(scope);
        return scope;
    }

    public String query() {
        return query;
    }

    /**
     * The keys the query builds, when it is a literal object construction such as {@code {a: .x, "b":
     * .y, $c}} (so that the configuration can check each is used in the prefix, §7.2a); empty when they
     * depend on the record ({@code {(.k): 1}}, {@code .meta}, …).
     */
    public Optional<Set<String>> keyNames() {
        return keyNames;
    }

    /** Evaluates the query on a record's bytes, which must be one JSON value. */
    public Outcome evaluate(byte[] record) {
        return evaluate(record, 0, record.length);
    }

    /**
     * Evaluates the query on a record's {@code length} bytes from {@code offset} of {@code bytes}. When the
     * query reads only some of an object's fields, only those are built as a tree; the rest of the record
     * is still scanned, so that a record which is not JSON fails as it would when read whole.
     */
    public Outcome evaluate(byte[] bytes, int offset, int length) {
        JsonNode json;
        try {
            json = readFields.isPresent()
                    ? readFields(bytes, offset, length, readFields.get())
                    : TREES.readTree(bytes, offset, length);
        } catch (IOException e) {
            return new Failed(NON_JSON, "Non JSON record provided");
        }
        if (json == null || json.isMissingNode()) {
            return new Failed(NON_JSON, "Non JSON record provided");
        }
        return evaluate(json);
    }

    /**
     * The record as a tree of its top-level {@code fields} only, if it is an object (the last of a repeated
     * field wins, as when read whole); anything else whole. Null when the bytes hold no value.
     */
    private static JsonNode readFields(byte[] bytes, int offset, int length, Set<String> fields) throws IOException {
        try (JsonParser parser = JSON.getFactory().createParser(bytes, offset, length)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                return first == null ? null : TREES.readTree(bytes, offset, length);
            }
            ObjectNode record = JSON.getNodeFactory().objectNode();
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                parser.nextToken();
                if (fields.contains(name)) {
                    record.set(name, VALUE_TREES.readTree(parser));
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "Trailing content after the record");
            }
            return record;
        }
    }

    /** Evaluates the query on a parsed record. */
    public Outcome evaluate(JsonNode record) {
        requireNonNull(record, "record is null");
        List<JsonNode> results = new ArrayList<>(2);
        try {
            compiled.apply(Scope.newChildScope(scope), JqValues.fromJson(record), value -> {
                results.add(value);
                if (results.size() > 1) {
                    throw new SecondResult();
                }
            });
        } catch (SecondResult e) {
            return failed("The query yielded more than one value");
        } catch (JsonQueryException e) {
            return failed("The query failed: " + errorText(e));
        } catch (RuntimeException | StackOverflowError e) {
            return failed("The query failed: " + e.getClass().getSimpleName());
        }
        if (results.isEmpty()) {
            return failed("The query yielded no value");
        }
        JsonNode result = results.get(0);
        if (!result.isObject()) {
            return failed("The query yielded " + article(result) + ", not an object");
        }
        TreeMap<String, String> keys = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : result.properties()) {
            JsonNode value = field.getValue();
            String text;
            if (value.isTextual()) {
                text = value.textValue();
            } else if (value.isNumber()) {
                text = JqValues.format(value.doubleValue());
            } else if (value.isBoolean()) {
                text = Boolean.toString(value.booleanValue());
            } else {
                return failed(
                        "partition key '" + field.getKey() + "' is " + (value.isNull() ? "null" : article(value)));
            }
            keys.put(field.getKey(), text);
        }
        return new Keys(keys);
    }

    private static Failed failed(String message) {
        return new Failed(EXTRACTION_FAILED, message);
    }

    private static String article(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case STRING -> "a string";
            case BOOLEAN -> "a boolean";
            default -> "null";
        };
    }

    private static String errorText(JsonQueryException e) {
        JsonNode message = e.getMessageAsJsonNode();
        return message != null && message.isTextual() ? message.textValue() : firstLine(e.getOriginalMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no detail)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /**
     * The keys of a query of the form {@code {k1: e1, "k2": e2, $k3, k4}} (keys as identifiers, plain
     * strings or variables), read without evaluating it; empty for anything else. The query has
     * compiled, so only its top-level shape is checked: braces around the whole, commas at depth 0.
     */
    static Optional<Set<String>> literalKeys(String query) {
        String body = query.strip();
        if (body.length() < 2 || body.charAt(0) != '{' || closing(body, 0) != body.length() - 1) {
            return Optional.empty();
        }
        Set<String> keys = new LinkedHashSet<>();
        if (body.substring(1, body.length() - 1).isBlank()) {
            return Optional.of(Set.of());
        }
        for (String entry : topLevelEntries(body.substring(1, body.length() - 1))) {
            String e = entry.strip();
            int colon = topLevelColon(e);
            String key = (colon < 0 ? e : e.substring(0, colon)).strip();
            if (key.startsWith("$") && colon < 0) {
                key = key.substring(1);
            }
            if (IDENTIFIER.matcher(key).matches()) {
                keys.add(key);
            } else {
                var plain = PLAIN_STRING.matcher(key);
                if (colon < 0 || !plain.matches()) {
                    return Optional.empty();
                }
                try {
                    keys.add(JSON.readValue(key, String.class));
                } catch (JsonProcessingException ex) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(Collections.unmodifiableSet(keys));
    }

    /** The index of the bracket closing the one at {@code open}, skipping strings; -1 if none or a comment. */
    private static int closing(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                i = endOfString(text, i);
                if (i < 0) {
                    return -1;
                }
            } else if (c == '#') {
                return -1;
            } else if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if (c == '}' || c == ']' || c == ')') {
                if (--depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The index of the quote ending the string starting at {@code quote}, past any {@code \(…)}. */
    private static int endOfString(String text, int quote) {
        for (int i = quote + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '(') {
                i = closing(text, i + 1);
                if (i < 0) {
                    return -1;
                }
            } else if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private static List<String> topLevelEntries(String body) {
        Optional<List<Integer>> commas = topLevel(body, ',');
        if (commas.isEmpty()) {
            return List.of("\u0000");
        }
        List<String> entries = new ArrayList<>();
        int start = 0;
        for (int comma : commas.get()) {
            entries.add(body.substring(start, comma));
            start = comma + 1;
        }
        entries.add(body.substring(start));
        return entries;
    }

    private static int topLevelColon(String entry) {
        return topLevel(entry, ':')
                .filter(colons -> !colons.isEmpty())
                .map(colons -> colons.get(0))
                .orElse(-1);
    }

    /** Where {@code c} occurs outside strings and brackets in {@code text}; empty if those do not close. */
    private static Optional<List<Integer>> topLevel(String text, char c) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            char at = text.charAt(i);
            if (at == '"') {
                i = endOfString(text, i);
            } else if (at == '{' || at == '[' || at == '(') {
                i = closing(text, i);
            } else if (at == c) {
                found.add(i);
            }
            if (i < 0) {
                return Optional.empty();
            }
        }
        return Optional.of(found);
    }

    /** Stops an evaluation at its second result; carries no stack trace. */
    private static final class SecondResult extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SecondResult() {
            super(null, null, false, false);
        }
    }
}
