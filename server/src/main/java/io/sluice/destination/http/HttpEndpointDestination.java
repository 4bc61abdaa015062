package io.sluice.destination.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.catalog.DeliveryStream;
import io.sluice.destination.BatchEncoder;
import io.sluice.destination.BatchInfo;
import io.sluice.destination.DeliveryOutcome;
import io.sluice.destination.Destination;
import io.sluice.destination.PreparedBatch;
import io.sluice.processor.ProcessorRecord;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * The HTTP endpoint destination, protocol version 1.0 (delivery spec §11). Each batch becomes one
 * request body in a staging file, gzipped when {@code ContentEncoding} is GZIP:
 *
 * <pre>{"requestId":"&lt;uuid>","timestamp":&lt;epoch ms>,"records":[{"data":"&lt;base64>"},...]}</pre>
 *
 * and every attempt POSTs that file with the same request id, the {@code X-Amz-Firehose-*} headers and
 * {@code Content-Type: application/json}, to the URL with the access key and common attributes of the
 * destination that sends it (the stream's latest, when it was updated while the batch was retried). Only a 200 whose body is a JSON object (at most 1 MiB, not
 * content-encoded, {@code application/json}, with a {@code Content-Length}) carrying the same
 * {@code requestId} and a numeric {@code timestamp} delivers the batch; a 413 rejects it for good and
 * it is discarded (delivery spec §5.2); anything else, a timeout or a connection failure is retried.
 */
public final class HttpEndpointDestination implements Destination {
    static final String PROTOCOL_VERSION = "1.0";
    static final int MAX_RESPONSE_BYTES = 1024 * 1024;
    private static final int MAX_QUOTED_RESPONSE_CHARS = 8192;
    private static final int STAGING_BUFFER = 32 * 1024;
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final DeliveryStream stream;
    private final HttpEndpointDestinationSpec spec;
    private final HttpEndpointTransport transport;
    private final Path staging;
    private final Clock clock;
    private final Supplier<UUID> uuids;
    private final String commonAttributes;

    public HttpEndpointDestination(
            DeliveryStream stream,
            HttpEndpointDestinationSpec spec,
            HttpEndpointTransport transport,
            Path staging,
            Clock clock,
            Supplier<UUID> uuids) {
        this.stream = requireNonNull(stream, "stream is null");
        this.spec = requireNonNull(spec, "spec is null");
        this.transport = requireNonNull(transport, "transport is null");
        this.staging = requireNonNull(staging, "staging is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.uuids = requireNonNull(uuids, "uuids is null");
        this.commonAttributes = commonAttributes(spec);
    }

    /** {@code {"commonAttributes":{"<name>":"<value>",...}}}, the value of the header. */
    private static String commonAttributes(HttpEndpointDestinationSpec spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeObjectFieldStart("commonAttributes");
            for (HttpEndpointDestinationSpec.CommonAttribute attribute : spec.commonAttributes()) {
                json.writeStringField(attribute.name(), attribute.value());
            }
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.toString(UTF_8);
    }

    @Override
    public BatchEncoder encoder(BatchInfo batch) throws IOException {
        String requestId = uuids.get().toString();
        Path file = staging.resolve(requestId + ".request");
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), STAGING_BUFFER);
        try {
            OutputStream body = spec.contentEncoding() == HttpEndpointDestinationSpec.ContentEncoding.GZIP
                    ? new GZIPOutputStream(out, STAGING_BUFFER)
                    : out;
            body.write(("{\"requestId\":\"" + requestId + "\",\"timestamp\":" + clock.millis() + ",\"records\":[")
                    .getBytes(UTF_8));
            return new Encoder(requestId, file, body, spec.contentEncoding());
        } catch (IOException | RuntimeException e) {
            out.close();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    @Override
    public DeliveryOutcome send(PreparedBatch batch) {
        Prepared prepared = (Prepared) batch;
        HttpRequest.Builder request = HttpRequest.newBuilder(spec.endpoint().url())
                .timeout(transport.responseTimeout())
                .header("X-Amz-Firehose-Protocol-Version", PROTOCOL_VERSION)
                .header("X-Amz-Firehose-Request-Id", prepared.requestId)
                .header("X-Amz-Firehose-Source-Arn", stream.ref().arn())
                .header("X-Amz-Firehose-Common-Attributes", commonAttributes)
                .header("Content-Type", "application/json");
        spec.endpoint().accessKey().ifPresent(key -> request.header("X-Amz-Firehose-Access-Key", key));
        if (prepared.encoding == HttpEndpointDestinationSpec.ContentEncoding.GZIP) {
            request.header("Content-Encoding", "gzip");
        }
        try {
            request.POST(HttpRequest.BodyPublishers.ofFile(prepared.file));
        } catch (IOException e) {
            return new DeliveryOutcome.Retry("InternalError", "staged request body unreadable: " + e.getMessage());
        }
        try {
            HttpResponse<InputStream> response =
                    transport.client().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            }
            return outcome(response, body, prepared.requestId);
        } catch (IOException e) {
            HttpEndpointTransport.Failure failure = transport.failure(e, "the endpoint");
            return new DeliveryOutcome.Retry("HttpEndpoint." + failure.name(), failure.message());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeliveryOutcome.Retry("HttpEndpoint.RequestTimeout", "The attempt was interrupted.");
        }
    }

