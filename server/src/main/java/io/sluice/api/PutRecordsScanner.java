package io.sluice.api;

import io.sluice.common.ByteSearch;
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
 * <p>Why: Jackson skips a string byte by byte; the closing quote of a {@code Data} string is found here
 * eight bytes at a time ({@link ByteSearch}).
 */
final class PutRecordsScanner {
    /** The stream name and where each record's base64 text is: {@code [starts[i], starts[i] + lengths[i])}. */
    record Scanned(String streamName, int count, int[] starts, int[] lengths) {}

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

    /** The position of the first {@code "} from {@code from}. */
    private int closingQuote(int from) {
        int quote = ByteSearch.indexOf(bytes, from, end, (byte) '"');
        if (quote < 0) {
            throw Unrecognised.INSTANCE;
        }
        return quote;
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
