package io.sluice.log.journal;

import io.sluice.log.AppendRecord;
import io.sluice.log.LogRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Building and reading back records in tests. */
final class TestRecords {
    private TestRecords() {}

    static List<AppendRecord> batch(long arrivalMillis, String... payloads) {
        List<AppendRecord> records = new ArrayList<>();
        for (String payload : payloads) {
            records.add(AppendRecord.of(payload.getBytes(StandardCharsets.UTF_8), arrivalMillis));
        }
        return records;
    }

    static String text(LogRecord record) {
        return new String(record.payloadBytes(), StandardCharsets.UTF_8);
    }

    /** Everything the reader has now, in order, with copies of the payloads (they outlive the read). */
    static List<LogRecord> drain(JournalReader reader) {
        List<LogRecord> records = new ArrayList<>();
        while (true) {
            var next = reader.next();
            if (next.isEmpty()) {
                return records;
            }
            records.add(copy(next.get()));
        }
    }

    /** The record with a payload of its own. */
    static LogRecord copy(LogRecord record) {
        return new LogRecord(
                record.offset(), record.arrivalMillis(), record.flags(), ByteBuffer.wrap(record.payloadBytes()));
    }

    static List<String> texts(List<LogRecord> records) {
        return records.stream().map(TestRecords::text).toList();
    }
}
