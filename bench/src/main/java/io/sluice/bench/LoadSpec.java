package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One load run, validated. Requests stay within Firehose's limits: 1 to 500 records of at most
 * 1,024,000 bytes each, at most 4 MiB of record data per request. The run lasts {@code warmup}
 * (not measured) plus {@code duration} (measured); {@code timeout} bounds each connect and the wait
 * for answers still due when the measurement ends. With {@code streams} above one, requests go to
 * {@code <stream>-0} … {@code <stream>-<streams - 1>} in turn. {@code recordData} says what the records hold;
 * a {@link RecordData#JSON} record must be large enough for its skeleton.
 */
public record LoadSpec(
        Endpoint endpoint,
        Credentials credentials,
        String region,
        String stream,
        int streams,
        PutOperation operation,
        int connections,
        int recordsPerRequest,
        ByteSize recordSize,
        RecordData recordData,
        Duration duration,
        Duration warmup,
        Pacing pacing,
        int distinctBodies,
        Duration timeout,
        long seed) {
    static final int MAX_RECORDS = 500;
    static final long MAX_RECORD_BYTES = 1_024_000;
    static final long MAX_REQUEST_DATA_BYTES = 4L * 1024 * 1024;
    static final int MAX_CONNECTIONS = 4_096;
    static final int MAX_STREAMS = 10_000;
    private static final Pattern STREAM_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,64}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    public LoadSpec {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(credentials, "credentials is null");
        requireNonNull(region, "region is null");
        requireNonNull(stream, "stream is null");
        requireNonNull(operation, "operation is null");
        requireNonNull(recordSize, "recordSize is null");
        requireNonNull(recordData, "recordData is null");
        requireNonNull(duration, "duration is null");
        requireNonNull(warmup, "warmup is null");
        requireNonNull(pacing, "pacing is null");
        requireNonNull(timeout, "timeout is null");
        if (!STREAM_NAME.matcher(stream).matches()) {
            throw new IllegalArgumentException("stream name must be 1 to 64 of a-z A-Z 0-9 _ . -: '" + stream + "'");
        }
        if (streams < 1 || streams > MAX_STREAMS) {
            throw new IllegalArgumentException("streams must be 1 to " + MAX_STREAMS + ": " + streams);
        }
        if (streams > 1 && !STREAM_NAME.matcher(streamName(stream, streams - 1)).matches()) {
            throw new IllegalArgumentException("stream name too long for " + streams + " streams: '" + stream + "'");
        }
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("not a region name: '" + region + "'");
        }
        if (connections < 1 || connections > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("connections must be 1 to " + MAX_CONNECTIONS + ": " + connections);
        }
        if (recordsPerRequest < 1 || recordsPerRequest > MAX_RECORDS) {
            throw new IllegalArgumentException(
                    "records per batch must be 1 to " + MAX_RECORDS + ": " + recordsPerRequest);
        }
        if (operation == PutOperation.PUT_RECORD && recordsPerRequest != 1) {
            throw new IllegalArgumentException("PutRecord carries one record per request");
        }
        if (recordSize.bytes() > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException(
                    "record size must be at most " + MAX_RECORD_BYTES + " bytes: " + recordSize);
        }
        if (recordsPerRequest * recordSize.bytes() > MAX_REQUEST_DATA_BYTES) {
            throw new IllegalArgumentException("records per batch × record size must be at most 4 MiB");
        }
        if (recordData == RecordData.JSON) {
            long maxId = (long) Math.max(distinctBodies, streams) * recordsPerRequest - 1;
            int minimum = RecordData.minimumJsonBytes(maxId);
            if (recordSize.bytes() < minimum) {
                throw new IllegalArgumentException("--record-data json needs a record size of at least " + minimum
                        + " bytes for {\"id\":N,\"ts\":MILLIS,\"msg\":\"\"} and a newline: " + recordSize);
            }
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + duration);
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warm-up must not be negative: " + warmup);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (distinctBodies < 1 || distinctBodies > 1_024) {
            throw new IllegalArgumentException("distinct bodies must be 1 to 1024: " + distinctBodies);
        }
    }

    Target target() {
        return new Target(endpoint, credentials, region, timeout);
    }

    /** The names of the streams the run puts to. */
    List<String> streamNames() {
        if (streams == 1) {
            return List.of(stream);
        }
        List<String> names = new ArrayList<>(streams);
        for (int i = 0; i < streams; i++) {
            names.add(streamName(stream, i));
        }
        return names;
    }

    private static String streamName(String prefix, int index) {
        return prefix + "-" + index;
    }
}
