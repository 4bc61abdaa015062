package io.sluice.destination.splunk;

import static java.util.Objects.requireNonNull;

import io.sluice.destination.BatchEncoder;
import io.sluice.destination.BatchInfo;
import io.sluice.destination.DeliveryOutcome;
import io.sluice.destination.Destination;
import io.sluice.destination.PreparedBatch;
import io.sluice.destination.http.HttpEndpointTransport;
import io.sluice.processor.ProcessorRecord;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sends batches to a Splunk HTTP Event Collector with indexer acknowledgement (delivery spec §10). A
 * batch is its records concatenated as they are (§10.4), staged in a file; each attempt POSTs it to the
 * destination's endpoint ({@code /services/collector/raw} or {@code /event} under {@code HECEndpoint})
 * with {@code Authorization: Splunk <token>} on the stream's channel, then asks
 * {@code /services/collector/ack} on that channel about the answer's {@code ackId} until HEC reports it
 * indexed (delivered) or the acknowledgement timeout passes since the attempt began ({@code Splunk.AckTimeout},
 * retried). Queries start at once and back off to one a second. HEC reports an id indexed only once, so
 * the first {@code true} delivers. Every other answer is a retry named by {@link HecReplies}.
 */
final class HecDestination implements Destination {
    private static final Duration FIRST_POLL_DELAY = Duration.ofMillis(5);
    private static final Duration MAX_POLL_DELAY = Duration.ofSeconds(1);
    private static final int STAGING_BUFFER = 64 * 1024;

    private final SplunkDestinationSpec spec;
    private final String channel;
    private final HttpEndpointTransport transport;
    private final Path staging;
    private final Duration acknowledgmentTimeout;
    private final Clock clock;
    private final Consumer<Duration> acknowledgmentLatency;
    private final Supplier<UUID> uuids;

    /**
     * A destination sending on {@code channel} through {@code transport}, waiting for acknowledgements
     * the stream's timeout or {@code acknowledgmentTimeoutLimit}, whichever is shorter, and telling
     * {@code acknowledgmentLatency} how long each took.
     */
    HecDestination(
            SplunkDestinationSpec spec,
            UUID channel,
            HttpEndpointTransport transport,
            Path staging,
            Duration acknowledgmentTimeoutLimit,
            Clock clock,
            Consumer<Duration> acknowledgmentLatency,
            Supplier<UUID> uuids) {
        this.spec = requireNonNull(spec, "spec is null");
        this.channel = channel.toString();
        this.transport = requireNonNull(transport, "transport is null");
        this.staging = requireNonNull(staging, "staging is null");
        this.acknowledgmentTimeout = spec.acknowledgmentTimeout().compareTo(acknowledgmentTimeoutLimit) < 0
                ? spec.acknowledgmentTimeout()
                : acknowledgmentTimeoutLimit;
        this.clock = requireNonNull(clock, "clock is null");
        this.acknowledgmentLatency = requireNonNull(acknowledgmentLatency, "acknowledgmentLatency is null");
        this.uuids = requireNonNull(uuids, "uuids is null");
    }

    @Override
    public BatchEncoder encoder(BatchInfo batch) throws IOException {
        Path file = staging.resolve(uuids.get() + ".hec");
        return new Encoder(file, new BufferedOutputStream(Files.newOutputStream(file), STAGING_BUFFER));
    }

    @Override
    public DeliveryOutcome send(PreparedBatch batch) {
        Prepared prepared = (Prepared) batch;
        long started = clock.millis();
        HttpRequest.Builder request = post(spec.endpointType().path())
                .header(
                        "Content-Type",
                        spec.endpointType() == SplunkDestinationSpec.EndpointType.EVENT
                                ? "application/json"
                                : "text/plain; charset=utf-8");
        try {
            request.POST(HttpRequest.BodyPublishers.ofFile(prepared.file));
        } catch (IOException e) {
            return new DeliveryOutcome.Retry("InternalError", "staged request body unreadable: " + e.getMessage());
        }
        try {
            Answer answer = exchange(request.build());
            if (answer.status != 200) {
                return HecReplies.failure(answer.status, answer.body);
            }
            OptionalLong ackId = HecReplies.ackId(answer.body);
            if (ackId.isEmpty()) {
                return HecReplies.acknowledgementDisabled(answer.body);
            }
            return awaitAcknowledgement(ackId.getAsLong(), started);
        } catch (IOException e) {
            return HecReplies.unanswered(transport.failure(e, "the Splunk HEC endpoint"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeliveryOutcome.Retry("Splunk.ConnectionTimeout", "The attempt was interrupted.");
        }
    }

    /**
     * Asks about {@code ackId} until it is indexed or the timeout since {@code started} passes. Queries that
     * get no answer, or {@code false}, are asked again; HEC's error answers end the wait.
     */
    private DeliveryOutcome awaitAcknowledgement(long ackId, long started) throws InterruptedException {
        long deadline = started + acknowledgmentTimeout.toMillis();
        HttpRequest query = post("/services/collector/ack")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"acks\":[" + ackId + "]}"))
                .build();
        Duration delay = Duration.ZERO;
        while (true) {
            try {
                Answer answer = exchange(query);
                if (answer.status != 200) {
                    return HecReplies.failure(answer.status, answer.body);
                }
                if (HecReplies.acknowledged(answer.body, ackId)) {
                    acknowledgmentLatency.accept(Duration.ofMillis(Math.max(0, clock.millis() - started)));
                    return DeliveryOutcome.DELIVERED;
                }
            } catch (IOException e) {
                // unanswered: asked again until the timeout, as an indexer may still acknowledge
            }
            long left = deadline - clock.millis();
            if (left <= 0) {
                return HecReplies.acknowledgementTimeout();
            }
            Thread.sleep(Math.min(left, delay.toMillis()));
            delay = delay.isZero() ? FIRST_POLL_DELAY : min(delay.multipliedBy(2), MAX_POLL_DELAY);
        }
    }

    private HttpRequest.Builder post(String path) {
        String base = spec.hecEndpoint().toString();
        URI url = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
        return HttpRequest.newBuilder(url)
                .timeout(transport.responseTimeout())
                .header("Authorization", "Splunk " + spec.hecToken())
                .header("X-Splunk-Request-Channel", channel);
    }

    private record Answer(int status, byte[] body) {}

    private Answer exchange(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<InputStream> response =
                transport.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            byte[] body = in.readNBytes(HecReplies.MAX_ANSWER_BYTES);
            return new Answer(response.statusCode(), body);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Writes each record's bytes as they are, one after another. */
    private static final class Encoder implements BatchEncoder {
        private final Path file;
        private final OutputStream out;
        private final WritableByteChannel channel;
        private long records;
        private long bytes;
        private boolean finished;

        Encoder(Path file, OutputStream out) {
            this.file = file;
            this.out = out;
            this.channel = Channels.newChannel(out);
        }

        @Override
        public void add(ProcessorRecord record) throws IOException {
            ByteBuffer data = record.data().duplicate();
            bytes += data.remaining();
            while (data.hasRemaining()) {
                channel.write(data);
            }
            records++;
        }

        @Override
        public PreparedBatch finish() throws IOException {
            out.close();
            finished = true;
            return new Prepared(file, records, bytes);
        }

        @Override
        public void close() throws IOException {
            if (!finished) {
                try {
                    out.close();
                } finally {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** A staged request body, sent as it is on every attempt. */
    private record Prepared(Path file, long records, long bytes) implements PreparedBatch {
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
