package io.sluice.destination;

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
 * {@code attemptsMade, arrivalTimestamp, errorCode, errorMessage, attemptEndingTimestamp}, the
 * destination's {@link Layout} members before {@code rawData} (OpenSearch's document id, index and
 * type), {@code rawData}, then its members after (the HTTP endpoint's: {@code subsequenceNumber} and
 * {@code dataId}). Records that failed in the processor stage have the layout of Lambda's
 * {@code processing-failed} documents as captured on AWS (§6.1.8): {@code rawData, errorCode,
 * errorMessage, attemptsMade, arrivalTimestamp, attemptEndingTimestamp}, then the failure's own members.
 */
public final class ErrorDocuments {
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * The members a destination adds to its error documents, each given the record they describe.
     * {@link #STANDARD} adds none.
     */
    public interface Layout {
        Layout STANDARD = new Layout() {};

        /** Members after {@code attemptEndingTimestamp}, before {@code rawData}. */
        default void beforeRawData(JsonGenerator json, Origin record) throws IOException {}

        /** Members after {@code rawData}. */
        default void afterRawData(JsonGenerator json, Origin record) throws IOException {}
    }

    /**
     * Which record a document describes: its stream position, its number among the records a processor
     * made of it ({@code subsequence}), and when its source record arrived.
     */
    public record Origin(long position, int subsequence, long arrivalMillis) {}

    /** Why the records of a batch failed, and when the engine gave up on them. */
    public record Failure(int attemptsMade, String errorCode, String errorMessage, Instant attemptEnding) {
        public Failure {
            requireNonNull(errorCode, "errorCode is null");
            requireNonNull(errorMessage, "errorMessage is null");
            requireNonNull(attemptEnding, "attemptEnding is null");
        }
    }

    private ErrorDocuments() {}

    /** The document of {@code record}; its bytes are {@code data}'s remaining ones. */
    public static ByteBuffer document(Layout layout, Failure failure, Origin record, ByteBuffer data) {
        return write(data, (json, raw) -> {
            json.writeStartObject();
            json.writeNumberField("attemptsMade", failure.attemptsMade());
            json.writeNumberField("arrivalTimestamp", record.arrivalMillis());
            json.writeStringField("errorCode", failure.errorCode());
            json.writeStringField("errorMessage", failure.errorMessage());
            json.writeNumberField(
                    "attemptEndingTimestamp", failure.attemptEnding().toEpochMilli());
            layout.beforeRawData(json, record);
            json.writeFieldName("rawData");
            json.writeBinary(raw);
            layout.afterRawData(json, record);
            json.writeEndObject();
        });
    }

    /** The document of a record that {@code failure} stopped in the processor stage. */
    public static ByteBuffer processingDocument(
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
