package io.sluice.bench;

import java.util.Locale;

/** A number of bytes, written {@code 100}, {@code 100B}, {@code 1KiB}, {@code 4MiB} (KB/MB read as binary units). */
public record ByteSize(long bytes) {
    private static final long KIB = 1024L;
    private static final long MIB = KIB * KIB;

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes is negative: " + bytes);
        }
    }

    public static ByteSize ofBytes(long bytes) {
        return new ByteSize(bytes);
    }

    public static ByteSize parse(String text) {
        String t = text.strip();
        int split = 0;
        while (split < t.length() && Character.isDigit(t.charAt(split))) {
            split++;
        }
        if (split == 0) {
            throw new IllegalArgumentException("not a size: '" + text + "'");
        }
        long unit = switch (t.substring(split).strip().toUpperCase(Locale.ROOT)) {
            case "", "B" -> 1L;
            case "K", "KB", "KIB" -> KIB;
            case "M", "MB", "MIB" -> MIB;
            case "G", "GB", "GIB" -> MIB * KIB;
            default -> throw new IllegalArgumentException("unknown size unit in '" + text + "'");
        };
        return new ByteSize(Math.multiplyExact(Long.parseLong(t.substring(0, split)), unit));
    }

    /** {@code 512 B}, {@code 1.0 KiB}, {@code 345.6 MiB}. */
    public String human() {
        if (bytes < KIB) {
            return bytes + " B";
        }
        if (bytes < MIB) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / (double) KIB);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
    }

    @Override
    public String toString() {
        return bytes + "B";
    }
}
