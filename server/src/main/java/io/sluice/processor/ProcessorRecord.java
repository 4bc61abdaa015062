package io.sluice.processor;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;

/**
 * A record in the processor stage. {@code position} is the offset in its stream's log of the record it
 * came from; {@code subsequence} numbers the records a processor split out of one (0 for a record not
 * split); {@code arrivalMillis} is when the source record was accepted. {@code data} is the bytes from
 * its position to its limit; who receives a record may read them only during the call that hands it
 * over (they may be a view of a buffer that is reused), and copies what it keeps. {@code source} is what
 * the record's source said of it (for the Lambda event), kept by every processor.
 */
public record ProcessorRecord(
        long position,
        int subsequence,
        long arrivalMillis,
        ByteBuffer data,
        PartitionKeys partitionKeys,
        SourceMetadata source) {
    public ProcessorRecord {
        requireNonNull(data, "data is null");
        requireNonNull(partitionKeys, "partitionKeys is null");
        requireNonNull(source, "source is null");
        if (position < 0 || subsequence < 0) {
            throw new IllegalArgumentException("position and subsequence must not be negative");
        }
    }

    /** A record of the log as it enters the stage: not split, no partition keys. */
    public static ProcessorRecord source(long position, long arrivalMillis, ByteBuffer data) {
        return source(position, arrivalMillis, data, SourceMetadata.PUT);
    }

    /** A record of the log as it enters the stage, with what its source said of it. */
    public static ProcessorRecord source(long position, long arrivalMillis, ByteBuffer data, SourceMetadata source) {
        return new ProcessorRecord(position, 0, arrivalMillis, data, PartitionKeys.NONE, source);
    }

    /** This record with other data; everything else kept. */
    public ProcessorRecord withData(ByteBuffer newData) {
        return new ProcessorRecord(position, subsequence, arrivalMillis, newData, partitionKeys, source);
    }

    /** This record with other partition keys; everything else kept. */
    public ProcessorRecord withPartitionKeys(PartitionKeys keys) {
        return new ProcessorRecord(position, subsequence, arrivalMillis, data, keys, source);
    }

    /**
     * The {@code index}-th record split out of this one by a processor that splits a record into at most
     * {@code fanOut}. Its subsequence number is {@code subsequence * fanOut + index}: records split out of
     * records split before stay distinct and in order (a CloudWatch Logs event de-aggregated again).
     *
     * @throws ArithmeticException when the subsequence number would overflow an {@code int}
     */
    public ProcessorRecord split(int fanOut, int index, ByteBuffer part) {
        if (index < 0 || index >= fanOut) {
            throw new IllegalArgumentException("index must be from 0 to fanOut - 1: " + index + " of " + fanOut);
        }
        int number = Math.addExact(Math.multiplyExact(subsequence, fanOut), index);
        return new ProcessorRecord(position, number, arrivalMillis, part, partitionKeys, source);
    }

    /** A copy whose data is its own heap buffer, for a processor that keeps records across calls. */
    public ProcessorRecord copy() {
        ByteBuffer own = ByteBuffer.allocate(data.remaining());
        own.put(data.duplicate()).flip();
        return withData(own);
    }
}
