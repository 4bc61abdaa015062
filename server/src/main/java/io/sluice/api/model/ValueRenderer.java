package io.sluice.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;

/**
 * Writes a request value the way AWS's Java service echoes it in a ValidationException:
 *
 * <ul>
 *   <li>string: as is; integer: digits; double: Java's {@code Double.toString} ({@code 0.5},
 *       {@code 2.0}, {@code NaN}); boolean: {@code true}/{@code false}
 *   <li>blob: {@code java.nio.HeapByteBuffer[pos=0 lim=N cap=N]}, N the decoded length
 *   <li>timestamp: ISO-8601 UTC ({@code 2023-11-14T22:13:20Z}) — our choice, AWS's is unknown
 *   <li>list: {@code [a, b]}; map: {@code {k=v, k2=v2}}
 *   <li>structure: {@code ShapeName(member=value, …)} with lower-camel member names in model order
 *       and absent members left out, like {@code Record(data=java.nio.HeapByteBuffer[pos=0 lim=3
 *       cap=3])}; a null list item or map value as {@code null}
 *   <li>a sensitive string or blob inside a list, map or structure: {@code *** Sensitive Data
 *       Redacted ***}
 * </ul>
 *
 * The result is cut after {@value #MAX_LENGTH} characters and marked with {@code ...}, so a huge
 * request never makes a huge message; writing stops there too.
 */
final class ValueRenderer {
    static final int MAX_LENGTH = 1024;
    private static final String ELLIPSIS = "...";
    private static final String REDACTED = "*** Sensitive Data Redacted ***";

    private final StringBuilder out = new StringBuilder();

    private ValueRenderer() {}

    /** Renders a value already known to match its shape. */
    static String render(Shape shape, JsonNode node) {
        ValueRenderer renderer = new ValueRenderer();
        renderer.append(shape, node);
        return renderer.result();
    }

    /** The text itself, cut like a rendered value. */
    static String capped(String text) {
        if (text.length() <= MAX_LENGTH) {
            return text;
        }
        int end = Character.isLowSurrogate(text.charAt(MAX_LENGTH)) ? MAX_LENGTH - 1 : MAX_LENGTH;
        return text.substring(0, end) + ELLIPSIS;
    }

    private String result() {
        return capped(out.toString());
    }

    private boolean full() {
        return out.length() > MAX_LENGTH;
    }

    private void text(String text) {
        int room = MAX_LENGTH + 1 - out.length();
        if (room > 0) {
            out.append(text, 0, Math.min(text.length(), room));
        }
    }

    private void append(Shape shape, JsonNode node) {
        if (full()) {
            return;
        }
        if (node.isNull()) {
            text("null");
            return;
        }
        switch (shape) {
            case StructureShape structure -> structure(structure, node);
            case ListShape list -> list(list, node);
            case MapShape map -> map(map, node);
            case StringShape string -> text(string.sensitive() ? REDACTED : JsonBinding.string(node));
            case BlobShape blob -> {
                long length = Base64Text.decodedLength(JsonBinding.string(node));
                text(
                        blob.sensitive()
                                ? REDACTED
                                : "java.nio.HeapByteBuffer[pos=0 lim=" + length + " cap=" + length + "]");
            }
            case IntegerShape i -> text(Integer.toString(JsonBinding.integer(node)));
            case DoubleShape d -> text(Double.toString(JsonBinding.doubleValue(node)));
            case BooleanShape b -> text(Boolean.toString(JsonBinding.bool(node)));
            case TimestampShape t -> text(JsonBinding.timestamp(node).toString());
        }
    }

    private void structure(StructureShape shape, JsonNode node) {
        text(shape.name());
        text("(");
        boolean first = true;
        for (Member member : shape.members()) {
            JsonNode value = node.get(member.name());
            if (value == null || value.isNull()) {
                continue;
            }
            if (full()) {
                return;
            }
            text(first ? "" : ", ");
            text(member.pathName());
            text("=");
            append(member.target(), value);
            first = false;
        }
        text(")");
    }

    private void list(ListShape shape, JsonNode node) {
        text("[");
        for (int i = 0; i < node.size() && !full(); i++) {
            text(i == 0 ? "" : ", ");
            append(shape.member(), node.get(i));
        }
        text("]");
    }

    private void map(MapShape shape, JsonNode node) {
        text("{");
        boolean first = true;
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (full()) {
                return;
            }
            text(first ? "" : ", ");
            append(shape.key(), new TextNode(entry.getKey()));
            text("=");
            append(shape.value(), entry.getValue());
            first = false;
        }
        text("}");
    }
}
