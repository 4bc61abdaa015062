package io.sluice.common;

import java.util.Locale;

/**
 * An amount of bytes. Configuration converts its units ({@code SizeInMBs}, "128 MiB") into this
 * once, at the edge; everything inside compares and adds plain bytes.
 */
public record DataSize(long bytes) implements Comparable<DataSize> {
    private static final long KIB = 1024L;
    private static final long MIB = KIB * 1024L;
    private static final long GIB = MIB * 1024L;

    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a data size is never negative: " + bytes);
        }
    }

    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    public static DataSize ofKibibytes(long kibibytes) {
        return new DataSize(Math.multiplyExact(kibibytes, KIB));
    }

    public static DataSize ofMebibytes(long mebibytes) {
        return new DataSize(Math.multiplyExact(mebibytes, MIB));
    }

    public static DataSize ofGibibytes(long gibibytes) {
        return new DataSize(Math.multiplyExact(gibibytes, GIB));
    }

    @Override
    public int compareTo(DataSize other) {
        return Long.compare(bytes, other.bytes);
    }

    /** Exact and short: {@code 128 MiB}, {@code 1536 B}. */
    @Override
    public String toString() {
        if (bytes != 0 && bytes % GIB == 0) {
            return String.format(Locale.ROOT, "%d GiB", bytes / GIB);
        }
        if (bytes != 0 && bytes % MIB == 0) {
            return String.format(Locale.ROOT, "%d MiB", bytes / MIB);
        }
        if (bytes != 0 && bytes % KIB == 0) {
            return String.format(Locale.ROOT, "%d KiB", bytes / KIB);
        }
        return bytes + " B";
    }
}
