package io.sluice.processor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Streaming JSON over a record's bytes, for the processors that read records as JSON. Jackson's
 * default limits apply (nesting depth 1000, among others): input beyond them is malformed.
 */
final class JsonRecords {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonRecords() {}

    /**
     * A parser over the remaining bytes of {@code data}, reading a sequence of top-level values; byte
     * offsets of its locations count from {@code data}'s position. {@code data} itself is not moved.
     */
    static JsonParser parser(ByteBuffer data) {
        try {
            return JSON.createParser(new Input(data.duplicate()));
        } catch (IOException e) {
            throw new UncheckedIOException("reading a buffer failed", e);
        }
    }

    /** Why {@code e}'s input is malformed, and where: for an error document. */
    static String malformed(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return "Malformed JSON"
                + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                + ": " + e.getOriginalMessage();
    }

    /** What a top-level value starting with {@code token} is, for messages: "an array", "a number", … */
    static String kind(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> token.name();
        };
    }

    /** A buffer's remaining bytes as a stream; reads advance the buffer. */
    private static final class Input extends InputStream {
        private final ByteBuffer buffer;

        Input(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public int read() {
            return buffer.hasRemaining() ? buffer.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (!buffer.hasRemaining()) {
                return -1;
            }
            int n = Math.min(length, buffer.remaining());
            buffer.get(into, offset, n);
            return n;
        }

        @Override
        public int available() {
            return buffer.remaining();
        }
    }
}
