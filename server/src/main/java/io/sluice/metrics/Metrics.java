package io.sluice.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.catalog.StreamRef;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.ToDoubleFunction;

/**
 * The server's metrics, served as Prometheus text at {@code GET /metrics}: per-stream metrics by
 * their Firehose names ({@link Metric}s such as {@link StreamMetric}), tagged with the stream's name ({@code DeliveryStreamName}),
 * account and region, and the server's own ({@link ServerMetric}). Thread-safe.
 */
public final class Metrics {
    private static final String PREFIX = "firehose.";
    private static final String STREAM_TAG = "DeliveryStreamName";
    private static final String ACCOUNT_TAG = "account";
    private static final String REGION_TAG = "region";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /**
     * Per-stream counters and timers by metric and stream, so that a put does not build and look up a
     * meter's tags and id for every metric it counts; emptied of a stream's meters by {@link #removeStream}.
     */
    private final ConcurrentMap<StreamMeter, Meter> streamMeters = new ConcurrentHashMap<>();

    private record StreamMeter(Metric metric, StreamRef stream) {}

    public void add(Metric metric, StreamRef stream, long amount) {
        requireKind(metric, Metric.Kind.COUNTER);
        Counter counter = (Counter) streamMeters.computeIfAbsent(
                new StreamMeter(metric, stream),
                key -> Counter.builder(PREFIX + metric.firehoseName())
                        .tags(tags(stream))
                        .register(registry));
        counter.increment(amount);
    }

    public void record(Metric metric, StreamRef stream, Duration duration) {
        timerOf(metric, stream).record(duration);
    }

    /**
     * The timer {@code metric} of {@code stream}, taking nanoseconds, for a hot path that records into it
     * again and again without {@link #record}'s look-up of the timer each time. Held no longer than the
     * stream's configuration: after {@link #removeStream}, what it records is not published.
     */
    public LongConsumer timer(Metric metric, StreamRef stream) {
        Timer timer = timerOf(metric, stream);
        return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timerOf(Metric metric, StreamRef stream) {
        requireKind(metric, Metric.Kind.TIMER);
        return (Timer) streamMeters.computeIfAbsent(
                new StreamMeter(metric, stream),
                key -> Timer.builder(PREFIX + metric.firehoseName())
                        .tags(tags(stream))
                        .publishPercentiles(0.5, 0.99)
                        .register(registry));
    }

    public void observe(Metric metric, StreamRef stream, double amount) {
        requireKind(metric, Metric.Kind.DISTRIBUTION);
        DistributionSummary.builder(PREFIX + metric.firehoseName())
                .tags(tags(stream))
                .publishPercentiles(0.5, 0.99)
                .register(registry)
                .record(amount);
    }

    /** Registers a per-stream gauge read on every scrape, unless the stream has it already. */
    public <T> void gauge(Metric metric, StreamRef stream, T source, ToDoubleFunction<T> value) {
        requireKind(metric, Metric.Kind.GAUGE);
        if (registry.find(PREFIX + metric.firehoseName()).tags(tags(stream)).gauge() != null) {
            return;
        }
        Gauge.builder(PREFIX + metric.firehoseName(), source, value)
                .tags(tags(stream))
                .strongReference(true)
                .register(registry);
    }

    /**
     * The current value of {@code stream}'s counter (its total since the stream's meters were made) or gauge
     * {@code metric}; 0 when the stream has none yet.
     */
    public double value(Metric metric, StreamRef stream) {
        String name = PREFIX + metric.firehoseName();
        return switch (metric.kind()) {
            case COUNTER -> {
                Counter counter = registry.find(name).tags(tags(stream)).counter();
                yield counter == null ? 0 : counter.count();
            }
            case GAUGE -> {
                Gauge gauge = registry.find(name).tags(tags(stream)).gauge();
                yield gauge == null ? 0 : gauge.value();
            }
            case TIMER, DISTRIBUTION -> throw new IllegalArgumentException(metric + " is a " + metric.kind());
        };
    }

    /** Drops every meter of a deleted stream. */
    public void removeStream(StreamRef stream) {
        streamMeters.keySet().removeIf(key -> key.stream().equals(stream));
        for (Meter meter : registry.getMeters()) {
            if (stream.name().equals(meter.getId().getTag(STREAM_TAG))
                    && stream.account().equals(meter.getId().getTag(ACCOUNT_TAG))
                    && stream.region().equals(meter.getId().getTag(REGION_TAG))) {
                registry.remove(meter);
            }
        }
    }

    private static Tags tags(StreamRef stream) {
        return Tags.of(STREAM_TAG, stream.name(), ACCOUNT_TAG, stream.account(), REGION_TAG, stream.region());
    }

    public void add(ServerMetric metric, long amount) {
        Counter.builder(metric.metricName()).register(registry).increment(amount);
    }

    public void record(ServerMetric metric, Duration duration) {
        Timer.builder(metric.metricName())
                .publishPercentiles(0.5, 0.99)
                .register(registry)
                .record(duration);
    }

    public <T> void gauge(ServerMetric metric, T source, ToDoubleFunction<T> value) {
        Gauge.builder(metric.metricName(), source, value).strongReference(true).register(registry);
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    private static void requireKind(Metric metric, Metric.Kind kind) {
        if (metric.kind() != kind) {
            throw new IllegalArgumentException(metric + " is a " + metric.kind());
        }
    }
}