    /** Response handling of delivery spec §11.2. */
    static DeliveryOutcome outcome(HttpResponse<?> response, byte[] body, String requestId) {
        int status = response.statusCode();
        if (body.length > MAX_RESPONSE_BYTES) {
            return new DeliveryOutcome.Retry(
                    "HttpEndpoint.ResponseTooLarge",
                    "The response received from the endpoint is larger than 1 MiB (status " + status + ").");
        }
        if (status == 413) {
            return new DeliveryOutcome.Rejected(
                    "HttpEndpoint.DestinationException",
                    "The endpoint answered 413 Request Entity Too Large; the batch is discarded. Response: "
                            + quote(body),
                    DeliveryOutcome.Disposal.DISCARD);
        }
        if (status != 200) {
            return new DeliveryOutcome.Retry(
                    "HttpEndpoint.DestinationException",
                    "The endpoint answered with status " + status + ". Response: " + quote(body));
        }
        Optional<String> invalid = invalidBody(response, body, requestId);
        if (invalid.isPresent()) {
            return new DeliveryOutcome.Retry(
                    "HttpEndpoint.InvalidResponseFromDestination",
                    "The response received from the endpoint is invalid: " + invalid.get() + ". Response: "
                            + quote(body));
        }
        return DeliveryOutcome.DELIVERED;
    }

    /** Why a 200's body is not a valid response, if it is not. */
    private static Optional<String> invalidBody(HttpResponse<?> response, byte[] body, String requestId) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return Optional.of("Content-Type is not application/json");
        }
        Optional<String> encoding = response.headers().firstValue("Content-Encoding");
        if (encoding.isPresent() && !encoding.get().equalsIgnoreCase("identity")) {
            return Optional.of("the body is content-encoded");
        }
        if (response.headers().firstValue("Content-Length").isEmpty()) {
            return Optional.of("Content-Length is missing");
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return Optional.of("the body is not JSON");
        } catch (IOException e) {
            return Optional.of("the body is unreadable");
        }
        if (json == null || !json.isObject()) {
            return Optional.of("the body is not a JSON object");
        }
        if (!json.path("requestId").isTextual()
                || !json.get("requestId").asText().equals(requestId)) {
            return Optional.of("requestId does not match the request's " + requestId);
        }
        if (!json.path("timestamp").isNumber()) {
            return Optional.of("timestamp is not a number");
        }
        return Optional.empty();
    }

    private static String quote(byte[] body) {
        String text = new String(body, UTF_8);
        return text.length() > MAX_QUOTED_RESPONSE_CHARS ? text.substring(0, MAX_QUOTED_RESPONSE_CHARS) : text;
    }

    private static final class Encoder implements BatchEncoder {
        private static final byte[] RECORD_START = "{\"data\":\"".getBytes(UTF_8);
        private static final byte[] RECORD_END = "\"}".getBytes(UTF_8);
        private static final byte[] BODY_END = "]}".getBytes(UTF_8);
        /** Bytes encoded at once: a multiple of 3, so that only a record's last chunk is padded. */
        private static final int BASE64_CHUNK = 24 * 1024;

        private final String requestId;
        private final Path file;
        private final OutputStream body;
        private final HttpEndpointDestinationSpec.ContentEncoding encoding;
        private final Base64.Encoder base64 = Base64.getEncoder();
        private final byte[] chunk = new byte[BASE64_CHUNK];
        private final byte[] encoded = new byte[BASE64_CHUNK / 3 * 4];
        private long records;
        private long bytes;
        private boolean finished;

        Encoder(String requestId, Path file, OutputStream body, HttpEndpointDestinationSpec.ContentEncoding encoding) {
            this.requestId = requestId;
            this.file = file;
            this.body = body;
            this.encoding = encoding;
        }

        @Override
        public void add(ProcessorRecord record) throws IOException {
            ByteBuffer data = record.data();
            int length = data.remaining();
            if (records > 0) {
                body.write(',');
            }
            body.write(RECORD_START);
            ByteBuffer source = data.duplicate();
            while (source.remaining() >= chunk.length) {
                source.get(chunk);
                body.write(encoded, 0, base64.encode(chunk, encoded));
            }
            if (source.hasRemaining()) {
                byte[] tail = new byte[source.remaining()];
                source.get(tail);
                body.write(encoded, 0, base64.encode(tail, encoded));
            }
            body.write(RECORD_END);
            records++;
            bytes += length;
        }

        @Override
        public PreparedBatch finish() throws IOException {
            body.write(BODY_END);
            body.close();
            finished = true;
            return new Prepared(requestId, file, encoding, records, bytes);
        }

        @Override
        public void close() throws IOException {
            if (!finished) {
                try {
                    body.close();
                } finally {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** A staged request body: its request id and encoding stay the same on every attempt. */
    private record Prepared(
            String requestId, Path file, HttpEndpointDestinationSpec.ContentEncoding encoding, long records, long bytes)
            implements PreparedBatch {
        @Override
        public void close() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the engine empties the staging directory at start
            }
        }
    }
}
