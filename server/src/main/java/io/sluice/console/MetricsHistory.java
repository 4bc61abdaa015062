package io.sluice.console;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DeliveryStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The last hour of every stream's {@link Series}, one point a minute, in memory: {@link #sample} (called
 * once a minute) closes a point per stream, holding at most {@link #POINTS} per series. A counter's point is
 * its increase since the previous one; a gauge's its value. The point being filled is read live, so a graph
 * moves before its first minute ends. Counters start from 0 when a stream's meters are made (at creation
 * or when the server starts), so that is where a stream's first point starts.
 */
final class MetricsHistory {
    static final int POINTS = 60;

    /** A point ending at {@code at}. */
    record Point(Instant at, double value) {}

    /** One point of every series, in {@link Series} order. */
    private record Sample(Instant at, double[] values) {}

    private static final class StreamHistory {
        private final Deque<Sample> closed = new ArrayDeque<>();
        private Sample last;

        StreamHistory(Sample baseline) {
            this.last = baseline;
        }
    }

    private final Function<DeliveryStream, double[]> reader;
    private final Clock clock;
    private final Instant started;
    private final Map<String, StreamHistory> byUid = new ConcurrentHashMap<>();

    /** {@code reader}: a stream's counters' totals and gauges' values now, in {@link Series} order. */
    MetricsHistory(Function<DeliveryStream, double[]> reader, Clock clock) {
        this.reader = requireNonNull(reader, "reader is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.started = clock.instant();
    }

    /** Closes a point of every stream of {@code streams} and forgets the others. */
    void sample(Collection<DeliveryStream> streams) {
        Set<String> live = streams.stream().map(DeliveryStream::uid).collect(Collectors.toSet());
        byUid.keySet().retainAll(live);
        for (DeliveryStream stream : streams) {
            StreamHistory history = history(stream);
            Sample now = new Sample(clock.instant(), reader.apply(stream));
            synchronized (history) {
                history.closed.addLast(new Sample(now.at(), point(history.last, now)));
                while (history.closed.size() > POINTS) {
                    history.closed.removeFirst();
                }
                history.last = now;
            }
        }
    }

    /** The closed points of {@code series}, oldest first, then the one being filled. */
    List<Point> points(DeliveryStream stream, Series series) {
        StreamHistory history = history(stream);
        Sample now = new Sample(clock.instant(), reader.apply(stream));
        List<Point> points = new ArrayList<>(POINTS + 1);
        synchronized (history) {
            for (Sample sample : history.closed) {
                points.add(new Point(sample.at(), sample.values()[series.ordinal()]));
            }
            points.add(new Point(now.at(), point(history.last, now)[series.ordinal()]));
        }
        return points;
    }

    /**
     * A counter's increase per second over the point being filled, or over the last closed point while
     * the one being filled is younger than 10 seconds; a gauge's value now.
     */
    double rate(DeliveryStream stream, Series series) {
        double[] now = reader.apply(stream);
        if (!series.counter()) {
            return now[series.ordinal()];
        }
        StreamHistory history = history(stream);
        synchronized (history) {
            Duration filling = Duration.between(history.last.at(), clock.instant());
            if (filling.compareTo(Duration.ofSeconds(10)) < 0 && !history.closed.isEmpty()) {
                Sample closed = history.closed.getLast();
                Instant before = history.closed.size() > 1
                        ? history.closed.stream()
                                .skip(history.closed.size() - 2)
                                .findFirst()
                                .orElseThrow()
                                .at()
                        : closed.at().minus(Duration.ofMinutes(1));
                return perSecond(closed.values()[series.ordinal()], Duration.between(before, closed.at()));
            }
            return perSecond(Math.max(0, now[series.ordinal()] - history.last.values()[series.ordinal()]), filling);
        }
    }

    private static double perSecond(double amount, Duration over) {
        return over.toMillis() <= 0 ? 0 : amount * 1000.0 / over.toMillis();
    }

    private StreamHistory history(DeliveryStream stream) {
        return byUid.computeIfAbsent(stream.uid(), uid -> {
            Instant from = stream.createTimestamp().isAfter(started) ? stream.createTimestamp() : started;
            return new StreamHistory(new Sample(from, new double[Series.values().length]));
        });
    }

    private static double[] point(Sample previous, Sample now) {
        double[] values = new double[Series.values().length];
        for (Series series : Series.values()) {
            int i = series.ordinal();
            values[i] = series.counter() ? Math.max(0, now.values()[i] - previous.values()[i]) : now.values()[i];
        }
        return values;
    }
}
