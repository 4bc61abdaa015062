package io.sluice.processor;

import static java.util.Objects.requireNonNull;

import io.sluice.common.DataSize;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * {@code Decompression} with {@code CompressionFormat} {@code GZIP} (delivery spec §6.4), the only
 * format: gunzips each record, as CloudWatch Logs subscriptions send them. A record may hold several gzip
 * members one after the other (RFC 1952 §2.2); their contents are joined. Each member's CRC-32 and length
 * are checked, and nothing may follow the last member.
 *
 * <p>A record that is not gzip (an empty one included), is truncated or corrupt fails with error code
 * {@value #INVALID_DATA}; one that inflates to more than the limit (a "gzip bomb") with
 * {@value #TOO_LARGE}. It goes, as received, to the error output under {@value #FAILED} (delivery spec
 * §6.4.3), in the Lambda layout without {@code lambdaARN} (§5). The error codes are Sluice's: AWS
 * documents none.
 *
 * <p>The record emitted is the record with its data gunzipped into a buffer this processor reuses.
 * Called on one thread at a time, as its kind says.
 */
public final class Decompression implements RecordProcessor.PerRecord {
    public static final String TYPE = "Decompression";
    public static final String COMPRESSION_FORMAT = "CompressionFormat";
    public static final String GZIP = "GZIP";
    /** The error-output type, and key folder, of records that cannot be decompressed. */
    public static final String FAILED = "decompression-failed";

    public static final String INVALID_DATA = "Decompression.InvalidData";
    public static final String TOO_LARGE = "Decompression.TooLarge";
    /**
     * How much one record may inflate to: ten times the largest record (CloudWatch Logs batches hold at
     * most about 1 MiB of log events, which JSON escaping rarely more than doubles).
     */
    public static final DataSize DEFAULT_LIMIT = DataSize.ofMebibytes(10);

    private static final int FIRST_SIZE = 64 * 1024;
    private static final int FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;
    private static final int RESERVED = 0xe0;

    private final int limit;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private ByteBuffer out = ByteBuffer.allocate(0);

    /** @param limit the most a record may inflate to, at most 1 GiB */
    public Decompression(DataSize limit) {
        requireNonNull(limit, "limit is null");
        if (limit.bytes() < 1 || limit.bytes() > DataSize.ofGibibytes(1).bytes()) {
            throw new IllegalArgumentException("limit must be from 1 byte to 1 GiB: " + limit);
        }
        this.limit = (int) limit.bytes();
    }

    /**
     * Checks the parameters of {@code processor}, a {@code Decompression} processor: at most
     * {@code CompressionFormat}, which must be {@code GZIP} (absent, GZIP is meant).
     *
     * @throws io.sluice.common.FirehoseException {@code InvalidArgumentException} otherwise
     */
    public static void check(ProcessorSpec processor) {
        processor.requireParametersAmong(List.of(COMPRESSION_FORMAT));
        processor.requireValueIfGiven(COMPRESSION_FORMAT, GZIP);
    }

    @Override
    public void process(ProcessorRecord record, Emitter out) {
        ByteBuffer gunzipped;
        try {
            gunzipped = gunzip(record.data().duplicate().order(ByteOrder.LITTLE_ENDIAN));
        } catch (RecordRefused e) {
            out.fail(e.failure());
            return;
        } finally {
            inflater.reset();
        }
        out.emit(record.withData(gunzipped));
    }

    /** The contents of the gzip members in {@code in}, from its position to its limit. */
    private ByteBuffer gunzip(ByteBuffer in) throws RecordRefused {
        if (!in.hasRemaining()) {
            throw invalid("The record is empty, not gzip.");
        }
        out.clear();
        do {
            int start = out.position();
            skipHeader(in);
            inflate(in);
            checkTrailer(in, start);
        } while (in.hasRemaining());
        return out.flip();
    }

    /** Reads a member's header (RFC 1952 §2.3), leaving {@code in} at its deflate data. */
    private static void skipHeader(ByteBuffer in) throws RecordRefused {
        need(in, 10, "header");
        if ((in.get() & 0xff) != 0x1f || (in.get() & 0xff) != 0x8b) {
            throw invalid("The record is not gzip: it does not start with the gzip magic bytes 1f 8b.");
        }
        if (in.get() != 8) {
            throw invalid("The gzip compression method is not deflate (8).");
        }
        int flags = in.get() & 0xff;
        if ((flags & RESERVED) != 0) {
            throw invalid("The gzip header sets reserved flags.");
        }
        in.position(in.position() + 6); // MTIME, XFL, OS
        if ((flags & FEXTRA) != 0) {
            need(in, 2, "header");
            int length = in.getShort() & 0xffff;
            need(in, length, "header");
            in.position(in.position() + length);
        }
        if ((flags & FNAME) != 0) {
            skipZeroTerminated(in);
        }
        if ((flags & FCOMMENT) != 0) {
            skipZeroTerminated(in);
        }
        if ((flags & FHCRC) != 0) {
            need(in, 2, "header");
            in.position(in.position() + 2);
        }
    }

    private static void skipZeroTerminated(ByteBuffer in) throws RecordRefused {
        do {
            need(in, 1, "header");
        } while (in.get() != 0);
    }

    /** Inflates one member's deflate data into {@link #out}; {@code in} ends up after it. */
    private void inflate(ByteBuffer in) throws RecordRefused {
        inflater.reset();
        inflater.setInput(in);
        while (!inflater.finished()) {
            if (!out.hasRemaining()) {
                grow();
            }
            int n;
            try {
                n = inflater.inflate(out);
            } catch (DataFormatException e) {
                throw invalid("The gzip data is corrupt: " + e.getMessage() + ".");
            }
            if (out.position() > limit) {
                throw new RecordRefused(
                        FAILED, TOO_LARGE, "The record decompresses to more than " + limit + " bytes, the limit.");
            }
            if (n == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                throw invalid("The gzip data is truncated.");
            }
        }
    }

    /** Makes room in {@link #out}, up to one byte beyond the limit (which tells a record over it). */
    private void grow() {
        int capacity = (int) Math.min((long) limit + 1, Math.max(FIRST_SIZE, 2L * out.capacity()));
        ByteBuffer bigger = ByteBuffer.allocate(capacity);
        bigger.put(out.flip());
        out = bigger;
    }

    /** Checks a member's trailer (CRC-32 and length, modulo 2^32, of what it inflated to from {@code start}). */
    private void checkTrailer(ByteBuffer in, int start) throws RecordRefused {
        need(in, 8, "trailer");
        long expectedCrc = in.getInt() & 0xffffffffL;
        long expectedSize = in.getInt() & 0xffffffffL;
        crc.reset();
        crc.update(out.duplicate().flip().position(start));
        if (crc.getValue() != expectedCrc || ((out.position() - start) & 0xffffffffL) != expectedSize) {
            throw invalid("The gzip data is corrupt: its CRC-32 or length does not match its trailer.");
        }
    }

    private static void need(ByteBuffer in, int bytes, String part) throws RecordRefused {
        if (in.remaining() < bytes) {
            throw invalid("The gzip data is truncated in a member's " + part + ".");
        }
    }

    private static RecordRefused invalid(String message) {
        return new RecordRefused(FAILED, INVALID_DATA, message);
    }
}
