package io.sluice.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Recognises the shape every AWS SDK, the AWS CLI, the Kinesis Agent and Fluent Bit give a put, without a
 * JSON parser:
 *
 * <pre>
 * PutRecordBatch  {"DeliveryStreamName":"NAME","Records":[{"Data":"BASE64"},…]}
 * PutRecord       {"DeliveryStreamName":"NAME","Record":{"Data":"BASE64"}}
 * </pre>
 *
 * the two members in either order, JSON white space between any two tokens. Anything else — another
 * member, a member given twice, an escape or a non-ASCII byte in a name or key, an empty record list, a
 * value of another type, bytes after the object — is not recognised ({@code null}), and the caller reads
 * the body with a JSON parser and the model's validator instead. What is recognised is only located: the
 * caller decodes and checks each {@code Data} string (strict base64 has no escapes, so its text is exactly
 * what lies between the quotes).
 *
 * <p>Why: Jackson skips a string byte by byte; a 500 × 1 KiB batch is 700 KB of base64, and skipping it
 * was a sixth of the server's CPU. The closing quote of a {@code Data} string is found here eight bytes
 * at a time.
 */
final class PutRecordsScanner {
    /** The stream name and where each record's base64 text is: {@code [starts[i], starts[i] + lengths[i])}. */
    record Scanned(String streamName, int count, int[] starts, int[] lengths) {}

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long QUOTES = 0x2222_2222_2222_2222L;
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    private static final byte[] STREAM_NAME = ascii("DeliveryStreamName");
    private static final byte[] RECORDS = ascii("Records");
    private static final byte[] RECORD = ascii("Record");
    private static final byte[] DATA = ascii("Data");

    /** Thrown, without a stack trace, when the body is not of the recognised shape; never escapes. */
    private static final class Unrecognised extends RuntimeException {
        private static final Unrecognised INSTANCE = new Unrecognised();

        private Unrecognised() {
            super(null, null, false, false);
        }
    }

    private final byte[] bytes;
    private final int end;
    private int position;
    private int count;
    private int[] starts = new int[16];
    private int[] lengths = new int[16];

    private PutRecordsScanner(RequestBody body) {
        this.bytes = body.bytes();
        this.end = body.length();
    }

    /** The body's stream name and records if it has the shape above, else null. */
    static Scanned scan(RequestBody body, boolean batch) {
        PutRecordsScanner scanner = new PutRecordsScanner(body);
        try {
            return scanner.put(batch);
        } catch (Unrecognised e) {
            return null;
        }
    }

    private Scanned put(boolean batch) {
        String name = null;
        boolean recordsSeen = false;
        expect('{');
        do {
            byte[] key = key();
            if (Arrays.equals(key, STREAM_NAME) && name == null) {
                name = plainString();
            } else if (Arrays.equals(key, batch ? RECORDS : RECORD) && !recordsSeen) {
                recordsSeen = true;
                if (batch) {
                    records();
                } else {
                    record();
                }
            } else {
                throw Unrecognised.INSTANCE;
            }
        } while (next() == ',');
        if (bytes[position - 1] != '}' || name == null || !recordsSeen) {
            throw Unrecognised.INSTANCE;
        }
        skipWhiteSpace();
        if (position != end) {
            throw Unrecognised.INSTANCE;
        }
        return new Scanned(name, count, starts, lengths);
    }

    private void records() {
        expect('[');
        do {
            record();
        } while (next() == ',');
        if (bytes[position - 1] != ']') {
            throw Unrecognised.INSTANCE;
        }
    }

    /** {@code {"Data":"BASE64"}}: remembers where the base64 text is. */
    private void record() {
        expect('{');
        expectKey(DATA);
        expect('"');
        int start = position;
        int quote = closingQuote(start);
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
        }
        starts[count] = start;
        lengths[count] = quote - start;
        count++;
        position = quote + 1;
        expect('}');
    }

    /** The member name {@code name} (ASCII, no escapes) and the colon after it, compared in place. */
    private void expectKey(byte[] name) {
        expect('"');
        int after = position + name.length;
        if (after >= end || bytes[after] != '"' || !Arrays.equals(bytes, position, after, name, 0, name.length)) {
            throw Unrecognised.INSTANCE;
        }
        position = after + 1;
        expect(':');
    }

    /** A member's name and the colon after it. */
    private byte[] key() {
        expect('"');
        int start = position;
        plainStringEnd();
        byte[] key = Arrays.copyOfRange(bytes, start, position - 1);
        expect(':');
        return key;
    }

    /** A string of printable ASCII without escapes. */
    private String plainString() {
        expect('"');
        int start = position;
        plainStringEnd();
        return new String(bytes, start, position - 1 - start, StandardCharsets.US_ASCII);
    }

    private void plainStringEnd() {
        while (position < end) {
            byte b = bytes[position++];
            if (b == '"') {
                return;
            }
            if (b < 0x20 || b == '\\') {
                throw Unrecognised.INSTANCE;
            }
        }
        throw Unrecognised.INSTANCE;
    }

    /**
     * The position of the first {@code "} from {@code from}: first 32 bytes at a time, one test for four
     * words (a quote among them stops the run), then eight bytes at a time to pin it down. (Eight bytes at
     * a time alone took about 5 cycles per word, a tenth of a 500 × 1 KiB put's CPU.)
     */
    private int closingQuote(int from) {
        int i = from;
        for (; i + 4 * Long.BYTES <= end; i += 4 * Long.BYTES) {
            long any = quotes(i) | quotes(i + Long.BYTES) | quotes(i + 2 * Long.BYTES) | quotes(i + 3 * Long.BYTES);
            if (any != 0) {
                break;
            }
        }
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long found = quotes(i);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (bytes[i] == '"') {
                return i;
            }
        }
        throw Unrecognised.INSTANCE;
    }

    /**
     * The eight bytes at {@code at} with the high bit of the lowest quote among them set, nonzero if and
     * only if there is one: in {@code x = word ^ QUOTES} a quote is a zero byte, and {@code ((x - ONES) &
     * ~x) & HIGH_BITS} flags the lowest zero byte exactly (a borrow can only flag bytes above it).
     */
    private long quotes(int at) {
        long x = (long) LONGS.get(bytes, at) ^ QUOTES;
        return ((x - ONES) & ~x) & HIGH_BITS;
    }

    private void expect(char c) {
        if (next() != c) {
            throw Unrecognised.INSTANCE;
        }
    }

    /** The next byte that is not JSON white space, consumed. */
    private int next() {
        skipWhiteSpace();
        if (position == end) {
            throw Unrecognised.INSTANCE;
        }
        return bytes[position++];
    }

    private void skipWhiteSpace() {
        while (position < end) {
            byte b = bytes[position];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            position++;
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
