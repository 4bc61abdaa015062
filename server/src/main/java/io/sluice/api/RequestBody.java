package io.sluice.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;

/**
 * A request's body: the first {@code length} bytes of {@code bytes}. The array may be longer (bodies are
 * read into reused arrays, see {@link RequestBodies}) and may be reused once the request is answered, so
 * nothing may keep it, or a view of it, beyond the call it was given to.
 */
public record RequestBody(byte[] bytes, int length) {
    public RequestBody {
        requireNonNull(bytes, "bytes is null");
        Objects.checkFromIndexSize(0, length, bytes.length);
    }

    /** The whole of {@code bytes}. */
    public static RequestBody of(byte[] bytes) {
        return new RequestBody(bytes, bytes.length);
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /** A streaming parser over the body; token byte offsets are offsets into {@link #bytes()}. */
    public JsonParser parser(JsonFactory factory) throws IOException {
        return factory.createParser(bytes, 0, length);
    }

    /** The body as a JSON tree, which copies what it keeps; null when the body holds no value. */
    public JsonNode tree(ObjectMapper mapper) throws IOException {
        return mapper.readTree(bytes, 0, length);
    }
}
