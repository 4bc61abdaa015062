package io.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.catalog.DeliveryStream;
import io.sluice.testing.ManualClock;
import io.sluice.testing.TestStreams;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsHistoryTest {
    private final ManualClock clock = new ManualClock(TestStreams.CREATED.plus(Duration.ofDays(1)));
    private final double[] now = new double[Series.values().length];
    private final MetricsHistory history = new MetricsHistory(stream -> now.clone(), clock);
    private final DeliveryStream stream = TestStreams.plain("graphed");

    @Test
    void aCounterIsGraphedAsItsIncreasePerMinuteAndAGaugeAsItsValue() {
        set(Series.INCOMING_RECORDS, 10);
        set(Series.BACKLOG_BYTES, 300);
        minute();
        set(Series.INCOMING_RECORDS, 25);
        set(Series.BACKLOG_BYTES, 100);
        minute();
        set(Series.INCOMING_RECORDS, 27);

        assertThat(values(Series.INCOMING_RECORDS)).containsExactly(10.0, 15.0, 2.0);
        assertThat(values(Series.BACKLOG_BYTES)).containsExactly(300.0, 100.0, 100.0);
    }

    @Test
    void keepsOneHourOfPointsAndTheOneBeingFilled() {
        for (int i = 1; i <= 90; i++) {
            set(Series.DELIVERED_RECORDS, i * 2);
            minute();
        }
        List<MetricsHistory.Point> points = history.points(stream, Series.DELIVERED_RECORDS);
        assertThat(points).hasSize(MetricsHistory.POINTS + 1);
        assertThat(points.getFirst().at()).isEqualTo(clock.instant().minus(Duration.ofMinutes(59)));
        assertThat(points.subList(1, MetricsHistory.POINTS)).allMatch(p -> p.value() == 2.0);
    }

    @Test
    void ratesArePerSecondOverTheMinuteBeingFilledOrTheLastClosedOneWhileItIsYoung() {
        minute();
        set(Series.INCOMING_BYTES, 6_000);
        minute();
        clock.advance(Duration.ofSeconds(5));
        set(Series.INCOMING_BYTES, 6_050);
        assertThat(history.rate(stream, Series.INCOMING_BYTES)).isEqualTo(100.0);
        clock.advance(Duration.ofSeconds(45));
        assertThat(history.rate(stream, Series.INCOMING_BYTES)).isEqualTo(1.0);
    }

    @Test
    void aCounterThatStartedAgainNeverGoesNegative() {
        set(Series.FAILED_RECORDS, 40);
        minute();
        set(Series.FAILED_RECORDS, 3);
        assertThat(values(Series.FAILED_RECORDS)).containsExactly(40.0, 0.0);
    }

    private void minute() {
        clock.advance(Duration.ofMinutes(1));
        history.sample(List.of(stream));
    }

    private void set(Series series, double value) {
        now[series.ordinal()] = value;
    }

    private List<Double> values(Series series) {
        return history.points(stream, series).stream()
                .map(MetricsHistory.Point::value)
                .toList();
    }
}
