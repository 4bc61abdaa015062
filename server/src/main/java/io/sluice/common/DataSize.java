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

    /** Whole mebibytes; exact for sizes made by {@link #ofMebibytes}. */
    public long toMebibytes() {
        return bytes / MIB;
    }

    /** Parses {@code 123}, {@code 64KiB}, {@code 8MiB}, {@code 2GiB} (KB, MB and GB are read as binary units). */
    public static DataSize parse(String text) {
        String t = text.trim();
        int split = 0;
        while (split < t.length() && Character.isDigit(t.charAt(split))) {
            split++;
        }
        if (split == 0) {
            throw new IllegalArgumentException("not a size: '" + text + "'");
        }
        long number = Long.parseLong(t.substring(0, split));
        long unit = switch (t.substring(split).trim().toUpperCase(Locale.ROOT)) {
            case "", "B" -> 1L;
            case "K", "KB", "KIB" -> KIB;
            case "M", "MB", "MIB" -> MIB;
            case "G", "GB", "GIB" -> GIB;
            default -> throw new IllegalArgumentException("unknown size unit in '" + text + "'");
        };
        return new DataSize(Math.multiplyExact(number, unit));
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
