package io.sluice.processor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * {@code RecordDeAggregation} (delivery spec §6.2): splits each record into its sub-records, each
 * emitted as {@link ProcessorRecord#split split} number 0, 1, … of the record, as a view of the record's
 * bytes (nothing is copied).
 *
 * <ul>
 *   <li>{@code JSON}: the record is a sequence of JSON objects, each emitted as its exact bytes; white
 *       space between them (newlines, as in JSON Lines) is dropped. A top-level value that is not an
 *       object (an array included), or malformed JSON anywhere, fails the whole record.
 *   <li>{@code DELIMITED}: the record is split at each occurrence of the delimiter, found left to right
 *       without overlap. Where AWS is silent, Sluice emits no empty sub-records: a delimiter at either
 *       end of the record, or two in a row, separate nothing.
 * </ul>
 *
 * A record yielding no sub-records (empty, or only white space or delimiters) is dropped. A record
 * yielding more than {@value #MAX_SUB_RECORDS} fails, whole. AWS does not document how de-aggregation
 * fails; Sluice writes the record as received to the error output under {@code processing-failed}, in
 * the Lambda layout without {@code lambdaARN} (delivery spec §5), with error code {@value #INVALID_JSON}
 * or {@value #TOO_MANY_SUB_RECORDS}. Called on one thread at a time, as its kind says.
 */
public final class DeAggregation implements RecordProcessor.PerRecord {
    public static final int MAX_SUB_RECORDS = 500;
    public static final String INVALID_JSON = "RecordDeAggregation.InvalidJson";
    public static final String TOO_MANY_SUB_RECORDS = "RecordDeAggregation.TooManySubRecords";

    private final DeAggregationParameters.SubRecordType type;
    private final byte[] delimiter;
    /** Start and end (exclusive) of each sub-record found, relative to the record's position. */
    private final int[] bounds = new int[2 * MAX_SUB_RECORDS];

    private int found;

    public DeAggregation(DeAggregationParameters parameters) {
        this.type = parameters.subRecordType();
        this.delimiter = parameters.delimiterBytes();
    }

    @Override
    public void process(ProcessorRecord record, Emitter out) {
        ByteBuffer data = record.data();
        found = 0;
        try {
            switch (type) {
                case JSON -> splitJson(data);
                case DELIMITED -> splitDelimited(data);
            }
        } catch (RecordRefused e) {
            out.fail(e.failure());
            return;
        }
        for (int i = 0; i < found; i++) {
            int start = bounds[2 * i];
            out.emit(record.split(MAX_SUB_RECORDS, i, data.slice(data.position() + start, bounds[2 * i + 1] - start)));
        }
    }

    private void splitJson(ByteBuffer data) throws RecordRefused {
        try (JsonParser parser = JsonRecords.parser(data)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token != JsonToken.START_OBJECT) {
                    throw refused(
                            INVALID_JSON,
                            "Sub-record " + found + " is not a JSON object but " + JsonRecords.kind(token) + ".");
                }
                long start = parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                long end = parser.currentLocation().getByteOffset();
                if (start < 0 || end < 0) {
                    throw refused(INVALID_JSON, "The record is not JSON in UTF-8.");
                }
                add((int) start, (int) end);
            }
        } catch (JsonProcessingException e) {
            throw refused(INVALID_JSON, JsonRecords.malformed(e));
        } catch (IOException e) {
            throw new UncheckedIOException("reading a buffer failed", e);
        }
    }

    private void splitDelimited(ByteBuffer data) throws RecordRefused {
        int base = data.position();
        int length = data.remaining();
        int from = 0;
        int i = 0;
        while (i <= length - delimiter.length) {
            if (delimiterAt(data, base + i)) {
                add(from, i);
                i += delimiter.length;
                from = i;
            } else {
                i++;
            }
        }
        add(from, length);
    }

    private boolean delimiterAt(ByteBuffer data, int index) {
        for (int j = 0; j < delimiter.length; j++) {
            if (data.get(index + j) != delimiter[j]) {
                return false;
            }
        }
        return true;
    }

    /** Records the sub-record from {@code start} to {@code end}, unless it is empty. */
    private void add(int start, int end) throws RecordRefused {
        if (start == end) {
            return;
        }
        if (found == MAX_SUB_RECORDS) {
            throw refused(
                    TOO_MANY_SUB_RECORDS,
                    "The record holds more than " + MAX_SUB_RECORDS + " sub-records, the most it may hold.");
        }
        bounds[2 * found] = start;
        bounds[2 * found + 1] = end;
        found++;
    }

    private static RecordRefused refused(String code, String message) {
        return new RecordRefused(ProcessingFailure.PROCESSING_FAILED, code, message);
    }
}
