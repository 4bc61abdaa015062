package io.sluice.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.SplittableRandom;

/**
 * What each record's data is: {@link #RANDOM} bytes (incompressible), or a {@link #JSON} object of
 * exactly the record size, one per line, as a transformation function would typically receive:
 *
 * <pre>
 * {"id":N,"ts":MILLIS,"msg":"random lower-case letters to pad the record"}\n
 * </pre>
 *
 * {@code N} is the record's number among the run's distinct request bodies, so no two records of those
 * bodies are equal; {@code MILLIS} is when the bodies were built.
 */
public enum RecordData {
    RANDOM,
    JSON;

    /** Digits of an epoch-millisecond timestamp until the year 2286. */
    private static final int TIMESTAMP_DIGITS = 13;

    private static final String BEFORE_ID = "{\"id\":";
    private static final String BEFORE_TS = ",\"ts\":";
    private static final String BEFORE_MSG = ",\"msg\":\"";
    private static final String END = "\"}\n";

    /**
     * The smallest {@link #JSON} record whose id has up to {@code maxId}'s digits: the skeleton
     * {@code {"id":N,"ts":MILLIS,"msg":""}} and its newline, with no padding.
     */
    static int minimumJsonBytes(long maxId) {
        return BEFORE_ID.length()
                + Long.toString(maxId).length()
                + BEFORE_TS.length()
                + TIMESTAMP_DIGITS
                + BEFORE_MSG.length()
                + END.length();
    }

    /** One record's data of {@code size} bytes; {@code id} and {@code timestampMillis} only for {@link #JSON}. */
    byte[] record(SplittableRandom random, long id, long timestampMillis, int size) {
        if (this == RANDOM) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            return data;
        }
        String head = BEFORE_ID + id + BEFORE_TS + timestampMillis + BEFORE_MSG;
        int padding = size - head.length() - END.length();
        if (padding < 0) {
            throw new IllegalArgumentException(
                    "a JSON record needs at least " + (head.length() + END.length()) + " bytes: " + size);
        }
        byte[] data = new byte[size];
        byte[] headBytes = head.getBytes(US_ASCII);
        System.arraycopy(headBytes, 0, data, 0, headBytes.length);
        for (int i = 0; i < padding; i++) {
            data[headBytes.length + i] = (byte) ('a' + random.nextInt(26));
        }
        byte[] end = END.getBytes(US_ASCII);
        System.arraycopy(end, 0, data, size - end.length, end.length);
        return data;
    }
}
