package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * Puts single records at a steady rate, one PutRecord at a time, and times each from its acknowledgement
 * to when the destination first saw it ({@link Arrivals}, filled by a {@link DirectoryWatch} or an
 * {@link EndpointReceiver}). After the sending window it waits at most {@code settle} for the records
 * not seen yet.
 */
final class FreshnessRun {
    private static final Duration SETTLE_POLL = Duration.ofMillis(20);

    private final Target target;
    private final String stream;
    private final double rate;
    private final Duration duration;
    private final int recordBytes;
    private final Duration settle;
    private final Clock clock;

    FreshnessRun(
            Target target,
            String stream,
            double rate,
            Duration duration,
            int recordBytes,
            Duration settle,
            Clock clock) {
        this.target = requireNonNull(target, "target is null");
        this.stream = requireNonNull(stream, "stream is null");
        this.duration = requireNonNull(duration, "duration is null");
        this.settle = requireNonNull(settle, "settle is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (!(rate > 0 && rate <= 10_000)) {
            throw new IllegalArgumentException("rate must be above 0 and at most 10000 records/s: " + rate);
        }
        if (recordBytes < 20 || recordBytes > LoadSpec.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException(
                    "record size must be 20 to " + LoadSpec.MAX_RECORD_BYTES + " bytes: " + recordBytes);
        }
        this.rate = rate;
        this.recordBytes = recordBytes;
    }

    /** Runs while {@code arrivals} is being filled; {@code watchHealth} throws if the watcher failed. */
    Result run(Arrivals arrivals, Runnable watchHealth) throws IOException, InterruptedException {
        int records = Math.toIntExact(Math.max(1, (long) (rate * duration.toNanos() / 1e9)));
        long[] ackedAt = new long[records];
        Arrays.fill(ackedAt, -1);
        long firstId = clock.millis() * 1_000;
        int failed = 0;
        Base64.Encoder base64 = Base64.getEncoder();
        try (ApiClient api = new ApiClient(target, clock)) {
            long start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                String data = base64.encodeToString(Arrivals.record(firstId + i, recordBytes));
                ApiClient.Answer answer = api.call(
                        "PutRecord",
                        "{\"DeliveryStreamName\":\"" + stream + "\",\"Record\":{\"Data\":\"" + data + "\"}}");
                if (answer.status() == 200) {
                    ackedAt[i] = System.nanoTime();
                } else {
                    failed++;
                }
                watchHealth.run();
            }
        }
        long settleEnd = System.nanoTime() + settle.toNanos();
        while (unseen(arrivals, firstId, ackedAt) > 0 && System.nanoTime() < settleEnd) {
            watchHealth.run();
            Thread.sleep(SETTLE_POLL);
        }
        LatencyHistogram latency = new LatencyHistogram();
        for (int i = 0; i < records; i++) {
            long seen = arrivals.firstSeen(firstId + i);
            if (ackedAt[i] >= 0 && seen >= 0) {
                latency.recordNanos(Math.max(0, seen - ackedAt[i]));
            }
        }
        return new Result(records, records - failed, unseen(arrivals, firstId, ackedAt), latency.summary());
    }

    private static int unseen(Arrivals arrivals, long firstId, long[] ackedAt) {
        int unseen = 0;
        for (int i = 0; i < ackedAt.length; i++) {
            if (ackedAt[i] >= 0 && arrivals.firstSeen(firstId + i) < 0) {
                unseen++;
            }
        }
        return unseen;
    }

    /** Records sent and acknowledged, acknowledged ones never seen, and acknowledgement → seen latency. */
    record Result(int sent, int acknowledged, int unseen, LatencySummary latency) {
        String human() {
            return String.format(
                    Locale.ROOT,
                    "records   %d sent, %d acknowledged, %d acknowledged but not seen%n"
                            + "freshness acknowledgement → visible: p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms"
                            + " (%d records)%n",
                    sent,
                    acknowledged,
                    unseen,
                    millis(latency.p50()),
                    millis(latency.p99()),
                    millis(latency.p999()),
                    millis(latency.max()),
                    latency.count());
        }

        private static double millis(Duration duration) {
            return duration.toNanos() / 1e6;
        }
    }
}
