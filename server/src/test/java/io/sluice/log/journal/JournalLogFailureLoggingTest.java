package io.sluice.log.journal;

import static io.sluice.log.journal.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.log.LogWriteException;
import io.sluice.log.StreamKey;
import io.sluice.testing.ManualClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A disk that keeps failing (full) while producers keep retrying must not flood the log, which often
 * lives on the same disk: a run of failed groups is logged once, and its end once.
 */
class JournalLogFailureLoggingTest {
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final StreamKey STREAM = new StreamKey("orders");

    @TempDir
    Path directory;

    @Test
    void logsARunOfFailedWritesOnceAndItsEndOnce() throws Exception {
        FaultyChannels channels = new FaultyChannels();
        Logger logger = (Logger) LoggerFactory.getLogger(JournalWriter.class.getName());
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        try (JournalLog log = JournalLog.open(
                LogConfig.defaults(directory), new ManualClock(Instant.ofEpochMilli(T0)), LogListener.NONE, channels)) {
            log.append(STREAM, batch(T0, "before"));
            channels.failWrites(20);
            for (int i = 0; i < 20; i++) {
                assertThatThrownBy(() -> log.append(STREAM, batch(T0, "refused")))
                        .isInstanceOf(LogWriteException.class);
            }
            log.append(STREAM, batch(T0, "after"));
        } finally {
            logger.detachAppender(events);
        }

        List<String> logged = events.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("record log failed") || m.contains("succeeds again"))
                .toList();
        assertThat(logged)
                .satisfiesExactly(
                        failed -> assertThat(failed).contains("failed and was rolled back", "No space left on device"),
                        recovered -> assertThat(recovered).contains("succeeds again", "20 failed groups"));
    }
}
