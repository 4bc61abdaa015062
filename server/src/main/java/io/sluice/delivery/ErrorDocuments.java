package io.sluice.delivery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.processor.ProcessingFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The error document of one failed record (delivery spec §5): one JSON object, timestamps as epoch
 * milliseconds, {@code rawData} the base64 of the record's bytes. Members in this order:
 * {@code attemptsMade, arrivalTimestamp, errorCode, errorMessage, attemptEndingTimestamp, rawData},
 * then the layout's own ({@link Layout#HTTP_ENDPOINT}: {@code subsequenceNumber}, the record's number
 * among those a processor split out of one, and {@code dataId}, the record's offset in its stream as a
 * decimal string). Records that failed in the processor stage have the layout of Lambda's
 * {@code processing-failed} documents as captured on AWS (§6.1.8): {@code rawData, errorCode,
 * errorMessage, attemptsMade, arrivalTimestamp, attemptEndingTimestamp}, then the failure's own members.
 */
final class ErrorDocuments {
    private static final JsonFactory JSON = new JsonFactory();

    /** The members a destination adds after {@code rawData}. */
    enum Layout {
        HTTP_ENDPOINT
    }

    /** Why the records of a batch failed, and when the engine gave up on them. */
    record Failure(int attemptsMade, String errorCode, String errorMessage, Instant attemptEnding) {
        Failure {
            requireNonNull(errorCode, "errorCode is null");
            requireNonNull(errorMessage, "errorMessage is null");
            requireNonNull(attemptEnding, "attemptEnding is null");
        }
    }

    private ErrorDocuments() {}

    /**
     * The document of the record at {@code position} (number {@code subsequence} of those made of it); its
     * bytes are {@code data}'s remaining ones.
     */
    static ByteBuffer document(
            Layout layout, Failure failure, long position, int subsequence, long arrivalMillis, ByteBuffer data) {
        return write(data, (json, raw) -> {
            json.writeStartObject();
            json.writeNumberField("attemptsMade", failure.attemptsMade());
            json.writeNumberField("arrivalTimestamp", arrivalMillis);
            json.writeStringField("errorCode", failure.errorCode());
            json.writeStringField("errorMessage", failure.errorMessage());
            json.writeNumberField(
                    "attemptEndingTimestamp", failure.attemptEnding().toEpochMilli());
            json.writeFieldName("rawData");
            json.writeBinary(raw);
            switch (layout) {
                case HTTP_ENDPOINT -> {
                    json.writeNumberField("subsequenceNumber", subsequence);
                    json.writeStringField("dataId", Long.toString(position));
                }
            }
            json.writeEndObject();
        });
    }

    /** The document of a record that {@code failure} stopped in the processor stage. */
    static ByteBuffer processingDocument(
            ProcessingFailure failure, Instant attemptEnding, long arrivalMillis, ByteBuffer data) {
        return write(data, (json, raw) -> {
            json.writeStartObject();
            json.writeFieldName("rawData");
            json.writeBinary(raw);
            json.writeStringField("errorCode", failure.errorCode());
            json.writeStringField("errorMessage", failure.errorMessage());
            json.writeNumberField("attemptsMade", failure.attemptsMade());
            json.writeNumberField("arrivalTimestamp", arrivalMillis);
            json.writeNumberField("attemptEndingTimestamp", attemptEnding.toEpochMilli());
            for (var member : failure.trailingMembers().entrySet()) {
                json.writeStringField(member.getKey(), member.getValue());
            }
            json.writeEndObject();
        });
    }

    @FunctionalInterface
    private interface Members {
        void write(JsonGenerator json, byte[] raw) throws IOException;
    }

    private static ByteBuffer write(ByteBuffer data, Members members) {
        byte[] raw = new byte[data.remaining()];
        data.duplicate().get(raw);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 4 / 3 + 512);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            members.write(json, raw);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return ByteBuffer.wrap(out.toByteArray());
    }
}
