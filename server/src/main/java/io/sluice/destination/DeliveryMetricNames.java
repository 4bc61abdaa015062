package io.sluice.destination;

import static java.util.Objects.requireNonNull;

import io.sluice.metrics.Metric;
import java.util.ArrayList;
import java.util.List;

/**
 * The names a destination's delivery is published under (metrics spec §3): per delivered batch,
 * {@code records} and {@code bytes} (and every metric of {@code alsoWithRecords} / {@code alsoWithBytes}
 * by the same amounts), per attempt {@code attempts}, per delivered batch {@code successes}, whose ratio
 * to {@code attempts} is Firehose's {@code .Success}, and the {@code dataFreshness} gauge; every metric of
 * {@code alsoPerBatch} counts delivered batches too (S3's {@code DeliveryToS3.ObjectCount}: one object each).
 */
public record DeliveryMetricNames(
        Metric records,
        Metric bytes,
        Metric attempts,
        Metric successes,
        Metric dataFreshness,
        List<Metric> alsoWithRecords,
        List<Metric> alsoWithBytes,
        List<Metric> alsoPerBatch) {
    public DeliveryMetricNames {
        requireCounter(records, "records");
        requireCounter(bytes, "bytes");
        requireCounter(attempts, "attempts");
        requireCounter(successes, "successes");
        requireNonNull(dataFreshness, "dataFreshness is null");
        if (dataFreshness.kind() != Metric.Kind.GAUGE) {
            throw new IllegalArgumentException("dataFreshness is not a gauge: " + dataFreshness);
        }
        alsoWithRecords = List.copyOf(alsoWithRecords);
        alsoWithBytes = List.copyOf(alsoWithBytes);
        alsoPerBatch = List.copyOf(alsoPerBatch);
        alsoPerBatch.forEach(m -> requireCounter(m, "alsoPerBatch"));
        alsoWithRecords.forEach(m -> requireCounter(m, "alsoWithRecords"));
        alsoWithBytes.forEach(m -> requireCounter(m, "alsoWithBytes"));
    }

    /**
     * Firehose's names for delivery to one kind of destination, and no others: {@code <prefix>.Records},
     * {@code .Bytes}, {@code .Attempts}, {@code .Successes} and {@code .DataFreshness}, e.g. for the
     * prefix {@code DeliveryToS3}.
     */
    public static DeliveryMetricNames of(String prefix) {
        return new DeliveryMetricNames(
                Metric.counter(prefix + ".Records"),
                Metric.counter(prefix + ".Bytes"),
                Metric.counter(prefix + ".Attempts"),
                Metric.counter(prefix + ".Successes"),
                Metric.gauge(prefix + ".DataFreshness"),
                List.of(),
                List.of(),
                List.of());
    }

    /** These names, also counting {@code withRecords} and {@code withBytes} for every delivered batch. */
    public DeliveryMetricNames plus(Metric withRecords, Metric withBytes) {
        List<Metric> moreRecords = new ArrayList<>(alsoWithRecords);
        moreRecords.add(withRecords);
        List<Metric> moreBytes = new ArrayList<>(alsoWithBytes);
        moreBytes.add(withBytes);
        return new DeliveryMetricNames(
                records, bytes, attempts, successes, dataFreshness, moreRecords, moreBytes, alsoPerBatch);
    }

    /** These names, also counting {@code perBatch} once for every delivered batch. */
    public DeliveryMetricNames plusPerBatch(Metric perBatch) {
        List<Metric> more = new ArrayList<>(alsoPerBatch);
        more.add(perBatch);
        return new DeliveryMetricNames(
                records, bytes, attempts, successes, dataFreshness, alsoWithRecords, alsoWithBytes, more);
    }

    private static void requireCounter(Metric metric, String role) {
        requireNonNull(metric, role + " is null");
        if (metric.kind() != Metric.Kind.COUNTER) {
            throw new IllegalArgumentException(role + " is not a counter: " + metric);
        }
    }
}
