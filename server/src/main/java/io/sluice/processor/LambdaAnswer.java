package io.sluice.processor;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.sluice.common.ByteSearch;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A function's answer to Firehose's event (delivery spec §6.1.4): the elements of its top-level
 * {@code records} array, by {@code recordId}. Read with a streaming parser, since an answer is as large as
 * its event (megabytes of base64): a record's {@code data} stays where it is in the payload until an
 * {@code Ok} result needs it decoded, and no string or tree is made of it. What an element says is read
 * as a tree would read it: a member given twice counts once, the last; a {@code recordId} or
 * {@code result} that is not a string matches nothing; elements without a string {@code recordId} are
 * left out, as they answer no record.
 */
final class LambdaAnswer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RECORDS = "records";

    /** One element of the answer's records. */
    record Element(Optional<String> result, Data data, JsonNode metadata) {
        Element {
            requireNonNull(result, "result is null");
            requireNonNull(data, "data is null");
            requireNonNull(metadata, "metadata is null");
        }
    }

    /** An element's {@code data}: base64 text, decoded only when asked. */
    sealed interface Data {
        /** The bytes {@code data} stands for, or empty when it is no string or not base64. */
        Optional<ByteBuffer> decoded();
    }

    /**
     * A {@code data} string, whose opening quote is at {@code payload[quote]} and whose first closing quote
     * candidate at {@code end}. Without escapes its text is the bytes between the two, which decode straight
     * from the payload; an escape puts a backslash among them, which base64 does not allow, so such a string
     * is parsed again, on its own, for its text. (A byte outside ASCII is no base64 either, whatever it
     * encodes: the bytes serve as well as the text would.)
     */
    private record Text(byte[] payload, int quote, int end) implements Data {
        @Override
        public Optional<ByteBuffer> decoded() {
            Optional<ByteBuffer> raw = base64(ByteBuffer.wrap(payload, quote + 1, end - quote - 1));
            return raw.isPresent()
                    ? raw
                    : unescaped().flatMap(text -> base64(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1))));
        }

        private static Optional<ByteBuffer> base64(ByteBuffer text) {
            try {
                return Optional.of(Base64.getDecoder().decode(text));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        private Optional<String> unescaped() {
            try (JsonParser json = JSON.createParser(payload, quote, payload.length - quote)) {
                return Optional.ofNullable(json.nextTextValue());
            } catch (IOException e) {
                return Optional.empty(); // cannot be: the answer's parser read this string whole
            }
        }
    }

    /** No {@code data}, or one that is not a string. */
    private record Absent() implements Data {
        @Override
        public Optional<ByteBuffer> decoded() {
            return Optional.empty();
        }
    }

    private static final Data ABSENT = new Absent();

    private LambdaAnswer() {}

    /**
     * The answer's elements by {@code recordId}, in the order given, or empty when the payload is not a
     * JSON object with a {@code records} array.
     */
    static Optional<Map<String, List<Element>>> read(byte[] payload) {
        try (JsonParser json = JSON.createParser(payload)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            Map<String, List<Element>> byId = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                boolean records = json.currentName().equals(RECORDS);
                if (json.nextToken() == JsonToken.START_ARRAY && records) {
                    byId = elements(json, payload);
                } else {
                    byId = records ? null : byId;
                    json.skipChildren();
                }
            }
            return Optional.ofNullable(byId);
        } catch (IOException e) {
            return Optional.empty(); // not JSON
        }
    }

    private static Map<String, List<Element>> elements(JsonParser json, byte[] payload) throws IOException {
        Map<String, List<Element>> byId = new HashMap<>();
        for (JsonToken token = json.nextToken(); token != JsonToken.END_ARRAY; token = json.nextToken()) {
            if (token == null) {
                throw new EOFException("the answer ends inside its records"); // Jackson throws first
            }
            if (token != JsonToken.START_OBJECT) {
                json.skipChildren();
                continue;
            }
            String id = null;
            String result = null;
            Data data = ABSENT;
            JsonNode metadata = MissingNode.getInstance();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                boolean string = json.nextToken() == JsonToken.VALUE_STRING;
                switch (name) {
                    case "recordId" -> id = string ? json.getText() : null;
                    case "result" -> result = string ? json.getText() : null;
                    case "data" -> data = string ? data(json, payload) : ABSENT;
                    case "metadata" -> metadata = tree(json);
                    default -> {}
                }
                if (!name.equals("metadata")) {
                    json.skipChildren();
                }
            }
            if (id != null) {
                byId.computeIfAbsent(id, k -> new ArrayList<>(1))
                        .add(new Element(Optional.ofNullable(result), data, metadata));
            }
        }
        return byId;
    }

    private static JsonNode tree(JsonParser json) throws IOException {
        JsonNode tree = json.readValueAsTree();
        return tree == null ? MissingNode.getInstance() : tree;
    }

    /** The string the parser is at, left unread. */
    private static Data data(JsonParser json, byte[] payload) throws IOException {
        int quote = Math.toIntExact(json.currentTokenLocation().getByteOffset());
        int end = ByteSearch.indexOf(payload, quote + 1, payload.length, (byte) '"');
        return new Text(payload, quote, end < 0 ? payload.length : end);
    }
}
