package io.sluice.api;

import static java.util.Objects.requireNonNull;

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
 * Reads PutRecord and PutRecordBatch bodies without a JSON tree: bodies of the shape every client sends
 * are recognised by {@link PutRecordsScanner}, each record's base64 decoded straight from the request
 * bytes, and the model's constraints (stream name length and pattern, record count, record size)
 * checked, taken from the service model. Anything unusual — a wrong JSON type, invalid base64, a broken constraint — is handed
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
    private final RequestValidator validator = new RequestValidator();
    private final io.sluice.api.model.Operation putRecord;
    private final io.sluice.api.model.Operation putRecordBatch;
    private final StringShape streamName;
    private final ListShape records;
    private final BlobShape data;

    public PutRecordsReader(ServiceModel model, ObjectMapper mapper) {
        this.mapper = requireNonNull(mapper, "mapper is null");
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
        return fastPath(batch, body).orElseGet(() -> validatedRead(batch, body));
    }

    private Optional<PutRecords> fastPath(boolean batch, RequestBody body) {
        PutRecordsScanner.Scanned scanned = PutRecordsScanner.scan(body, batch);
        if (scanned == null || !valid(streamName, scanned.streamName())) {
            return Optional.empty();
        }
        if (batch && !records.length().contains(scanned.count())) {
            return Optional.empty();
        }
        List<ByteBuffer> decoded = new ArrayList<>(scanned.count());
        long used = 0;
        for (int i = 0; i < scanned.count(); i++) {
            ByteBuffer data = decode(body.bytes(), scanned.starts()[i], scanned.lengths()[i]);
            if (data == null || !this.data.length().contains(data.remaining())) {
                return Optional.empty();
            }
            decoded.add(data);
            used += data.remaining();
        }
        return Optional.of(new PutRecords(scanned.streamName(), decoded, used));
    }

    private boolean valid(StringShape shape, String value) {
        return shape.length().contains(value.codePointCount(0, value.length()))
                && shape.pattern().map(p -> p.matcher(value).matches()).orElse(true);
    }

    /**
     * The full path: a JSON tree checked by the model's validator. Package-private so tests can hold the
     * fast path to it: both must give the same answer for every body.
     */
    PutRecords validatedRead(boolean batch, RequestBody body) {
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
