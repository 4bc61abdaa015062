package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void percentilesOfAUniformSpreadAreWithinThreeSignificantDigits() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int millis = 1; millis <= 1_000; millis++) {
            histogram.record(Duration.ofMillis(millis));
        }

        LatencySummary summary = histogram.summary();

        assertThat(summary.count()).isEqualTo(1_000);
        assertThat(summary.p50().toNanos() / 1e6).isCloseTo(500, within(0.5));
        assertThat(summary.p99().toNanos() / 1e6).isCloseTo(990, within(1.0));
        assertThat(summary.p999().toNanos() / 1e6).isCloseTo(999, within(1.0));
        assertThat(summary.max().toNanos() / 1e6).isCloseTo(1_000, within(1.0));
    }

    @Test
    void aFewSlowRequestsShowInTheTailOnly() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 0; i < 9_990; i++) {
            histogram.record(Duration.ofNanos(250_000));
        }
        for (int i = 0; i < 10; i++) {
            histogram.record(Duration.ofMillis(80));
        }

        LatencySummary summary = histogram.summary();

        assertThat(summary.p50().toNanos()).isCloseTo(250_000, within(250L));
        assertThat(summary.p99().toNanos()).isCloseTo(250_000, within(250L));
        assertThat(summary.p999().toNanos()).isCloseTo(250_000, within(250L));
        assertThat(summary.max().toNanos()).isCloseTo(80_000_000, within(80_000L));
    }

    @Test
    void mergingAddsTheCountsOfEveryWorker() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(Duration.ofMillis(1));
        b.record(Duration.ofMillis(3));
        b.record(Duration.ofMillis(5));

        a.add(b);

        assertThat(a.count()).isEqualTo(3);
        assertThat(a.summary().p50().toNanos() / 1e6).isCloseTo(3, within(0.01));
        assertThat(a.summary().max().toNanos() / 1e6).isCloseTo(5, within(0.01));
    }

    @Test
    void subMicrosecondAndHugeLatenciesAreClampedToTheTrackedRange() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.recordNanos(0);
        histogram.record(Duration.ofDays(2));

        LatencySummary summary = histogram.summary();

        assertThat(summary.count()).isEqualTo(2);
        assertThat(summary.p50()).isEqualTo(Duration.ofNanos(1_000));
        assertThat(summary.max().toSeconds()).isCloseTo(LatencyHistogram.HIGHEST_SECONDS, within(4L));
    }

    @Test
    void anEmptyHistogramSummarisesToZeros() {
        assertThat(new LatencyHistogram().summary()).isEqualTo(LatencySummary.EMPTY);
    }
}
