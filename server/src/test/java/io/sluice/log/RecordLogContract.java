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

                List<Long> offsets = new ArrayList<>(List.of(first.offset()));
                Optional<LogRecord> next;
                while ((next = reader.next()).isPresent()) {
                    LogRecord record = next.get();
                    assertThat(record.payloadBytes()).isEqualTo(filled(offsets.size()));
                    offsets.add(record.offset());
                }
                assertThat(offsets).hasSize(RECORDS).isSorted().doesNotHaveDuplicates();
                assertThat(kept).isEqualTo(filled(0));
            }
        }
    }

    /**
     * Offsets increase in append order, a batch's consecutively; between batches a log may leave gaps (the
     * Kafka log does), so the test takes them from the appends' results.
     */
    @Test
    void readersStartAtTheCommittedOffsetAndSeeIncreasingOffsetsInAppendOrder() throws Exception {
        StreamKey stream = new StreamKey("offsets");
        try (RecordLog log = open(directory)) {
            assertThat(log.offsets(stream)).isEmpty();
            AppendResult first = log.append(stream, List.of(text("a"), text("b")));
            AppendResult second = log.append(stream, List.of(text("c")));
            assertThat(first.recordCount()).isEqualTo(2);
            assertThat(second.recordCount()).isEqualTo(1);
            assertThat(second.firstOffset()).isGreaterThanOrEqualTo(first.endOffset());

            log.commit(stream, second.firstOffset());
            assertThat(log.offsets(stream)).hasValueSatisfying(offsets -> {
                assertThat(offsets.start()).isLessThanOrEqualTo(first.firstOffset());
                assertThat(offsets.committed()).isEqualTo(second.firstOffset());
                assertThat(offsets.end()).isGreaterThanOrEqualTo(second.endOffset());
            });
            try (StreamReader reader = log.openReader(stream)) {
                assertThat(reader.position()).isEqualTo(second.firstOffset());
                assertThat(reader.availableBytes()).isBetween(0L, 1L);
                assertThat(reader.firstUnreadArrivalMillis()).hasValue(T0);
                assertThat(reader.next().map(LogRecord::offset)).hasValue(second.firstOffset());
                assertThat(reader.position()).isGreaterThanOrEqualTo(second.endOffset());
                assertThat(reader.next()).isEmpty();
            }
            try (StreamReader reader = log.openReader(stream, first.firstOffset())) {
                List<String> read = new ArrayList<>();
                Optional<LogRecord> next;
                while ((next = reader.next()).isPresent()) {
                    read.add(next.get().offset() + ":" + new String(next.get().payloadBytes(), UTF_8));
                }
                assertThat(read)
                        .containsExactly(
                                first.firstOffset() + ":a",
                                (first.firstOffset() + 1) + ":b",
                                second.firstOffset() + ":c");
            }
            try (StreamReader reader = log.openReader(stream, first.firstOffset() + 1)) {
                assertThat(reader.next().map(r -> new String(r.payloadBytes(), UTF_8)))
                        .hasValue("b");
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
