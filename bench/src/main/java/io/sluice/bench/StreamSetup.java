package io.sluice.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Creates the benchmark's delivery stream (DirectPut, ExtendedS3 destination) and waits until it is
 * ACTIVE. A stream that already exists is used as it is. Works against any Firehose endpoint; moto
 * additionally needs the destination bucket to exist before records are put.
 */
final class StreamSetup {
    static final String BUCKET_ARN = "arn:aws:s3:::sluice-bench";
    static final String ROLE_ARN = "arn:aws:iam::000000000000:role/sluice-bench";
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final LoadSpec spec;
    private final Clock clock;
    private final SigV4Signer signer;

    StreamSetup(LoadSpec spec, Clock clock) {
        this.spec = requireNonNull(spec, "spec is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.signer = new SigV4Signer(spec.credentials(), spec.region(), "firehose");
    }

    /** Creates the stream unless it exists, then waits at most {@code patience} for it to be ACTIVE. */
    void createAndAwaitActive(Duration patience) throws IOException, InterruptedException {
        String create = "{\"DeliveryStreamName\":\"" + spec.stream() + "\",\"DeliveryStreamType\":\"DirectPut\","
                + "\"ExtendedS3DestinationConfiguration\":{\"RoleARN\":\"" + ROLE_ARN + "\",\"BucketARN\":\""
                + BUCKET_ARN + "\",\"BufferingHints\":{\"SizeInMBs\":128,\"IntervalInSeconds\":60}}}";
        Answer created = call("CreateDeliveryStream", create);
        if (created.status() != 200 && !created.type().equals(Optional.of("ResourceInUseException"))) {
            throw new IOException("CreateDeliveryStream failed: HTTP " + created.status() + " " + created.body());
        }
        Instant deadline = clock.instant().plus(patience);
        String describe = "{\"DeliveryStreamName\":\"" + spec.stream() + "\"}";
        while (true) {
            Answer described = call("DescribeDeliveryStream", describe);
            if (described.status() != 200) {
                throw new IOException(
                        "DescribeDeliveryStream failed: HTTP " + described.status() + " " + described.body());
            }
            Optional<String> status = field(described.body(), "DeliveryStreamStatus");
            if (status.equals(Optional.of("ACTIVE"))) {
                return;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new IOException("stream " + spec.stream() + " is still " + status.orElse("without a status")
                        + " after " + patience);
            }
            Thread.sleep(POLL_INTERVAL);
        }
    }

    private Answer call(String operation, String json) throws IOException {
        byte[] body = json.getBytes(UTF_8);
        byte[] head = RequestHead.of(
                signer,
                spec.endpoint(),
                "Firehose_20150804." + operation,
                clock.instant(),
                SigV4Signer.sha256Hex(body),
                body.length);
        try (HttpConnection connection = HttpConnection.open(spec.endpoint(), spec.timeout())) {
            HttpResponse response = connection.exchange(ByteBuffer.wrap(head), ByteBuffer.wrap(body));
            String text = response.bodyText();
            return new Answer(response.status(), text, field(text, "__type").map(StreamSetup::bareType));
        }
    }

    private static Optional<String> field(String json, String name) {
        byte[] bytes = json.getBytes(UTF_8);
        return JsonFields.string(bytes, 0, bytes.length, name);
    }

    private static String bareType(String type) {
        return type.substring(type.lastIndexOf('#') + 1);
    }

    private record Answer(int status, String body, Optional<String> type) {}
}
