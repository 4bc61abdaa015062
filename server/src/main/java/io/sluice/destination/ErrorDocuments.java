package io.sluice.destination;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The error document of one failed record (delivery spec §5): one JSON object, timestamps as epoch
 * milliseconds, {@code rawData} the base64 of the record's bytes. Members in this order:
 * {@code attemptsMade, arrivalTimestamp, errorCode, errorMessage, attemptEndingTimestamp, rawData},
 * then the layout's own ({@link Layout#HTTP_ENDPOINT}: {@code subsequenceNumber}, always 0 as Sluice
 * de-aggregates nothing, and {@code dataId}, the record's offset in its stream as a decimal string).
 */
public final class ErrorDocuments {
    private static final JsonFactory JSON = new JsonFactory();

    /** The members a destination adds after {@code rawData}. */
    public enum Layout {
        HTTP_ENDPOINT
    }

    /** Why the records of a batch failed, and when the engine gave up on them. */
    public record Failure(int attemptsMade, String errorCode, String errorMessage, Instant attemptEnding) {
        public Failure {
            requireNonNull(errorCode, "errorCode is null");
            requireNonNull(errorMessage, "errorMessage is null");
            requireNonNull(attemptEnding, "attemptEnding is null");
        }
    }

    private ErrorDocuments() {}

    /** The document of the record at {@code offset}; its bytes are {@code data}'s remaining ones. */
    public static ByteBuffer document(
            Layout layout, Failure failure, long offset, long arrivalMillis, ByteBuffer data) {
        byte[] raw = new byte[data.remaining()];
        data.duplicate().get(raw);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 4 / 3 + 512);
        try (JsonGenerator json = JSON.createGenerator(out)) {
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
                    json.writeNumberField("subsequenceNumber", 0);
                    json.writeStringField("dataId", Long.toString(offset));
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return ByteBuffer.wrap(out.toByteArray());
    }
}
