package io.sluice.log;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link RecordLog} promises its callers, for each implementation to run through a
 * subclass that opens one. Only the port's contract: each implementation's own tests cover the rest.
 */
public abstract class RecordLogContract {
    /**
     * Arrival of every record: now, so that a log's retention (the journal's timer checks it every ten seconds,
     * at times the test does not control) never drops them mid-test.
     */
    private static final long T0 = Instant.now().toEpochMilli();
    /** Records large enough that reading them all goes through a reader's buffers many times over. */
    private static final int RECORD_BYTES = 20 * 1024;

    private static final int RECORDS = 40;

    @TempDir
    Path directory;

    /** A new, empty log in {@code directory}. */
    protected abstract RecordLog open(Path directory) throws Exception;

    @Test
    void aPayloadIsValidUntilTheNextCallAndACopyOutlivesIt() throws Exception {
        StreamKey stream = new StreamKey("payloads");
        try (RecordLog log = open(directory)) {
            for (int i = 0; i < RECORDS; i++) {
                log.append(stream, List.of(AppendRecord.of(filled(i), T0)));
            }
            try (StreamReader reader = log.openReader(stream)) {
                LogRecord peeked = reader.peek().orElseThrow();
                assertThat(peeked.payloadBytes()).isEqualTo(filled(0));
                LogRecord first = reader.next().orElseThrow();
                assertThat(first.offset()).isEqualTo(peeked.offset());
                assertThat(first.payloadBytes()).isEqualTo(filled(0));
                byte[] kept = first.payloadBytes();

                List<Long> offsets = new ArrayList<>();
                Optional<LogRecord> next;
                while ((next = reader.next()).isPresent()) {
                    LogRecord record = next.get();
                    assertThat(record.payloadBytes()).isEqualTo(filled((int) record.offset()));
                    offsets.add(record.offset());
                }
                assertThat(offsets).hasSize(RECORDS - 1);
                assertThat(kept).isEqualTo(filled(0));
            }
        }
    }

    @Test
    void readersStartAtTheCommittedOffsetAndSeeDenseOffsetsInAppendOrder() throws Exception {
        StreamKey stream = new StreamKey("offsets");
        try (RecordLog log = open(directory)) {
            assertThat(log.offsets(stream)).isEmpty();
            AppendResult first = log.append(stream, List.of(text("a"), text("b")));
            AppendResult second = log.append(stream, List.of(text("c")));
            assertThat(first).isEqualTo(new AppendResult(0, 2));
            assertThat(second).isEqualTo(new AppendResult(2, 1));

            log.commit(stream, 2);
            assertThat(log.offsets(stream)).hasValueSatisfying(offsets -> {
                assertThat(offsets.committed()).isEqualTo(2);
                assertThat(offsets.end()).isEqualTo(3);
            });
            try (StreamReader reader = log.openReader(stream)) {
                assertThat(reader.position()).isEqualTo(2);
                assertThat(reader.availableBytes()).isBetween(0L, 1L);
                assertThat(reader.firstUnreadArrivalMillis()).hasValue(T0);
                assertThat(reader.next().map(LogRecord::offset)).hasValue(2L);
                assertThat(reader.next()).isEmpty();
            }
            try (StreamReader reader = log.openReader(stream, 0)) {
                List<String> read = new ArrayList<>();
                Optional<LogRecord> next;
                while ((next = reader.next()).isPresent()) {
                    read.add(next.get().offset() + ":" + new String(next.get().payloadBytes(), UTF_8));
                }
                assertThat(read).containsExactly("0:a", "1:b", "2:c");
            }
        }
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[RECORD_BYTES];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static AppendRecord text(String text) {
        return new AppendRecord(ByteBuffer.wrap(text.getBytes(UTF_8)), T0, 0);
    }
}
