package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import io.sluice.processor.PartitionKeys;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * A parsed S3 {@code Prefix} or {@code ErrorOutputPrefix}: literal text and {@code !{namespace:value}}
 * expressions (delivery spec §4.2). {@code !{} may appear only as the start of an expression.
 */
public final class S3Prefix {
    /** What AWS puts before every prefix rule it rejects (its typo included). */
    static final String CONSTRAINT = "Ths supplied prefix(es) do not satisfy the following constraint: ";

    private static final String DEFAULT_TIME_PATTERN = "yyyy/MM/dd/HH/";

    sealed interface Part {}

    record Literal(String text) implements Part {}

    record Timestamp(String pattern, DateTimeFormatter formatter) implements Part {}

    record RandomString() implements Part {}

    record ErrorOutputType() implements Part {}

    record PartitionKey(String namespace, String key) implements Part {}

    /** The namespace of keys a {@code MetadataExtraction} query yields. */
    public static final String FROM_QUERY = "partitionKeyFromQuery";

    /** The namespace of keys a Lambda function returns. */
    public static final String FROM_LAMBDA = "partitionKeyFromLambda";

    private final String raw;
    private final List<Part> parts;

    private S3Prefix(String raw, List<Part> parts) {
        this.raw = raw;
        this.parts = List.copyOf(parts);
    }

    public static S3Prefix parse(String raw) {
        requireNonNull(raw, "raw is null");
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < raw.length()) {
            int start = raw.indexOf("!{", i);
            if (start < 0) {
                parts.add(new Literal(raw.substring(i)));
                break;
            }
            if (start > i) {
                parts.add(new Literal(raw.substring(i, start)));
            }
            int end = raw.indexOf('}', start);
            if (end < 0) {
                throw invalid("Expression is not terminated by '}': " + raw.substring(start));
            }
            parts.add(expression(raw.substring(start, end + 1), raw.substring(start + 2, end)));
            i = end + 1;
        }
        return new S3Prefix(raw, parts);
    }

    private static Part expression(String whole, String body) {
        int colon = body.indexOf(':');
        if (colon < 0) {
            throw invalid("Expression " + whole + " must have the form !{namespace:value}");
        }
        String namespace = body.substring(0, colon).trim();
        String value = body.substring(colon + 1).trim();
        return switch (namespace) {
            case "timestamp" -> timestamp(whole, value);
            case "firehose" ->
                switch (value) {
                    case "random-string" -> new RandomString();
                    case "error-output-type" -> new ErrorOutputType();
                    default -> throw invalid("Unknown firehose expression " + whole);
                };
            case FROM_QUERY, FROM_LAMBDA -> new PartitionKey(namespace, value);
            default -> throw invalid("Unknown expression namespace '" + namespace + "' in " + whole);
        };
    }

    private static Timestamp timestamp(String whole, String pattern) {
        try {
            DateTimeFormatter formatter = DateTimeFormatter.ofPattern(pattern);
            formatter.formatTo(Instant.EPOCH.atZone(ZoneOffset.UTC), new StringBuilder());
            return new Timestamp(pattern, formatter);
        } catch (IllegalArgumentException | DateTimeException e) {
            throw invalid("Invalid timestamp pattern in " + whole);
        }
    }

    private static FirehoseException invalid(String constraint) {
        return new FirehoseException(ErrorCode.INVALID_ARGUMENT, CONSTRAINT + constraint);
    }

    /**
     * Checks the rules that tie a stream's two prefixes together (delivery spec §4.3), for a stream
     * that partitions dynamically ({@code partitioned}, §4.3.7: its records' keys must be in the
     * {@code Prefix}, and failures need an {@code ErrorOutputPrefix}) or not.
     */
    public static void validatePair(
            Optional<S3Prefix> prefix, Optional<S3Prefix> errorOutputPrefix, boolean partitioned) {
        boolean prefixHasExpressions = prefix.map(S3Prefix::hasExpressions).orElse(false);
        boolean errorPrefixEmpty = errorOutputPrefix.map(p -> p.raw.isEmpty()).orElse(true);
        if (prefix.isPresent()) {
            if (prefix.get().has(ErrorOutputType.class)) {
                throw invalid("Prefix cannot contain !{firehose:error-output-type}");
            }
            if (prefix.get().has(PartitionKey.class) && !partitioned) {
                throw invalid("Prefix cannot contain partitionKeyFromQuery or partitionKeyFromLambda expressions"
                        + " when dynamic partitioning is not enabled");
            }
        }
        if (partitioned) {
            if (errorPrefixEmpty) {
                throw invalid("ErrorOutputPrefix cannot be null or empty when dynamic partitioning is enabled");
            }
            if (prefix.isEmpty() || !prefix.get().has(PartitionKey.class)) {
                throw invalid("Prefix must contain at least one partitionKeyFromQuery or partitionKeyFromLambda"
                        + " expression when dynamic partitioning is enabled");
            }
        }
        if (prefixHasExpressions && errorPrefixEmpty) {
            throw invalid("ErrorOutputPrefix cannot be null or empty when Prefix contains expressions");
        }
        if (errorOutputPrefix.isPresent()) {
            S3Prefix error = errorOutputPrefix.get();
            if (error.has(PartitionKey.class)) {
                throw invalid(
                        "ErrorOutputPrefix cannot contain partitionKeyFromQuery or partitionKeyFromLambda expressions");
            }
            if (error.hasExpressions() && !error.has(ErrorOutputType.class)) {
                throw invalid("ErrorOutputPrefix must contain !{firehose:error-output-type} when it contains"
                        + " expressions");
            }
        }
    }

    public String raw() {
        return raw;
    }

    public boolean hasExpressions() {
        return parts.stream().anyMatch(p -> !(p instanceof Literal));
    }

    /** The keys of {@code namespace} ({@link #FROM_QUERY} or {@link #FROM_LAMBDA}) this prefix uses. */
    public SortedSet<String> partitionKeys(String namespace) {
        SortedSet<String> keys = new TreeSet<>();
        for (Part part : parts) {
            if (part instanceof PartitionKey(String space, String key) && space.equals(namespace)) {
                keys.add(key);
            }
        }
        return keys;
    }

    private boolean has(Class<? extends Part> kind) {
        return parts.stream().anyMatch(kind::isInstance);
    }

    /**
     * Evaluates the prefix for an object whose oldest record arrived at {@code instant} and whose
     * records have the partition keys {@code keys}. Every {@code !{firehose:random-string}} draws a new
     * value; every error-output-type is the same.
     *
     * @throws IllegalArgumentException when {@code keys} lack a key the prefix uses (the processor stage
     *     sends such records to the error output first)
     */
    public String evaluate(
            Instant instant, ZoneId zone, Supplier<String> randomString, String errorOutputType, PartitionKeys keys) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Literal l -> out.append(l.text());
                case Timestamp t -> out.append(t.formatter().format(instant.atZone(zone)));
                case RandomString r -> out.append(randomString.get());
                case ErrorOutputType e -> out.append(errorOutputType);
                case PartitionKey k -> out.append(value(k, keys));
            }
        }
        return out.toString();
    }

    private static String value(PartitionKey key, PartitionKeys keys) {
        String value = (key.namespace().equals(FROM_QUERY) ? keys.fromQuery() : keys.fromLambda()).get(key.key());
        if (value == null) {
            throw new IllegalArgumentException("no partition key " + key.namespace() + ":" + key.key());
        }
        return value;
    }

    /**
     * The data prefix: a prefix without timestamp expression gets {@code yyyy/MM/dd/HH/} appended, unless
     * the stream partitions dynamically (§4.2.7: its keys are the folders).
     */
    public static S3Prefix dataPrefix(Optional<S3Prefix> prefix, boolean partitioned) {
        S3Prefix given = prefix.orElse(new S3Prefix("", List.of()));
        if (given.has(Timestamp.class) || partitioned) {
            return given;
        }
        List<Part> parts = new ArrayList<>(given.parts);
        parts.add(new Timestamp(DEFAULT_TIME_PATTERN, DateTimeFormatter.ofPattern(DEFAULT_TIME_PATTERN)));
        return new S3Prefix(given.raw + "!{timestamp:" + DEFAULT_TIME_PATTERN + "}", parts);
    }

    /**
     * The error prefix: as given when non-empty, else {@code <Prefix><error-output-type>/yyyy/MM/dd/HH/}
     * (delivery spec §4.3.8).
     */
    public static S3Prefix errorPrefix(Optional<S3Prefix> prefix, Optional<S3Prefix> errorOutputPrefix) {
        if (errorOutputPrefix.isPresent() && !errorOutputPrefix.get().raw.isEmpty()) {
            return errorOutputPrefix.get();
        }
        String base = prefix.map(S3Prefix::raw).orElse("");
        return parse(base + "!{firehose:error-output-type}/!{timestamp:" + DEFAULT_TIME_PATTERN + "}");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof S3Prefix other && raw.equals(other.raw);
    }

    @Override
    public int hashCode() {
        return raw.hashCode();
    }

    @Override
    public String toString() {
        return raw;
    }
}
