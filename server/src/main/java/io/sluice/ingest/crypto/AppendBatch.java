package io.sluice.ingest.crypto;

import io.sluice.log.AppendRecord;
import java.util.List;

/**
 * What to append to the log for one put: the records as stored, and whether they are encrypted (the
 * {@code Encrypted} of the put's answer).
 */
public record AppendBatch(List<AppendRecord> records, boolean encrypted) {
    public AppendBatch {
        records = List.copyOf(records);
    }
}
