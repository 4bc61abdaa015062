package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.catalog.DeliveryStream;
import io.sluice.common.DataSize;
import io.sluice.testing.ManualClock;
import io.sluice.testing.TestStreams;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ThroughputQuotasTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final DeliveryStream stream = TestStreams.plain("quota");

    private static List<ByteBuffer> records(int count, int size) {
        return IntStream.range(0, count)
                .mapToObj(i -> ByteBuffer.allocate(size))
                .toList();
    }

    private static ThroughputLimits records(long perSecond) {
        return new ThroughputLimits(perSecond, 0, DataSize.ofBytes(0));
    }

    @Test
    void unlimitedByDefaultAdmitsEverythingAndKeepsNothing() {
        ThroughputQuotas quotas = new ThroughputQuotas(ThroughputLimits.UNLIMITED, clock);
        for (int i = 0; i < 1_000; i++) {
            assertThat(quotas.admit(stream, records(500, 1))).isEqualTo(new Admission.Admitted(500));
        }
        assertThat(quotas.throttledRecords(stream)).isZero();
    }

    @Test
    void throttlesTheTailOfABatchOnceTheRecordBudgetRunsOut() {
        ThroughputQuotas quotas = new ThroughputQuotas(records(10), clock);

        assertThat(quotas.admit(stream, records(15, 1))).isEqualTo(new Admission.Admitted(10));
        assertThat(quotas.admit(stream, records(1, 1))).isEqualTo(Admission.THROTTLED);
        assertThat(quotas.throttledRecords(stream)).isEqualTo(6);

        clock.advance(Duration.ofMillis(500));
        assertThat(quotas.admit(stream, records(15, 1))).isEqualTo(new Admission.Admitted(5));
        assertThat(quotas.throttledRecords(stream)).isEqualTo(16);
    }

    @Test
    void refillsAtMostOneSecondOfBudget() {
        ThroughputQuotas quotas = new ThroughputQuotas(records(10), clock);
        quotas.admit(stream, records(10, 1));

        clock.advance(Duration.ofHours(1));
        assertThat(quotas.admit(stream, records(500, 1))).isEqualTo(new Admission.Admitted(10));
    }

    @Test
    void countsBytesOfTheLeadingRecordsThatFit() {
        ThroughputQuotas quotas = new ThroughputQuotas(new ThroughputLimits(0, 0, DataSize.ofBytes(1_000)), clock);

        assertThat(quotas.admit(stream, records(4, 300))).isEqualTo(new Admission.Admitted(3));
        assertThat(quotas.admit(stream, List.of(ByteBuffer.allocate(100), ByteBuffer.allocate(1))))
                .isEqualTo(new Admission.Admitted(1));
        assertThat(quotas.admit(stream, List.of(ByteBuffer.allocate(0)))).isEqualTo(new Admission.Admitted(1));
        assertThat(quotas.admit(stream, records(1, 1))).isEqualTo(Admission.THROTTLED);
        assertThat(quotas.throttledRecords(stream)).isEqualTo(3);

        clock.advance(Duration.ofSeconds(1));
        assertThat(quotas.admit(stream, records(1, 1_001)))
                .as("a record larger than the byte quota never fits")
                .isEqualTo(Admission.THROTTLED);
        assertThat(quotas.admit(stream, records(1, 1_000))).isEqualTo(new Admission.Admitted(1));
    }

    @Test
    void aRecordThrottledForItsBytesLeavesItsRecordTokenUnused() {
        ThroughputQuotas quotas = new ThroughputQuotas(new ThroughputLimits(2, 0, DataSize.ofBytes(100)), clock);

        assertThat(quotas.admit(stream, List.of(ByteBuffer.allocate(60), ByteBuffer.allocate(60))))
                .isEqualTo(new Admission.Admitted(1));
        assertThat(quotas.admit(stream, List.of(ByteBuffer.allocate(40), ByteBuffer.allocate(0))))
                .isEqualTo(new Admission.Admitted(1));
        assertThat(quotas.throttledRecords(stream)).isEqualTo(2);
    }

    @Test
    void aRequestOverTheRequestRateFailsWhole() {
        ThroughputQuotas quotas = new ThroughputQuotas(new ThroughputLimits(0, 2, DataSize.ofBytes(0)), clock);

        assertThat(quotas.admit(stream, records(500, 1))).isEqualTo(new Admission.Admitted(500));
        assertThat(quotas.admit(stream, records(500, 1))).isEqualTo(new Admission.Admitted(500));
        assertThat(quotas.admit(stream, records(500, 1))).isEqualTo(Admission.THROTTLED);
        assertThat(quotas.throttledRecords(stream)).isEqualTo(500);

        clock.advance(Duration.ofMillis(500));
        assertThat(quotas.admit(stream, records(3, 1))).isEqualTo(new Admission.Admitted(3));
        assertThat(quotas.admit(stream, records(3, 1))).isEqualTo(Admission.THROTTLED);
    }

    @Test
    void eachStreamHasItsOwnBudget() {
        ThroughputQuotas quotas = new ThroughputQuotas(records(5), clock);
        DeliveryStream other = TestStreams.plain("other");

        assertThat(quotas.admit(stream, records(5, 1))).isEqualTo(new Admission.Admitted(5));
        assertThat(quotas.admit(other, records(7, 1))).isEqualTo(new Admission.Admitted(5));
        assertThat(quotas.throttledRecords(stream)).isZero();
        assertThat(quotas.throttledRecords(other)).isEqualTo(2);

        quotas.forget(other);
        assertThat(quotas.throttledRecords(other)).isZero();
    }

    @Test
    void aClockThatGoesBackNeitherStarvesNorFloods() {
        ThroughputQuotas quotas = new ThroughputQuotas(records(10), clock);
        quotas.admit(stream, records(10, 1));

        clock.advance(Duration.ofHours(-1));
        assertThat(quotas.admit(stream, records(1, 1))).isEqualTo(Admission.THROTTLED);
        clock.advance(Duration.ofMillis(300));
        assertThat(quotas.admit(stream, records(10, 1))).isEqualTo(new Admission.Admitted(3));
    }
}
