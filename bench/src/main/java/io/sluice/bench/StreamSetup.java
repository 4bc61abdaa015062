package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Creates the benchmark's delivery streams (DirectPut, to the given destination) and waits until they
 * are ACTIVE. A stream that already exists is used as it is. Works against any Firehose endpoint; moto
 * additionally needs the destination bucket to exist before records are put.
 */
final class StreamSetup {
    static final String BUCKET = "sluice-bench";
    static final String BUCKET_ARN = "arn:aws:s3:::" + BUCKET;
    static final String ROLE_ARN = "arn:aws:iam::000000000000:role/sluice-bench";
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final Target target;
    private final Clock clock;

    StreamSetup(Target target, Clock clock) {
        this.target = requireNonNull(target, "target is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** An ExtendedS3 destination into {@link #BUCKET}, uncompressed, with {@code hints}: a JSON member. */
    static String s3Destination(BufferingHints hints) {
        return "\"ExtendedS3DestinationConfiguration\":{\"RoleARN\":\"" + ROLE_ARN + "\",\"BucketARN\":\"" + BUCKET_ARN
                + "\"," + hintsJson(hints) + "}";
    }

    /** An HTTP endpoint destination posting to {@code url}, with {@code hints}: a JSON member. */
    static String httpEndpointDestination(URI url, BufferingHints hints) {
        return "\"HttpEndpointDestinationConfiguration\":{\"EndpointConfiguration\":{\"Url\":\"" + url + "\"},"
                + hintsJson(hints) + ",\"S3Configuration\":{\"RoleARN\":\"" + ROLE_ARN + "\",\"BucketARN\":\""
                + BUCKET_ARN + "\"}}";
    }

    private static String hintsJson(BufferingHints hints) {
        return "\"BufferingHints\":{\"SizeInMBs\":" + hints.sizeInMBs() + ",\"IntervalInSeconds\":"
                + hints.interval().toSeconds() + "}";
    }

    /**
     * Creates {@code streams} with {@code destination} (from {@link #s3Destination} or
     * {@link #httpEndpointDestination}) unless they exist, then waits at most {@code patience} for them
     * to be ACTIVE.
     */
    void createAndAwaitActive(List<String> streams, String destination, Duration patience)
            throws IOException, InterruptedException {
        try (ApiClient api = new ApiClient(target, clock)) {
            for (String stream : streams) {
                create(api, stream, destination);
            }
            Instant deadline = clock.instant().plus(patience);
            for (String stream : streams) {
                awaitActive(api, stream, deadline, patience);
            }
        }
    }

    private static void create(ApiClient api, String stream, String destination) throws IOException {
        String create =
                "{\"DeliveryStreamName\":\"" + stream + "\",\"DeliveryStreamType\":\"DirectPut\"," + destination + "}";
        ApiClient.Answer created = api.call("CreateDeliveryStream", create);
        if (created.status() != 200 && !created.type().equals(Optional.of("ResourceInUseException"))) {
            throw new IOException("CreateDeliveryStream failed: HTTP " + created.status() + " " + created.body());
        }
    }

    private void awaitActive(ApiClient api, String stream, Instant deadline, Duration patience)
            throws IOException, InterruptedException {
        String describe = "{\"DeliveryStreamName\":\"" + stream + "\"}";
        while (true) {
            ApiClient.Answer described = api.call("DescribeDeliveryStream", describe);
            if (described.status() != 200) {
                throw new IOException(
                        "DescribeDeliveryStream failed: HTTP " + described.status() + " " + described.body());
            }
            Optional<String> status = ApiClient.field(described.body(), "DeliveryStreamStatus");
            if (status.equals(Optional.of("ACTIVE"))) {
                return;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new IOException(
                        "stream " + stream + " is still " + status.orElse("without a status") + " after " + patience);
            }
            Thread.sleep(POLL_INTERVAL);
        }
    }
}
