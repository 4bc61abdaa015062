package io.sluice.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.model.BlobShape;
import io.sluice.api.model.ListShape;
import io.sluice.api.model.Member;
import io.sluice.api.model.RequestValidator;
import io.sluice.api.model.ServiceModel;
import io.sluice.api.model.Shape;
import io.sluice.api.model.StringShape;
import io.sluice.api.model.StructureShape;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reads PutRecord and PutRecordBatch bodies without a JSON tree: one pass of Jackson's streaming
 * parser that decodes each record's base64 straight from the request bytes, and checks the
 * model's constraints (stream name length and pattern, record count, record size) taken from the
 * service model. Anything unusual — a wrong JSON type, invalid base64, a broken constraint — is handed
 * to the full {@link RequestValidator} on the same bytes, so errors are exactly those of every other
 * operation; if that validator finds nothing wrong after all, the records are taken from its tree.
 */
public final class PutRecordsReader {
    /** A valid put: the stream name and each record's decoded bytes, in order. */
    public record PutRecords(String streamName, List<ByteBuffer> records, long totalBytes) {
        public PutRecords {
            requireNonNull(streamName, "streamName is null");
            records = List.copyOf(records);
        }
    }

    private static final int[] SEXTETS = sextets();
    private static final Base64.Decoder BASE64 = Base64.getDecoder();

    private final ObjectMapper mapper;
    private final JsonFactory json;
    private final RequestValidator validator = new RequestValidator();
    private final io.sluice.api.model.Operation putRecord;
    private final io.sluice.api.model.Operation putRecordBatch;
    private final StringShape streamName;
    private final ListShape records;
    private final BlobShape data;

    public PutRecordsReader(ServiceModel model, ObjectMapper mapper) {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.json = mapper.getFactory();
        this.putRecord = model.operation(Operation.PUT_RECORD.modelName()).orElseThrow();
        this.putRecordBatch =
                model.operation(Operation.PUT_RECORD_BATCH.modelName()).orElseThrow();
        this.streamName = (StringShape) member(putRecordBatch.input(), "DeliveryStreamName");
        this.records = (ListShape) member(putRecordBatch.input(), "Records");
        this.data = (BlobShape) member((StructureShape) records.member(), "Data");
    }

