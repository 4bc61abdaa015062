package io.sluice.api.model;

import static io.sluice.common.ErrorCode.SERIALIZATION;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.common.FirehoseException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Locale;

/**
 * Reads one JSON value as a model type, or throws a SerializationException worded as AWS's
 * Coral framework words it. Coral's texts, grammar included ("an String", "an Boolean"), as
 * recorded by emulators tested against AWS:
 *
 * <ul>
 *   <li>an array where a scalar, structure or map is expected: {@code Start of list found where
 *       not expected}; an object where a scalar or list is expected: {@code Start of structure or
 *       map found where not expected.}
 *   <li>a scalar where a structure, list or map is expected: {@code Expected null}, {@code
 *       Expected list or null}, {@code Expected map or null}
 *   <li>a boolean where a string, number or blob is expected: {@code class java.lang.Boolean can
 *       not be converted to an String} (… {@code an Integer}, {@code an Double}, {@code a Blob})
 *   <li>a number where a string, boolean or blob is expected: {@code class
 *       com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String}
 *   <li>a string where a number is expected: {@code class java.lang.String can not be converted to
 *       an Integer}; a string where a boolean is expected: {@code 'YES' can not be converted to an
 *       Boolean} (the value upper-cased, as Coral does)
 *   <li>invalid base64: see {@link Base64Text}
 * </ul>
 *
 * Our own wording, in the same style, where AWS's is unknown: a number with a non-zero fraction
 * or outside the 32-bit range where an integer is expected, {@code '1.5' can not be converted to
 * an Integer} (Coral itself truncates fractions; we refuse them instead); any non-number where a
 * timestamp is expected, {@code 'x' can not be converted to a Timestamp} for strings and numbers
 * beyond {@link Instant}'s range, {@code class java.lang.Boolean can not be converted to a
 * Timestamp} for booleans. Quoted values are cut as {@link ValueRenderer#capped} cuts them.
 */
final class JsonBinding {
    private static final String NUMBER_CLASS = "class com.amazon.coral.value.json.numbers.TruncatingBigNumber";
    private static final String BOOLEAN_CLASS = "class java.lang.Boolean";
    private static final String STRING_CLASS = "class java.lang.String";
    private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final BigDecimal EPOCH_SECOND_MIN = BigDecimal.valueOf(Instant.MIN.getEpochSecond());
    private static final BigDecimal EPOCH_SECOND_MAX = BigDecimal.valueOf(Instant.MAX.getEpochSecond());
    private static final int DOUBLE_MAGNITUDE_LIMIT = 400;

    private JsonBinding() {}

