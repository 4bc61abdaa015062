package io.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.catalog.StreamRef;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsValueTest {
    private final Metrics metrics = new Metrics();
    private final StreamRef stream = new StreamRef("000000000000", "us-east-1", "read");
    private final StreamRef other = new StreamRef("000000000000", "us-east-1", "other");

    @Test
    void readsAStreamsCounterTotalAndGaugeValue() {
        metrics.add(StreamMetric.INCOMING_RECORDS, stream, 3);
        metrics.add(StreamMetric.INCOMING_RECORDS, stream, 4);
        metrics.add(StreamMetric.INCOMING_RECORDS, other, 100);
        AtomicLong partitions = new AtomicLong(12);
        metrics.gauge(StreamMetric.PARTITION_COUNT, stream, partitions, AtomicLong::get);

        assertThat(metrics.value(StreamMetric.INCOMING_RECORDS, stream)).isEqualTo(7.0);
        assertThat(metrics.value(StreamMetric.PARTITION_COUNT, stream)).isEqualTo(12.0);
        partitions.set(5);
        assertThat(metrics.value(StreamMetric.PARTITION_COUNT, stream)).isEqualTo(5.0);
    }

    @Test
    void isZeroBeforeTheStreamHasTheMeterAndAfterItIsRemoved() {
        assertThat(metrics.value(StreamMetric.THROTTLED_RECORDS, stream)).isZero();
        metrics.add(StreamMetric.THROTTLED_RECORDS, stream, 2);
        metrics.removeStream(stream);
        assertThat(metrics.value(StreamMetric.THROTTLED_RECORDS, stream)).isZero();
    }

    @Test
    void countsAgainFromZeroWhenARemovedStreamIsMadeAgain() {
        metrics.add(StreamMetric.THROTTLED_RECORDS, stream, 2);
        metrics.record(StreamMetric.PUT_RECORD_LATENCY, stream, Duration.ofMillis(3));
        metrics.removeStream(stream);

        metrics.add(StreamMetric.THROTTLED_RECORDS, stream, 5);
        metrics.record(StreamMetric.PUT_RECORD_LATENCY, stream, Duration.ofMillis(4));

        assertThat(metrics.value(StreamMetric.THROTTLED_RECORDS, stream)).isEqualTo(5);
        assertThat(metrics.scrape())
                .contains("firehose_PutRecord_Latency_seconds_count{DeliveryStreamName=\"" + stream.name());
    }

    @Test
    void timersAndDistributionsHaveNoOneValue() {
        assertThatThrownBy(() -> metrics.value(StreamMetric.PUT_RECORD_LATENCY, stream))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
