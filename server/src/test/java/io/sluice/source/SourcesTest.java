package io.sluice.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DeliveryStreamStatus;
import io.sluice.catalog.SourceSpec;
import io.sluice.log.LogRecord;
import io.sluice.log.StreamKey;
import io.sluice.log.StreamReader;
import io.sluice.log.journal.JournalLog;
import io.sluice.log.journal.LogConfig;
import io.sluice.log.journal.LogListener;
import io.sluice.metrics.Metrics;
import io.sluice.processor.SourceMetadata;
import io.sluice.processor.SourceMetadataHeader;
import io.sluice.testing.TestStreams;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class SourcesTest {
    private static final SourceSpec KINESIS = new SourceSpec.KinesisStream(
            "arn:aws:kinesis:us-east-1:123456789012:stream/s", "arn:aws:iam::123456789012:role/r", Optional.empty());
    private static final SourceMetadata METADATA =
            new SourceMetadata.Kinesis("shardId-000000000000", "pk", "49000000000000000001", 0);

    @TempDir
    Path dir;

    private JournalLog log;
    private Sources sources;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void open() throws IOException {
        log = JournalLog.open(LogConfig.defaults(dir.resolve("log")), Clock.systemUTC(), LogListener.NONE);
        logged.start();
        ((Logger) LoggerFactory.getLogger(SourceContext.class)).addAppender(logged);
    }

    @AfterEach
    void close() {
        ((Logger) LoggerFactory.getLogger(SourceContext.class)).detachAppender(logged);
        if (sources != null) {
            sources.close();
        }
        log.close();
    }

    /** Fails its first {@code failures} reads, then appends one record, saves its position and waits. */
    private static final class Flaky implements SourceConnector {
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger stopped = new AtomicInteger();
        private final int failures;

        Flaky(int failures) {
            this.failures = failures;
        }

        @Override
        public boolean reads(SourceSpec source) {
            return source instanceof SourceSpec.KinesisStream;
        }

        @Override
        public void read(SourceContext context) throws Exception {
            if (reads.incrementAndGet() <= failures) {
                throw new IOException("source unreachable (attempt " + reads.get() + ")");
            }
            context.reachable();
            context.sink()
                    .append(List.of(new SourceRecord(
                            1_700_000_000_000L, ByteBuffer.wrap("read".getBytes(StandardCharsets.UTF_8)), METADATA)));
            context.checkpoints().save(Map.of("shardId-000000000000", "49000000000000000001"));
            try {
                Thread.sleep(Duration.ofMinutes(5));
            } finally {
                stopped.incrementAndGet();
            }
        }
    }

    private Sources sources(SourceConnector connector) {
        sources = new Sources(
                log,
                List.of(connector),
                uid -> new FileCheckpoints(dir.resolve("sources"), uid),
                new Metrics(),
                Clock.systemUTC(),
                new Sources.Backoff(Duration.ofMillis(10), Duration.ofMillis(40)));
        return sources;
    }

    @Test
    void retriesAFailingSourceAndLogsTheOutageOnceWhenItStartsAndOnceWhenItEnds() throws Exception {
        Flaky connector = new Flaky(4);
        DeliveryStream stream = TestStreams.sourced("from-kinesis", KINESIS);

        sources(connector).start(List.of(stream));

        await().atMost(Duration.ofSeconds(10)).until(() -> records(stream).size() == 1);
        assertThat(connector.reads.get()).isEqualTo(5);
        LogRecord record = records(stream).get(0);
        assertThat(SourceMetadataHeader.metadata(record.flags(), record.payload()))
                .isEqualTo(METADATA);
        assertThat(StandardCharsets.UTF_8
                        .decode(SourceMetadataHeader.data(record.flags(), record.payload()))
                        .toString())
                .isEqualTo("read");
        assertThat(record.arrivalMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(new FileCheckpoints(dir.resolve("sources"), stream.uid()).load())
                .containsEntry("shardId-000000000000", "49000000000000000001");
        assertThat(logged.list)
                .filteredOn(e -> e.getLevel() == Level.WARN)
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("attempt 1"));
        assertThat(logged.list)
                .filteredOn(e -> e.getLevel() == Level.INFO)
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("reachable again"));
    }

    @Test
    void stopsReadingWhenTheStreamIsDeletedAndForgetsItsPositionsWhenItIsGone() {
        Flaky connector = new Flaky(0);
        DeliveryStream stream = TestStreams.sourced("deleted", KINESIS);
        Path positions = dir.resolve("sources").resolve(stream.uid() + ".json");
        sources(connector).start(List.of(stream));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(positions));

        sources.changed(stream.withStatus(DeliveryStreamStatus.DELETING));

        assertThat(connector.stopped.get()).isEqualTo(1);
        sources.removed(stream);
        assertThat(positions).doesNotExist();
        assertThat(connector.reads.get()).isEqualTo(1);
    }

    @Test
    void startsOneReaderPerStreamHoweverOftenItChanges() {
        Flaky connector = new Flaky(0);
        DeliveryStream stream = TestStreams.sourced("changing", KINESIS);
        sources(connector).start(List.of(stream));
        sources.changed(stream.withTags(new java.util.TreeMap<>(Map.of("k", "v"))));
        sources.changed(stream);

        await().atMost(Duration.ofSeconds(10)).until(() -> records(stream).size() == 1);
        assertThat(connector.reads.get()).isEqualTo(1);
    }

    @Test
    void leavesDirectPutStreamsAlone() {
        Flaky connector = new Flaky(0);
        sources(connector).start(List.of(TestStreams.plain("direct")));

        sources.close();
        sources = null;
        assertThat(connector.reads.get()).isZero();
    }

    private List<LogRecord> records(DeliveryStream stream) throws IOException {
        List<LogRecord> records = new ArrayList<>();
        if (log.offsets(new StreamKey(stream.uid())).isEmpty()) {
            return records;
        }
        try (StreamReader reader = log.openReader(new StreamKey(stream.uid()), 0)) {
            Optional<LogRecord> next;
            while ((next = reader.next()).isPresent()) {
                LogRecord record = next.get();
                records.add(new LogRecord(
                        record.offset(),
                        record.arrivalMillis(),
                        record.flags(),
                        ByteBuffer.wrap(record.payloadBytes())));
            }
        }
        return records;
    }
}
