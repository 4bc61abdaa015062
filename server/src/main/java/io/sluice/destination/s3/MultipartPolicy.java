package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import io.sluice.common.DataSize;

/**
 * When an object is uploaded in parts: bodies of at least {@code threshold} bytes go up as a multipart
 * upload of {@code partSize} parts (the last one shorter), smaller ones as one {@code PutObject}.
 * S3 needs parts of 5 MiB to 5 GiB and at most 10,000 of them; a body that would need more parts
 * gets larger ones.
 */
public record MultipartPolicy(DataSize threshold, DataSize partSize) {
    public static final DataSize MIN_PART_SIZE = DataSize.ofMebibytes(5);
    public static final DataSize MAX_PART_SIZE = DataSize.ofMebibytes(5 * 1024);
    public static final int MAX_PARTS = 10_000;

    /** 16 MiB parts for bodies of 16 MiB or more. */
    public static final MultipartPolicy DEFAULT =
            new MultipartPolicy(DataSize.ofMebibytes(16), DataSize.ofMebibytes(16));

    public MultipartPolicy {
        requireNonNull(threshold, "threshold is null");
        requireNonNull(partSize, "partSize is null");
        if (partSize.compareTo(MIN_PART_SIZE) < 0 || partSize.compareTo(MAX_PART_SIZE) > 0) {
            throw new IllegalArgumentException("partSize must be between 5 MiB and 5 GiB: " + partSize);
        }
        if (threshold.bytes() < 1) {
            throw new IllegalArgumentException("threshold must be at least one byte");
        }
    }

    /** Whether a body of {@code size} is uploaded in parts. */
    public boolean usesParts(DataSize size) {
        return size.compareTo(threshold) >= 0;
    }

    /** The part size for a body of {@code size}: {@code partSize}, or more to stay within 10,000 parts. */
    public long partBytes(DataSize size) {
        long needed = (size.bytes() + MAX_PARTS - 1) / MAX_PARTS;
        return Math.max(partSize.bytes(), needed);
    }
}