    /** Checks that the value is a JSON object, as a structure needs. */
    static void requireStructure(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {}
            case ARRAY -> throw startOfList();
            default -> throw serialization("Expected null");
        }
    }

    /** Checks that the value is a JSON array, as a list needs. */
    static void requireList(JsonNode node) {
        switch (node.getNodeType()) {
            case ARRAY -> {}
            case OBJECT -> throw startOfStructure();
            default -> throw serialization("Expected list or null");
        }
    }

    /** Checks that the value is a JSON object, as a map needs. */
    static void requireMap(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {}
            case ARRAY -> throw startOfList();
            default -> throw serialization("Expected map or null");
        }
    }

    static String string(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> node.textValue();
            default -> throw scalarMismatch(node, "an String");
        };
    }

    /** The decoded length of a base64 blob. */
    static long blobLength(JsonNode node) {
        if (!node.isTextual()) {
            throw scalarMismatch(node, "a Blob");
        }
        String text = node.textValue();
        Base64Text.problem(text).ifPresent(problem -> {
            throw serialization("'" + ValueRenderer.capped(text) + "' can not be converted to a Blob: " + problem);
        });
        return Base64Text.decodedLength(text);
    }

    static int integer(JsonNode node) {
        if (!node.isNumber()) {
            throw numericMismatch(node, "an Integer");
        }
        if (node.isIntegralNumber()) {
            if (node.canConvertToInt()) {
                return node.intValue();
            }
        } else if (node.isBigDecimal()) {
            BigDecimal value = node.decimalValue();
            if (value.compareTo(INT_MIN) >= 0
                    && value.compareTo(INT_MAX) <= 0
                    && value.stripTrailingZeros().scale() <= 0) {
                return value.intValue();
            }
        } else {
            double value = node.doubleValue();
            if (value == Math.rint(value) && value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
                return (int) value;
            }
        }
        throw serialization("'" + ValueRenderer.capped(node.asText()) + "' can not be converted to an Integer");
    }

    static double doubleValue(JsonNode node) {
        if (node.isTextual()) {
            return switch (node.textValue()) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> throw serialization(STRING_CLASS + " can not be converted to an Double");
            };
        }
        if (!node.isNumber()) {
            throw numericMismatch(node, "an Double");
        }
        if (node.isBigDecimal() || node.isBigInteger()) {
            BigDecimal value = node.decimalValue();
            if (value.signum() == 0) {
                return 0.0;
            }
            long magnitude = (long) value.precision() - value.scale();
            if (magnitude > DOUBLE_MAGNITUDE_LIMIT) {
                return value.signum() > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            }
            if (magnitude < -DOUBLE_MAGNITUDE_LIMIT) {
                return value.signum() >= 0 ? 0.0 : -0.0;
            }
            return value.doubleValue();
        }
        return node.doubleValue();
    }

    static boolean bool(JsonNode node) {
        return switch (node.getNodeType()) {
            case BOOLEAN -> node.booleanValue();
            case STRING ->
                throw serialization("'" + ValueRenderer.capped(node.textValue()).toUpperCase(Locale.ROOT)
                        + "' can not be converted to an Boolean");
            default -> throw scalarMismatch(node, "an Boolean");
        };
    }

    static Instant timestamp(JsonNode node) {
        switch (node.getNodeType()) {
            case NUMBER -> {}
            case STRING -> throw notTimestamp(node.textValue());
            case BOOLEAN -> throw serialization(BOOLEAN_CLASS + " can not be converted to a Timestamp");
            default -> throw scalarMismatch(node, "a Timestamp");
        }
        try {
            if (node.isIntegralNumber()) {
                if (node.canConvertToLong()) {
                    return Instant.ofEpochSecond(node.longValue());
                }
            } else if (node.isBigDecimal()) {
                BigDecimal seconds = node.decimalValue();
                if (seconds.compareTo(EPOCH_SECOND_MIN) >= 0 && seconds.compareTo(EPOCH_SECOND_MAX) <= 0) {
                    if (seconds.signum() == 0 || (long) seconds.precision() - seconds.scale() < -9) {
                        return seconds.signum() < 0 ? Instant.EPOCH.minusNanos(1) : Instant.EPOCH;
                    }
                    BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
                    long nanos = seconds.subtract(whole)
                            .movePointRight(9)
                            .setScale(0, RoundingMode.FLOOR)
                            .longValue();
                    return Instant.ofEpochSecond(whole.longValueExact(), nanos);
                }
            } else {
                double seconds = node.doubleValue();
                if (Double.isFinite(seconds)) {
                    double whole = Math.floor(seconds);
                    return Instant.ofEpochSecond((long) whole, (long) ((seconds - whole) * 1e9));
                }
            }
        } catch (DateTimeException | ArithmeticException e) {
            throw notTimestamp(node.asText());
        }
        throw notTimestamp(node.asText());
    }

    private static FirehoseException notTimestamp(String text) {
        return serialization("'" + ValueRenderer.capped(text) + "' can not be converted to a Timestamp");
    }

    /** A value of the wrong kind where a string, boolean, blob or timestamp is expected. */
    private static FirehoseException scalarMismatch(JsonNode node, String target) {
        return switch (node.getNodeType()) {
            case ARRAY -> startOfList();
            case OBJECT -> startOfStructure();
            case BOOLEAN -> serialization(BOOLEAN_CLASS + " can not be converted to " + target);
            case NUMBER -> serialization(NUMBER_CLASS + " can not be converted to " + target);
            case STRING -> serialization(STRING_CLASS + " can not be converted to " + target);
            default -> unexpected(node);
        };
    }

    /** A value of the wrong kind where an integer or double is expected. */
    private static FirehoseException numericMismatch(JsonNode node, String target) {
        return switch (node.getNodeType()) {
            case ARRAY -> startOfList();
            case OBJECT -> startOfStructure();
            case BOOLEAN -> serialization(BOOLEAN_CLASS + " can not be converted to " + target);
            case STRING -> serialization(STRING_CLASS + " can not be converted to " + target);
            default -> unexpected(node);
        };
    }

    private static FirehoseException unexpected(JsonNode node) {
        return serialization("Unexpected JSON value of type " + node.getNodeType());
    }

    private static FirehoseException startOfList() {
        return serialization("Start of list found where not expected");
    }

    private static FirehoseException startOfStructure() {
        return serialization("Start of structure or map found where not expected.");
    }

    static FirehoseException serialization(String message) {
        return new FirehoseException(SERIALIZATION, message);
    }
}
