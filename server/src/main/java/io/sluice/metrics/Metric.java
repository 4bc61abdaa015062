package io.sluice.metrics;

import static java.util.Objects.requireNonNull;

/**
 * A per-stream metric: its name as Firehose publishes it (metrics spec §2–§4) and how it is kept.
 * {@link StreamMetric} names what every stream has; each destination declares its own
 * {@code DeliveryTo…} names with {@link #counter} and {@link #gauge}.
 */
public interface Metric {
    /** The CloudWatch name, e.g. {@code DeliveryToS3.Records}. */
    String firehoseName();

    Kind kind();

    /** How a metric is kept. */
    enum Kind {
        COUNTER,
        TIMER,
        GAUGE,
        /** Observed amounts (other than durations): their count, sum, maximum and median and 99th percentile. */
        DISTRIBUTION
    }

    static Metric counter(String firehoseName) {
        return new Named(firehoseName, Kind.COUNTER);
    }

    static Metric gauge(String firehoseName) {
        return new Named(firehoseName, Kind.GAUGE);
    }

    static Metric timer(String firehoseName) {
        return new Named(firehoseName, Kind.TIMER);
    }

    /** A metric declared by its name, equal to any other of the same name and kind. */
    record Named(String firehoseName, Kind kind) implements Metric {
        public Named {
            requireNonNull(firehoseName, "firehoseName is null");
            requireNonNull(kind, "kind is null");
        }
    }
}
