package io.sluice.processor.jq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Map;

/**
 * jq 1.6's view of JSON values on Jackson trees. jq 1.6 holds every number as a C {@code double} and
 * prints it with its own dtoa ({@code jvp_dtoa_fmt}): the shortest digits that read back to the same
 * double, in plain notation unless the decimal exponent is below -4 or more than 15 places past the
 * last digit, then as {@code 1e+300} or {@code 1.5e-07} (at least two exponent digits). Infinities
 * print as ±{@code 1.7976931348623157e+308}, NaN as {@code null}.
 */
final class JqValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final double EXACT_INTEGERS = 0x1p53;

    private JqValues() {}

    /** {@code d} as jq 1.6 prints it. */
    static String format(double d) {
        if (Double.isNaN(d)) {
            return "null";
        }
        double value = Math.max(-Double.MAX_VALUE, Math.min(Double.MAX_VALUE, d));
        if (value == 0) {
            return (1 / value) < 0 ? "-0" : "0";
        }
        if (value == Math.rint(value) && Math.abs(value) < EXACT_INTEGERS) {
            // An integer below 2^53 (so below 10^16, never in exponent form): its shortest digits are its own.
            return Long.toString((long) value);
        }
        // Java's Double.toString gives the shortest round-tripping digits, like dtoa's mode 0.
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int decpt = digits.length() - shortest.scale(); // the decimal point sits after decpt digits
        StringBuilder out = new StringBuilder(32);
        if (value < 0) {
            out.append('-');
        }
        if (decpt <= -4 || decpt > digits.length() + 15) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            int exponent = decpt - 1;
            out.append('e').append(exponent < 0 ? '-' : '+');
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                out.append('0');
            }
            out.append(magnitude);
        } else if (decpt <= 0) {
            out.append("0.");
            out.append("0".repeat(-decpt));
            out.append(digits);
        } else if (decpt >= digits.length()) {
            out.append(digits);
            out.append("0".repeat(decpt - digits.length()));
        } else {
            out.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
        }
        return out.toString();
    }

    /** A number node for {@code d} as jq holds it: integral values as integer nodes, others as {@link JqDouble}. */
    static JsonNode number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < EXACT_INTEGERS && !(d == 0 && 1 / d < 0)) {
            long integral = (long) d;
            return integral == (int) integral ? IntNode.valueOf((int) integral) : LongNode.valueOf(integral);
        }
        return new JqDouble(d);
    }

    /**
     * A copy of {@code node} with its numbers as jq 1.6 reads them: rounded to a double (so {@code 1.0}
     * is {@code 1} and {@code 100000000000000000001} is {@code 1e+20}).
     */
    static JsonNode fromJson(JsonNode node) {
        return asJqReads(node) ? node : copyAsJqReads(node);
    }

    /**
     * Whether {@code node} holds only numbers that {@link #number} would give back as they are: integer
     * nodes of the int range, long nodes beyond it whose value is below 2^53.
     */
    private static boolean asJqReads(JsonNode node) {
        if (node.isNumber()) {
            if (node instanceof IntNode) {
                return true;
            }
            if (node instanceof LongNode) {
                long v = node.longValue();
                return v != (int) v && v > -(long) EXACT_INTEGERS && v < (long) EXACT_INTEGERS;
            }
            return false;
        }
        if (node.isContainerNode()) {
            for (JsonNode element : node) {
                if (!asJqReads(element)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static JsonNode copyAsJqReads(JsonNode node) {
        if (node.isNumber()) {
            return number(node.doubleValue());
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode(node.size());
            for (JsonNode element : node) {
                copy.add(copyAsJqReads(element));
            }
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                copy.set(field.getKey(), copyAsJqReads(field.getValue()));
            }
            return copy;
        }
        return node;
    }

    /** How jq 1.6 names a value in an error message: {@code string ("x")}. */
    static String typeAndValue(JsonNode value) {
        String type = switch (value.getNodeType()) {
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case ARRAY -> "array";
            case OBJECT -> "object";
            default -> "null";
        };
        String dumped = dump(value);
        return type + " (" + (dumped.length() > 14 ? dumped.substring(0, 11) + "..." : dumped)
                + ")"; // jv_dump_string_trunc, 15 bytes
    }

    /** {@code value} as jq 1.6's {@code tostring}/{@code tojson} print it (compact, numbers as {@link #format}). */
    static String dump(JsonNode value) {
        StringBuilder out = new StringBuilder();
        dump(value, out);
        return out.toString();
    }

    private static void dump(JsonNode value, StringBuilder out) {
        switch (value.getNodeType()) {
            case NUMBER -> out.append(format(value.doubleValue()));
            case STRING -> quote(value.textValue(), out);
            case BOOLEAN -> out.append(value.booleanValue());
            case ARRAY -> {
                out.append('[');
                boolean first = true;
                for (JsonNode element : value) {
                    out.append(first ? "" : ",");
                    first = false;
                    dump(element, out);
                }
                out.append(']');
            }
            case OBJECT -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> field : value.properties()) {
                    out.append(first ? "" : ",");
                    first = false;
                    quote(field.getKey(), out);
                    out.append(':');
                    dump(field.getValue(), out);
                }
                out.append('}');
            }
            default -> out.append("null");
        }
    }

    /** A JSON string as jq 1.6 escapes it: control characters and DEL as escapes, the rest as is. */
    private static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * A non-integral (or huge, or negative zero) jq number: a {@link DoubleNode} whose text is jq's, so
     * that string interpolation of a record's numbers ({@code "\(.price)"}) prints as jq 1.6 does.
     */
    static final class JqDouble extends DoubleNode {
        private static final long serialVersionUID = 1L;

        JqDouble(double value) {
            super(value);
        }

        @Override
        public String asText() {
            return format(doubleValue());
        }
    }
}
