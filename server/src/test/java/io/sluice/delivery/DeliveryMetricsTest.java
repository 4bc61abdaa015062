package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.StreamRef;
import io.sluice.common.DataSize;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.DestinationRegistry;
import io.sluice.metrics.Metrics;
import io.sluice.testing.LocalDestinationTypes;
import io.sluice.testing.Specs;
import io.sluice.testing.TestStreams;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery metrics under the destination's names, without building a policy for every batch. */
class DeliveryMetricsTest {
    private static final StreamRef REF = new StreamRef("000000000000", "us-east-1", "metered");
    private static final BufferingHints HINTS = new BufferingHints(DataSize.ofMebibytes(1), Duration.ZERO);

    @TempDir
    Path dir;

    private LocalDestinationTypes types;
    private final AtomicInteger policies = new AtomicInteger();
    private final Metrics metrics = new Metrics();
    private DeliveryMetrics delivery;

    @BeforeEach
    void open() throws Exception {
        types = LocalDestinationTypes.in(dir);
        delivery = new DeliveryMetrics(
                metrics,
                new DestinationRegistry(List.of(new ScriptedType<>(types.s3(), new ScriptedDestination(), policy -> {
                    policies.incrementAndGet();
                    return policy;
                }))));
    }

    @AfterEach
    void close() {
        types.close();
    }

    @Test
    void readsTheNamesOncePerConfiguration() {
        DeliveryStream first = TestStreams.active(REF, "uid-1", 1, Specs.s3(HINTS));
        for (int i = 0; i < 100; i++) {
            delivery.delivered(first, 10, 1_000, Duration.ofMillis(5));
        }
        delivery.retrying(first, "S3.InternalError");
        assertThat(policies).hasValue(1);
        assertThat(metrics.scrape())
                .contains("firehose_DeliveryToS3_Records_total{")
                .contains("} 1000.0");

        delivery.delivered(TestStreams.active(REF, "uid-1", 2, Specs.s3(HINTS)), 1, 1, Duration.ZERO);
        assertThat(policies).as("a new version").hasValue(2);
        delivery.delivered(TestStreams.active(REF, "uid-2", 2, Specs.s3(HINTS)), 1, 1, Duration.ZERO);
        assertThat(policies).as("a stream created again under the name").hasValue(3);
    }
}
