package io.sluice.log;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * Names one stream's data in the log. Opaque to the log: the catalog chooses it, and gives a
 * deleted and re-created delivery stream a new key, so a key is never reused after {@link
 * RecordLog#deleteStream}.
 */
public record StreamKey(String value) {
    /** Longest key, in UTF-8 bytes. */
    public static final int MAX_UTF8_BYTES = 1024;

    public StreamKey {
        requireNonNull(value, "value is null");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("a stream key is not empty");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_UTF8_BYTES) {
            throw new IllegalArgumentException("a stream key has at most " + MAX_UTF8_BYTES + " UTF-8 bytes");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
