package io.sluice.ingest.crypto;

/** The bits of a record's log flags (see {@code io.sluice.log.AppendRecord#flags}) that ingest uses. */
public final class RecordFlags {
    /** Bit 0: the payload is an encrypted record (layout in the package documentation). */
    public static final int ENCRYPTED = 1;

    private RecordFlags() {}

    public static boolean encrypted(int flags) {
        return (flags & ENCRYPTED) != 0;
    }
}
