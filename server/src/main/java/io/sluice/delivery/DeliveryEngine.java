package io.sluice.delivery;

import io.sluice.catalog.CatalogListener;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DeliveryStreamStatus;
import io.sluice.destination.BackupStore;
import io.sluice.destination.DestinationRegistry;
import io.sluice.log.RecordLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link StreamPipeline} per ACTIVE delivery stream, following the catalog: a stream that
 * becomes ACTIVE starts delivering, a changed destination applies from the next batch, a stream being
 * deleted stops.
 */
public final class DeliveryEngine implements CatalogListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);

    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final StreamPipeline.Context context;
    private final Map<String, StreamPipeline> pipelines = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public DeliveryEngine(
            RecordLog log,
            DestinationRegistry destinations,
            BackupStore backups,
            RecordPayloads payloads,
            DeliveryListener listener,
            DeliveryConfig config,
            Clock clock,
            RandomGenerator random) {
        this.context =
                new StreamPipeline.Context(log, destinations, backups, payloads, listener, config, clock, random);
        emptyStaging(config.stagingDirectory());
    }

    /** Starts delivering the streams that exist at start. */
    public void start(Collection<DeliveryStream> streams) {
        streams.forEach(this::changed);
    }

    @Override
    public void changed(DeliveryStream stream) {
        if (closed) {
            return;
        }
        StreamPipeline pipeline = pipelines.get(stream.uid());
        if (stream.status() == DeliveryStreamStatus.ACTIVE) {
            if (pipeline == null) {
                StreamPipeline started = new StreamPipeline(stream, context);
                pipelines.put(stream.uid(), started);
                started.start();
            } else {
                pipeline.update(stream);
            }
        } else if (stream.status() == DeliveryStreamStatus.DELETING) {
            stop(stream);
        }
    }

    @Override
    public void removed(DeliveryStream stream) {
        stop(stream);
    }

    /**
     * Stops delivering the stream for now (another node takes it over): batches under way finish or are
     * given up, and what is not committed is delivered again by the next owner.
     */
    public void release(DeliveryStream stream) {
        stop(stream);
    }

    private void stop(DeliveryStream stream) {
        StreamPipeline pipeline = pipelines.remove(stream.uid());
        if (pipeline != null) {
            pipeline.stop();
        }
    }

    @Override
    public void close() {
        closed = true;
        stopEvery();
    }

    /**
     * Stops every pipeline, waits for them (a few seconds each at most) and empties the staging
     * directory; a stream that changes afterwards starts a new one. For a reset, called while the
     * catalog changes nothing.
     */
    public void stopAll() {
        if (stopEvery()) {
            emptyStaging(context.config().stagingDirectory());
        }
    }

    /** False when interrupted while waiting (the interrupt is kept). */
    private boolean stopEvery() {
        List<StreamPipeline> running = List.copyOf(pipelines.values());
        pipelines.clear();
        running.forEach(StreamPipeline::stop);
        for (StreamPipeline pipeline : running) {
            try {
                pipeline.awaitStopped(STOP_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static void emptyStaging(Path directory) {
        try {
            Files.createDirectories(directory);
            try (Stream<Path> leftovers = Files.walk(directory)) {
                leftovers
                        .sorted(Comparator.reverseOrder())
                        .filter(p -> !p.equals(directory))
                        .forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the staging directory " + directory, e);
        }
        LOG.debug("Staging directory {} is empty", directory);
    }
}
