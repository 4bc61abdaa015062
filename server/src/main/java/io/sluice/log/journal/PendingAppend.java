package io.sluice.log.journal;

import io.sluice.log.AppendRecord;
import io.sluice.log.AppendResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One append waiting for the writer: the records, what the frame encoder needs to know about them
 * (computed once, on the caller's thread), and the future the writer completes.
 */
final class PendingAppend implements JournalWriter.Task {
    private final StreamState stream;
    private final List<AppendRecord> records;
    private final long payloadBytes;
    private final long minArrivalMillis;
    private final long arrivalSpanMillis;
    private final int attributes;
    private final int batchFlags;
    private final int maxFrameSize;
    private final CompletableFuture<AppendResult> result = new CompletableFuture<>();

    PendingAppend(StreamState stream, List<AppendRecord> records) {
        this.stream = stream;
        this.records = List.copyOf(records);
        if (this.records.isEmpty()) {
            throw new IllegalArgumentException("a batch has at least one record");
        }
        long bytes = 0;
        long minArrival = Long.MAX_VALUE;
        long maxArrival = Long.MIN_VALUE;
        int firstFlags = this.records.get(0).flags();
        boolean uniformFlags = true;
        long lengthBytes = 0;
        for (AppendRecord record : this.records) {
            int length = record.payload().remaining();
            bytes += length;
            lengthBytes += VarInt.size(length);
            minArrival = Math.min(minArrival, record.arrivalMillis());
            maxArrival = Math.max(maxArrival, record.arrivalMillis());
            uniformFlags &= record.flags() == firstFlags;
        }
        long recordsSection = bytes + lengthBytes;
        int attrs = 0;
        if (!uniformFlags) {
            attrs |= FrameFormat.ATTR_RECORD_FLAGS;
            recordsSection += this.records.size();
        }
        if (maxArrival != minArrival) {
            attrs |= FrameFormat.ATTR_RECORD_ARRIVAL;
            for (AppendRecord record : this.records) {
                recordsSection += VarInt.size(record.arrivalMillis() - minArrival);
            }
        }
        long bodyBound = FrameFormat.MAX_BATCH_HEADER + recordsSection;
        if (bodyBound > FrameFormat.MAX_FRAME_BODY) {
            throw new IllegalArgumentException("a batch encodes to at most " + FrameFormat.MAX_FRAME_BODY
                    + " bytes; this one needs up to " + bodyBound);
        }
        this.payloadBytes = bytes;
        this.minArrivalMillis = minArrival;
        this.arrivalSpanMillis = maxArrival - minArrival;
        this.attributes = attrs;
        this.batchFlags = uniformFlags ? firstFlags : 0;
        this.maxFrameSize = (int) (FrameFormat.FRAME_PREFIX_SIZE + bodyBound);
    }

    StreamState stream() {
        return stream;
    }

    List<AppendRecord> records() {
        return records;
    }

    long payloadBytes() {
        return payloadBytes;
    }

    long minArrivalMillis() {
        return minArrivalMillis;
    }

    long arrivalSpanMillis() {
        return arrivalSpanMillis;
    }

    int attributes() {
        return attributes;
    }

    int batchFlags() {
        return batchFlags;
    }

    /** Upper bound of the encoded batch frame, prefix included. */
    int maxFrameSize() {
        return maxFrameSize;
    }

    CompletableFuture<AppendResult> result() {
        return result;
    }
}
