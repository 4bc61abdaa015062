package io.sluice.processor;

import static io.sluice.processor.ProcessorSpec.invalid;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * {@code CloudWatchLogProcessing} with {@code DataMessageExtraction} {@code true} (delivery spec §6.4):
 * reads each record, already gunzipped by {@link Decompression}, as CloudWatch Logs subscription
 * documents, one or more in a row:
 *
 * <pre>{@code
 * {"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"/app/web","logStream":"i-0abc",
 *  "subscriptionFilters":["to-firehose"],
 *  "logEvents":[{"id":"3795…","timestamp":1733312345678,"message":"GET /health 200"}, …]}
 * }</pre>
 *
 * Each log event of a {@code DATA_MESSAGE} becomes one record whose data is its {@code message} in
 * UTF-8, {@link ProcessorRecord#split split} number 0, 1, … of the record, counting across its documents;
 * everything else in the document (owner, group, stream, filters, ids, timestamps) is dropped, and so is
 * a {@code CONTROL_MESSAGE} document (CloudWatch Logs' check that it can reach the stream) as a whole.
 * No newline is added: {@code AppendDelimiterToRecord} adds one.
 *
 * <p>Anything else fails the whole record: malformed JSON, no document, a top-level value that is not
 * an object, a document without a {@code messageType} or with another, a {@code DATA_MESSAGE} without a
 * {@code logEvents} array, a log event without a string {@code message}. AWS does not document this
 * failure; Sluice writes the record as this processor received it (decompressed) to the error output
 * under {@code processing-failed}, in the Lambda layout without {@code lambdaARN} (delivery spec §5),
 * with error code {@value #INVALID_DOCUMENT}.
 *
 * <p>Messages are decoded into a buffer this processor reuses. Called on one thread at a time, as its
 * kind says.
 */
public final class CloudWatchLogProcessing implements RecordProcessor.PerRecord {
    public static final String TYPE = "CloudWatchLogProcessing";
    public static final String DATA_MESSAGE_EXTRACTION = "DataMessageExtraction";
    public static final String INVALID_DOCUMENT = "CloudWatchLogProcessing.InvalidDocument";
    /**
     * The most log events one record may hold: more than fit in the largest record {@link Decompression}
     * lets through, and few enough that a later de-aggregation numbers their parts without overflow.
     */
    public static final int MAX_LOG_EVENTS = 1_000_000;

    private static final String DATA_MESSAGE = "DATA_MESSAGE";
    private static final String CONTROL_MESSAGE = "CONTROL_MESSAGE";

    /** The messages of the record's data messages, one after the other. */
    private ByteBuffer messages = ByteBuffer.allocate(0);
    /** Where each message in {@link #messages} ends. */
    private int[] ends = new int[64];

    private int found;

    /**
     * Checks the parameters of {@code processor}, a {@code CloudWatchLogProcessing} processor: exactly
     * {@code DataMessageExtraction}, which must be {@code true}.
     *
     * @throws io.sluice.common.FirehoseException {@code InvalidArgumentException} otherwise
     */
    public static void check(ProcessorSpec processor) {
        processor.requireParametersAmong(List.of(DATA_MESSAGE_EXTRACTION));
        processor.requiredParameter(DATA_MESSAGE_EXTRACTION);
        processor.requireValueIfGiven(DATA_MESSAGE_EXTRACTION, "true");
    }

    /**
     * Refuses {@code processors}, those of one configuration, if they hold a {@code CloudWatchLogProcessing}
     * processor but no {@link Decompression} one: CloudWatch Logs sends its documents gzipped.
     *
     * @throws io.sluice.common.FirehoseException {@code InvalidArgumentException} then
     */
    public static void checkPaired(List<ProcessorSpec> processors) {
        boolean extracts = processors.stream().anyMatch(p -> p.type().equals(TYPE));
        boolean decompresses = processors.stream().anyMatch(p -> p.type().equals(Decompression.TYPE));
        if (extracts && !decompresses) {
            throw invalid(
                    "Processor type CloudWatchLogProcessing must be used with a processor of type Decompression.");
        }
    }

    @Override
    public void process(ProcessorRecord record, Emitter out) {
        messages.clear();
        found = 0;
        try {
            extract(record.data());
        } catch (RecordRefused e) {
            out.fail(e.failure());
            return;
        }
        int start = 0;
        for (int i = 0; i < found; i++) {
            out.emit(record.split(MAX_LOG_EVENTS, i, messages.slice(start, ends[i] - start)));
            start = ends[i];
        }
    }

    private void extract(ByteBuffer data) throws RecordRefused {
        int documents = 0;
        try (JsonParser parser = JsonRecords.parser(data)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token != JsonToken.START_OBJECT) {
                    throw refused("Document " + documents + " is " + JsonRecords.kind(token) + ", not an object.");
                }
                document(parser, documents++);
            }
        } catch (JsonProcessingException e) {
            throw refused(JsonRecords.malformed(e));
        } catch (IOException e) {
            throw new UncheckedIOException("reading a buffer failed", e);
        }
        if (documents == 0) {
            throw refused("The record holds no CloudWatch Logs subscription document.");
        }
    }

    /** Reads the fields of one document, the parser at its start; keeps its messages if it is a data message. */
    private void document(JsonParser parser, int document) throws IOException, RecordRefused {
        int foundBefore = found;
        int endBefore = messages.position();
        String messageType = null;
        boolean events = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "messageType" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        throw refused("The messageType of document " + document + " is not a string.");
                    }
                    messageType = parser.getText();
                }
                case "logEvents" -> {
                    if (value != JsonToken.START_ARRAY) {
                        throw refused("The logEvents of document " + document + " are not an array.");
                    }
                    logEvents(parser, document);
                    events = true;
                }
                default -> parser.skipChildren();
            }
        }
        if (messageType == null) {
            throw refused("Document " + document + " has no messageType.");
        }
        switch (messageType) {
            case DATA_MESSAGE -> {
                if (!events) {
                    throw refused("Data message " + document + " has no logEvents.");
                }
            }
            case CONTROL_MESSAGE -> {
                found = foundBefore;
                messages.position(endBefore);
            }
            default ->
                throw refused("Document " + document + " has messageType " + messageType
                        + ", neither DATA_MESSAGE nor CONTROL_MESSAGE.");
        }
    }

    /** Keeps the message of each log event, the parser at the start of the array. */
    private void logEvents(JsonParser parser, int document) throws IOException, RecordRefused {
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                throw refused("A log event of document " + document + " is not an object.");
            }
            String message = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("message") && value == JsonToken.VALUE_STRING) {
                    message = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
            if (message == null) {
                throw refused("A log event of document " + document + " has no string message.");
            }
            keep(message.getBytes(UTF_8));
        }
    }

    private void keep(byte[] message) throws RecordRefused {
        if (found == MAX_LOG_EVENTS) {
            throw refused("The record holds more than " + MAX_LOG_EVENTS + " log events.");
        }
        if (messages.remaining() < message.length) {
            ByteBuffer bigger = ByteBuffer.allocate(
                    Math.max(messages.position() + message.length, Math.max(8 * 1024, 2 * messages.capacity())));
            bigger.put(messages.flip());
            messages = bigger;
        }
        messages.put(message);
        if (found == ends.length) {
            ends = Arrays.copyOf(ends, 2 * found);
        }
        ends[found++] = messages.position();
    }

    private static RecordRefused refused(String message) {
        return new RecordRefused(ProcessingFailure.PROCESSING_FAILED, INVALID_DOCUMENT, message);
    }
}
