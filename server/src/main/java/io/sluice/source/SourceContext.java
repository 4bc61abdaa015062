package io.sluice.source;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.SourceSpec;
import io.sluice.metrics.Metrics;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link SourceConnector} reads one stream's source with: the stream, where its records and
 * positions go, its metrics and the clock. It also keeps the source's health, so that an outage is logged
 * once when it starts and once when it ends, however many attempts fail in between.
 */
public final class SourceContext {
    private static final Logger LOG = LoggerFactory.getLogger(SourceContext.class);

    private final DeliveryStream stream;
    private final SourceSink sink;
    private final Checkpoints checkpoints;
    private final Metrics metrics;
    private final Clock clock;
    private volatile boolean down;

    public SourceContext(
            DeliveryStream stream, SourceSink sink, Checkpoints checkpoints, Metrics metrics, Clock clock) {
        this.stream = requireNonNull(stream, "stream is null");
        this.sink = requireNonNull(sink, "sink is null");
        this.checkpoints = requireNonNull(checkpoints, "checkpoints is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (stream.source().isEmpty()) {
            throw new IllegalArgumentException("stream " + stream.ref().arn() + " has no source");
        }
    }

    public DeliveryStream stream() {
        return stream;
    }

    public SourceSpec source() {
        return stream.source().orElseThrow();
    }

    public SourceSink sink() {
        return sink;
    }

    public Checkpoints checkpoints() {
        return checkpoints;
    }

    public Metrics metrics() {
        return metrics;
    }

    public Clock clock() {
        return clock;
    }

    /** The source answered: ends an outage if there was one. */
    public void reachable() {
        if (down) {
            down = false;
            LOG.info(
                    "The source {} of delivery stream {} is reachable again",
                    source().sourceArn(),
                    stream.ref().name());
        }
    }

    /** Reading failed: starts an outage (logged) or continues one (not logged again). */
    void failed(Exception failure) {
        if (!down) {
            down = true;
            LOG.warn(
                    "Reading the source {} of delivery stream {} failed; retrying with backoff until it answers: {}",
                    source().sourceArn(),
                    stream.ref().name(),
                    String.valueOf(failure));
        } else {
            LOG.debug(
                    "Reading the source {} of delivery stream {} failed again: {}",
                    source().sourceArn(),
                    stream.ref().name(),
                    String.valueOf(failure));
        }
    }
}
