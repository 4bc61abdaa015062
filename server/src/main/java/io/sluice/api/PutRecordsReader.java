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
 * parser that decodes each record's base64 straight into one byte array per request, and checks the
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
    public PutRecords read(boolean batch, byte[] body) {
        return fastPath(batch, body).orElseGet(() -> slowPath(batch, body));
    }

    private Optional<PutRecords> fastPath(boolean batch, byte[] body) {
        byte[] arena = new byte[body.length / 4 * 3 + 3];
        List<ByteBuffer> decoded = new ArrayList<>();
        String name = null;
        int used = 0;
        try (JsonParser parser = json.createParser(body)) {
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
                        int length = record(parser, arena, used);
                        if (length < 0) {
                            return Optional.empty();
                        }
                        decoded.add(ByteBuffer.wrap(arena, used, length));
                        used += length;
                    }
                } else if (!batch && field.equals("Record")) {
                    int length = record(parser, arena, used);
                    if (length < 0) {
                        return Optional.empty();
                    }
                    decoded.add(ByteBuffer.wrap(arena, used, length));
                    used += length;
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
     * Decodes one {@code Record} structure's {@code Data} into {@code arena} at {@code offset}; returns
     * the decoded length, or -1 when the record needs the full validator.
     */
    private int record(JsonParser parser, byte[] arena, int offset) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            return -1;
        }
        int length = -1;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("Data")) {
                if (value != JsonToken.VALUE_STRING || length >= 0) {
                    return -1;
                }
                length = decode(
                        parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength(), arena, offset);
                if (length < 0 || !data.length().contains(length)) {
                    return -1;
                }
            } else {
                parser.skipChildren();
            }
        }
        return length;
    }

    private boolean valid(StringShape shape, String value) {
        return shape.length().contains(value.codePointCount(0, value.length()))
                && shape.pattern().map(p -> p.matcher(value).matches()).orElse(true);
    }

    private PutRecords slowPath(boolean batch, byte[] body) {
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
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
     * the last character) from {@code text[offset, offset+length)} into {@code out} at {@code at}.
     * Returns the decoded length, or -1 for anything the full validator must judge.
     */
    static int decode(char[] text, int offset, int length, byte[] out, int at) {
        if (length % 4 != 0) {
            return -1;
        }
        int o = at;
        int end = offset + length;
        for (int i = offset; i < end; i += 4) {
            int a = sextet(text[i]);
            int b = sextet(text[i + 1]);
            if (a < 0 || b < 0) {
                return -1;
            }
            char c3 = text[i + 2];
            char c4 = text[i + 3];
            boolean last = i + 4 == end;
            if (c4 == '=' && last) {
                if (c3 == '=') {
                    if ((b & 0b1111) != 0) {
                        return -1;
                    }
                    out[o++] = (byte) (a << 2 | b >> 4);
                    return o - at;
                }
                int c = sextet(c3);
                if (c < 0 || (c & 0b11) != 0) {
                    return -1;
                }
                out[o++] = (byte) (a << 2 | b >> 4);
                out[o++] = (byte) (b << 4 | c >> 2);
                return o - at;
            }
            int c = sextet(c3);
            int d = sextet(c4);
            if (c < 0 || d < 0) {
                return -1;
            }
            out[o++] = (byte) (a << 2 | b >> 4);
            out[o++] = (byte) (b << 4 | c >> 2);
            out[o++] = (byte) (c << 6 | d);
        }
        return o - at;
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
