package io.sluice.metrics;

/**
 * A per-stream metric: its name as Firehose publishes it (metrics spec §2–§4) and how it is kept.
 * Implemented by enums of typed names: {@link StreamMetric} for what every stream has, and each
 * destination's own for its {@code DeliveryTo…} names.
 */
public interface Metric {
    /** The CloudWatch name, e.g. {@code DeliveryToS3.Records}. */
    String firehoseName();

    Kind kind();

    /** How a metric is kept. */
    enum Kind {
        COUNTER,
        TIMER,
        GAUGE
    }
}
