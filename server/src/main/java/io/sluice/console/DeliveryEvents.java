package io.sluice.console;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DeliveryStream;
import io.sluice.delivery.DeliveryListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the console shows of the engine's work besides the metrics: each stream's recent delivery errors
 * (at most {@link #ERRORS_KEPT}, newest first) and its first delivery. Passes every event on to
 * {@code next} (the metrics). Kept by stream uid, forgotten by {@link #retain} when a stream is gone.
 */
public final class DeliveryEvents implements DeliveryListener {
    static final int ERRORS_KEPT = 20;

    /** A failed attempt ({@code givenUp} false: retried) or records given up on. */
    record DeliveryError(Instant at, String code, long records, boolean givenUp, boolean errorOutput) {}

    /** The first batch delivered while the console watched. */
    record Delivery(Instant at, long records, long bytes) {}

    private final DeliveryListener next;
    private final Clock clock;
    private final Map<String, Deque<DeliveryError>> errors = new ConcurrentHashMap<>();
    private final Map<String, Delivery> firstDeliveries = new ConcurrentHashMap<>();

    public DeliveryEvents(DeliveryListener next, Clock clock) {
        this.next = requireNonNull(next, "next is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    List<DeliveryError> errors(String uid) {
        Deque<DeliveryError> recent = errors.get(uid);
        if (recent == null) {
            return List.of();
        }
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    Optional<Delivery> firstDelivery(String uid) {
        return Optional.ofNullable(firstDeliveries.get(uid));
    }

    /** Forgets the streams whose uid is not in {@code live}. */
    void retain(Collection<String> live) {
        Set<String> keep = Set.copyOf(live);
        errors.keySet().retainAll(keep);
        firstDeliveries.keySet().retainAll(keep);
    }

    private void error(DeliveryStream stream, DeliveryError error) {
        Deque<DeliveryError> recent = errors.computeIfAbsent(stream.uid(), uid -> new ArrayDeque<>());
        synchronized (recent) {
            recent.addFirst(error);
            while (recent.size() > ERRORS_KEPT) {
                recent.removeLast();
            }
        }
    }

    @Override
    public void delivered(DeliveryStream stream, long records, long bytes, Duration freshness) {
        next.delivered(stream, records, bytes, freshness);
        firstDeliveries.putIfAbsent(stream.uid(), new Delivery(clock.instant(), records, bytes));
    }

    @Override
    public void retrying(DeliveryStream stream, String errorCode) {
        next.retrying(stream, errorCode);
        error(stream, new DeliveryError(clock.instant(), errorCode, 0, false, false));
    }

    @Override
    public void failed(DeliveryStream stream, long records, String errorCode, boolean errorOutput) {
        next.failed(stream, records, errorCode, errorOutput);
        error(stream, new DeliveryError(clock.instant(), errorCode, records, true, errorOutput));
    }

    @Override
    public void backedUp(DeliveryStream stream, long records, long bytes, boolean errorOutput) {
        next.backedUp(stream, records, bytes, errorOutput);
    }

    @Override
    public void partitions(DeliveryStream stream, int active, int limit, boolean exceeded) {
        next.partitions(stream, active, limit, exceeded);
    }

    @Override
    public void partitionFilled(DeliveryStream stream, double bytesPerSecond) {
        next.partitionFilled(stream, bytesPerSecond);
    }

    @Override
    public void expired(DeliveryStream stream, long records, long bytes) {
        next.expired(stream, records, bytes);
    }
}