    private static Shape member(StructureShape structure, String name) {
        return structure.members().stream()
                .filter(m -> m.name().equals(name))
                .map(Member::target)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(structure.name() + " has no member " + name));
    }

    /** Reads a PutRecord ({@code batch} false) or PutRecordBatch body; throws the AWS error if invalid. */
    public PutRecords read(boolean batch, RequestBody body) {
        return fastPath(batch, body).orElseGet(() -> slowPath(batch, body));
    }

    private Optional<PutRecords> fastPath(boolean batch, RequestBody body) {
        List<ByteBuffer> decoded = new ArrayList<>();
        String name = null;
        long used = 0;
        try (JsonParser parser = body.parser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("DeliveryStreamName")) {
                    if (value != JsonToken.VALUE_STRING) {
                        return Optional.empty();
                    }
                    name = parser.getText();
                } else if (batch && field.equals("Records")) {
                    if (value != JsonToken.START_ARRAY) {
                        return Optional.empty();
                    }
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        ByteBuffer data = record(parser, body);
                        if (data == null) {
                            return Optional.empty();
                        }
                        decoded.add(data);
                        used += data.remaining();
                    }
                } else if (!batch && field.equals("Record")) {
                    ByteBuffer data = record(parser, body);
                    if (data == null) {
                        return Optional.empty();
                    }
                    decoded.add(data);
                    used += data.remaining();
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return Optional.empty();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (name == null || !valid(streamName, name) || decoded.isEmpty()) {
            return Optional.empty();
        }
        if (batch && !records.length().contains(decoded.size())) {
            return Optional.empty();
        }
        return Optional.of(new PutRecords(name, decoded, used));
    }

    /**
     * Decodes one {@code Record} structure's {@code Data}; null when the record needs the full validator.
     * The base64 text is decoded straight from the request bytes (the parser only skips it): a JSON
     * string of base64 holds no escapes, so its bytes lie between the token's quotes.
     */
    private ByteBuffer record(JsonParser parser, RequestBody body) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            return null;
        }
        ByteBuffer data = null;
        long openingQuote = -1;
        JsonToken token = parser.nextToken();
        while (token == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("Data")) {
                if (value != JsonToken.VALUE_STRING || openingQuote >= 0) {
                    return null;
                }
                openingQuote = parser.currentTokenLocation().getByteOffset();
            } else {
                parser.skipChildren();
            }
            token = parser.nextToken();
            if (openingQuote >= 0 && data == null) {
                data = base64Value(
                        body, openingQuote, parser.currentTokenLocation().getByteOffset());
                if (data == null || !this.data.length().contains(data.remaining())) {
                    return null;
                }
            }
        }
        return data;
    }

    /**
     * The decoded JSON string that opens at {@code quote} and ends before the next token, which starts
     * at {@code next}; null for anything unusual. The parser has already skipped the string, so only
     * the few bytes between its closing quote and the next token are looked at here; an escape inside
     * the string is not base64 and makes the strict decoder refuse it.
     */
    private static ByteBuffer base64Value(RequestBody request, long quote, long next) {
        byte[] body = request.bytes();
        if (quote < 0 || next > request.length() || next <= quote || body[(int) quote] != '"') {
            return null;
        }
        int end = (int) next - 1;
        while (end > quote && body[end] != '"') {
            byte b = body[end];
            if (b != ',' && b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return null;
            }
            end--;
        }
        return end > quote ? decode(body, (int) quote + 1, end - (int) quote - 1) : null;
    }

    private boolean valid(StringShape shape, String value) {
        return shape.length().contains(value.codePointCount(0, value.length()))
                && shape.pattern().map(p -> p.matcher(value).matches()).orElse(true);
    }

    private PutRecords slowPath(boolean batch, RequestBody body) {
        JsonNode tree;
        try {
            tree = body.tree(mapper);
        } catch (IOException e) {
            throw new FirehoseException(ErrorCode.SERIALIZATION, "The request body is not valid JSON.");
        }
        if (tree == null || !tree.isObject()) {
            throw new FirehoseException(ErrorCode.SERIALIZATION, "Start of structure or map found where not expected.");
        }
        validator.validate(batch ? putRecordBatch : putRecord, tree);
        List<JsonNode> entries = new ArrayList<>();
        if (batch) {
            tree.get("Records").forEach(entries::add);
        } else {
            entries.add(tree.get("Record"));
        }
        List<ByteBuffer> decoded = new ArrayList<>();
        long total = 0;
        for (JsonNode entry : entries) {
            byte[] bytes = Base64.getDecoder().decode(entry.get("Data").asText());
            decoded.add(ByteBuffer.wrap(bytes));
            total += bytes.length;
        }
        return new PutRecords(tree.get("DeliveryStreamName").asText(), decoded, total);
    }

    /**
     * Strict RFC 4648 base64 (standard alphabet, {@code =} padding, no line breaks, no stray bits in
     * the last character) from {@code text[offset, offset+length)}: the JDK's decoder, which is strict
     * about the alphabet, plus the length and last-character rules it does not check. Null for anything
     * the full validator must judge.
     */
    static ByteBuffer decode(byte[] text, int offset, int length) {
        if (length % 4 != 0) {
            return null;
        }
        if (length > 0) {
            int end = offset + length;
            int padding = text[end - 1] == '=' ? (text[end - 2] == '=' ? 2 : 1) : 0;
            int last = sextet((char) (text[end - 1 - padding] & 0xFF));
            if (last < 0 || (last & (padding == 1 ? 0b11 : padding == 2 ? 0b1111 : 0)) != 0) {
                return null;
            }
        }
        try {
            return BASE64.decode(ByteBuffer.wrap(text, offset, length));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int sextet(char c) {
        return c < 128 ? SEXTETS[c] : -1;
    }

    private static int[] sextets() {
        int[] table = new int[128];
        java.util.Arrays.fill(table, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            table[alphabet.charAt(i)] = i;
        }
        return table;
    }
}
