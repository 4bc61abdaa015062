package io.sluice.source;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.CatalogListener;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DeliveryStreamStatus;
import io.sluice.catalog.SourceSpec;
import io.sluice.log.LogClosedException;
import io.sluice.log.RecordLog;
import io.sluice.log.StreamDeletedException;
import io.sluice.log.StreamKey;
import io.sluice.metrics.Metrics;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one reader thread per ACTIVE stream that reads a source (Kinesis data stream, Kafka topic), following
 * the catalog: a stream that becomes ACTIVE starts reading, one being deleted stops, and a deleted stream's
 * positions are forgotten. {@code checkpoints} gives each stream's (by uid) positions. A reader that fails is run again after a backoff (doubling from {@code
 * minBackoff} to {@code maxBackoff}), resuming from its saved positions.
 */
public final class Sources implements CatalogListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sources.class);

    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    /** How a reader is retried. */
    public record Backoff(Duration min, Duration max) {
        public Backoff {
            requireNonNull(min, "min is null");
            requireNonNull(max, "max is null");
            if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("backoff must be positive and max at least min");
            }
        }
    }

    private final RecordLog log;
    private final List<SourceConnector> connectors;
    private final Function<String, Checkpoints> checkpoints;
    private final Metrics metrics;
    private final Clock clock;
    private final Backoff backoff;
    private final Map<String, Thread> readers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public Sources(
            RecordLog log,
            List<SourceConnector> connectors,
            Function<String, Checkpoints> checkpoints,
            Metrics metrics,
            Clock clock,
            Backoff backoff) {
        this.log = requireNonNull(log, "log is null");
        this.connectors = List.copyOf(connectors);
        this.checkpoints = requireNonNull(checkpoints, "checkpoints is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.backoff = requireNonNull(backoff, "backoff is null");
    }

    /** Starts reading for the streams that exist at start. */
    public void start(Collection<DeliveryStream> streams) {
        streams.forEach(this::changed);
    }

    @Override
    public void changed(DeliveryStream stream) {
        if (closed || stream.source().isEmpty()) {
            return;
        }
        if (stream.status() == DeliveryStreamStatus.ACTIVE) {
            readers.computeIfAbsent(stream.uid(), uid -> startReader(stream));
        } else if (stream.status() == DeliveryStreamStatus.DELETING) {
            stop(stream.uid());
        }
    }

    /** Stops reading the stream's source, its positions kept (another node takes the stream over). */
    public void release(DeliveryStream stream) {
        stop(stream.uid());
    }

    @Override
    public void removed(DeliveryStream stream) {
        if (stream.source().isEmpty()) {
            return;
        }
        stop(stream.uid());
        try {
            checkpoints(stream).delete();
        } catch (IOException e) {
            LOG.warn(
                    "Deleting the source positions of deleted stream {} failed",
                    stream.ref().arn(),
                    e);
        }
    }

    @Override
    public void close() {
        closed = true;
        List.copyOf(readers.keySet()).forEach(this::stop);
        connectors.forEach(SourceConnector::close);
    }

    /** The stream's reader, started; null (no reader) if no connector reads its source. */
    private Thread startReader(DeliveryStream stream) {
        SourceSpec source = stream.source().orElseThrow();
        Optional<SourceConnector> reading =
                connectors.stream().filter(c -> c.reads(source)).findFirst();
        if (reading.isEmpty()) {
            LOG.error(
                    "Nothing reads the source {} of delivery stream {}",
                    source.sourceArn(),
                    stream.ref().arn());
            return null;
        }
        SourceConnector connector = reading.get();
        SourceContext context = new SourceContext(
                stream, new SourceSink(log, new StreamKey(stream.uid())), checkpoints(stream), metrics, clock);
        return Thread.ofPlatform()
                .daemon()
                .name("source-" + stream.ref().name())
                .start(() -> readUntilStopped(connector, context));
    }

    private void readUntilStopped(SourceConnector connector, SourceContext context) {
        Duration wait = backoff.min();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                connector.read(context);
                wait = backoff.min();
            } catch (InterruptedException | StreamDeletedException | LogClosedException e) {
                return;
            } catch (Exception e) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                context.failed(e);
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException stopped) {
                    return;
                }
                wait = wait.multipliedBy(2).compareTo(backoff.max()) > 0 ? backoff.max() : wait.multipliedBy(2);
            }
        }
    }

    private void stop(String uid) {
        Thread reader = readers.remove(uid);
        if (reader == null) {
            return;
        }
        reader.interrupt();
        try {
            if (!reader.join(STOP_WAIT)) {
                LOG.warn("The source reader {} did not stop within {}", reader.getName(), STOP_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Checkpoints checkpoints(DeliveryStream stream) {
        return checkpoints.apply(stream.uid());
    }
}
