package io.sluice.common;

/** A number of bytes; AWS's MB hints are mebibytes and are converted once, at the edge. */
public record DataSize(long bytes) implements Comparable<DataSize> {
    private static final long MIB = 1024L * 1024L;

    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes is negative: " + bytes);
        }
    }

    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    public static DataSize ofMebibytes(long mebibytes) {
        return new DataSize(Math.multiplyExact(mebibytes, MIB));
    }

    /** Whole mebibytes; only exact for sizes made by {@link #ofMebibytes}. */
    public long toMebibytes() {
        return bytes / MIB;
    }

    /** Parses {@code 123}, {@code 64KiB}, {@code 8MiB}, {@code 2GiB} (also KB/MB/GB, read as binary units). */
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
        long unit = switch (t.substring(split).trim().toUpperCase(java.util.Locale.ROOT)) {
            case "", "B" -> 1L;
            case "K", "KB", "KIB" -> 1024L;
            case "M", "MB", "MIB" -> MIB;
            case "G", "GB", "GIB" -> MIB * 1024L;
            default -> throw new IllegalArgumentException("unknown size unit in '" + text + "'");
        };
        return new DataSize(Math.multiplyExact(number, unit));
    }

    @Override
    public int compareTo(DataSize other) {
        return Long.compare(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return bytes + "B";
    }
}
