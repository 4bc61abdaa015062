package io.sluice.source;

import static java.util.Objects.requireNonNull;

import io.sluice.log.AppendRecord;
import io.sluice.log.LogClosedException;
import io.sluice.log.LogException;
import io.sluice.log.RecordLog;
import io.sluice.log.StreamDeletedException;
import io.sluice.log.StreamKey;
import io.sluice.processor.SourceMetadataHeader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a source reader's records go: its stream's log, each record with its {@link
 * io.sluice.processor.SourceMetadata} in a {@link SourceMetadataHeader}. An append waits out a log that is
 * full or failing (retrying with backoff, as a put's client would), so a reader never skips a record it
 * could not store.
 */
public final class SourceSink {
    private static final Logger LOG = LoggerFactory.getLogger(SourceSink.class);

    /** Payload bytes per log append: well below the journal's bound on a batch (16 MiB encoded). */
    static final int MAX_APPEND_BYTES = 4 << 20;

    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);

    private final RecordLog log;
    private final StreamKey stream;

    public SourceSink(RecordLog log, StreamKey stream) {
        this.log = requireNonNull(log, "log is null");
        this.stream = requireNonNull(stream, "stream is null");
    }

    /**
     * Appends {@code records} in order; durable when it returns.
     *
     * @throws StreamDeletedException the stream was deleted: stop reading
     * @throws LogClosedException Sluice is stopping: stop reading
     * @throws InterruptedException interrupted while waiting; some of the records may be appended
     */
    public void append(List<SourceRecord> records) throws InterruptedException {
        List<AppendRecord> batch = new ArrayList<>();
        int bytes = 0;
        for (SourceRecord record : records) {
            if (!batch.isEmpty() && bytes + record.data().remaining() > MAX_APPEND_BYTES) {
                appendDurably(batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(new AppendRecord(
                    SourceMetadataHeader.prepend(record.metadata(), record.data()),
                    record.arrivalMillis(),
                    SourceMetadataHeader.flags(record.metadata())));
            bytes += record.data().remaining();
        }
        if (!batch.isEmpty()) {
            appendDurably(batch);
        }
    }

    private void appendDurably(List<AppendRecord> batch) throws InterruptedException {
        Duration wait = FIRST_RETRY;
        while (true) {
            try {
                log.append(stream, batch);
                return;
            } catch (StreamDeletedException | LogClosedException e) {
                throw e;
            } catch (LogException e) {
                LOG.warn(
                        "Appending records read from the source of stream {} failed; retrying in {}: {}",
                        stream,
                        wait,
                        e.getMessage());
                Thread.sleep(wait);
                wait = wait.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait.multipliedBy(2);
            }
        }
    }
}
