package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.server.SluiceConfig;
import io.sluice.server.SluiceServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short freshness runs against an in-process Sluice: every acknowledged record must be seen at the
 * destination and timed once. Latencies are never asserted.
 */
class FreshnessRunTest {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final BufferingHints INTERVAL_ZERO = new BufferingHints(1, Duration.ZERO);

    @TempDir
    Path dataDir;

    @Test
    void recordsDeliveredToTheLocalStoreAreSeenAndTimed() throws Exception {
        try (SluiceServer sluice = SluiceServer.start(SluiceConfig.local(0, dataDir), CLOCK)) {
            Target target = withS3Stream(sluice);
            Arrivals arrivals = new Arrivals();
            FreshnessRun.Result result;
            try (DirectoryWatch watch = DirectoryWatch.start(
                    dataDir.resolve("buckets").resolve(StreamSetup.BUCKET), Duration.ofMillis(10), arrivals)) {
                result = run(target).run(arrivals, watch::check);
            }

            assertThat(result.sent()).isEqualTo(20);
            assertThat(result.acknowledged()).isEqualTo(20);
            assertThat(result.unseen()).isZero();
            assertThat(result.latency().count()).isEqualTo(20);
        }
    }

    @Test
    void recordsPostedToTheReceiverAreSeenAndAnsweredAsDelivered() throws Exception {
        try (SluiceServer sluice = SluiceServer.start(allowingHttpEndpoints(SluiceConfig.local(0, dataDir)), CLOCK);
                EndpointReceiver receiver = EndpointReceiver.start(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new Arrivals())) {
            Target target = target(sluice);
            new StreamSetup(target, CLOCK)
                    .createAndAwaitActive(
                            List.of("fresh"),
                            StreamSetup.httpEndpointDestination(
                                    URI.create("http://127.0.0.1:" + receiver.port() + "/"), INTERVAL_ZERO),
                            Duration.ofSeconds(30));

            FreshnessRun.Result result = run(target).run(receiver.arrivals(), () -> {});

            assertThat(result.acknowledged()).isEqualTo(20);
            assertThat(result.unseen()).isZero();
            assertThat(result.latency().count()).isEqualTo(20);
            assertThat(result.human()).contains("20 acknowledged", "0 acknowledged but not seen");
        }
    }

    @Test
    void recordsNeverDeliveredAreCountedAsUnseen() throws Exception {
        try (SluiceServer sluice = SluiceServer.start(SluiceConfig.local(0, dataDir), CLOCK)) {
            Target target = withS3Stream(sluice);

            FreshnessRun.Result result = new FreshnessRun(
                            target, "fresh", 20, Duration.ofSeconds(1), 100, Duration.ofMillis(500), CLOCK)
                    .run(new Arrivals(), () -> {});

            assertThat(result.acknowledged()).isEqualTo(20);
            assertThat(result.unseen()).isEqualTo(20);
            assertThat(result.latency().count()).isZero();
        }
    }

    @Test
    void bodiesSplitBackIntoTheRecordsIds() {
        Arrivals arrivals = new Arrivals();
        byte[] first = Arrivals.record(41, 20);
        byte[] second = Arrivals.record(1_700_000_000_000_042L, 30);
        byte[] body = new byte[first.length + second.length];
        System.arraycopy(first, 0, body, 0, first.length);
        System.arraycopy(second, 0, body, first.length, second.length);

        arrivals.seen(body, 0, body.length, 7);

        assertThat(arrivals.firstSeen(41)).isEqualTo(7);
        assertThat(arrivals.firstSeen(1_700_000_000_000_042L)).isEqualTo(7);
        assertThat(arrivals.firstSeen(42)).isEqualTo(-1);
    }

    private static FreshnessRun run(Target target) {
        return new FreshnessRun(target, "fresh", 20, Duration.ofSeconds(1), 100, Duration.ofSeconds(10), CLOCK);
    }

    /** The server as a target, with stream {@code fresh} to the local store at interval 0 created. */
    private static Target withS3Stream(SluiceServer sluice) throws Exception {
        Target target = target(sluice);
        new StreamSetup(target, CLOCK)
                .createAndAwaitActive(
                        List.of("fresh"), StreamSetup.s3Destination(INTERVAL_ZERO), Duration.ofSeconds(30));
        return target;
    }

    private static Target target(SluiceServer sluice) {
        return new Target(
                Endpoint.parse(sluice.endpoint().toString()),
                Credentials.DEVELOPMENT,
                "us-east-1",
                Duration.ofSeconds(10));
    }

    private static SluiceConfig allowingHttpEndpoints(SluiceConfig config) {
        SluiceConfig.DeliverySettings delivery = config.delivery();
        return config.withDelivery(delivery.withHttpEndpoint(new SluiceConfig.HttpEndpointSettings(
                true, Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(1))));
    }
}
