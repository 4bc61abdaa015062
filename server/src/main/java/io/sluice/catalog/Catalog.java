package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery streams of every account and region, and the control-plane rules AWS applies to them.
 * Reads are lock-free; changes are serialised and persisted through the {@link CatalogStore} before
 * they become visible. Asynchronous transitions (CREATING to ACTIVE, DELETING to gone, ENABLING to
 * ENABLED, DISABLING to DISABLED) complete after {@link CatalogLimits#transitionDelay()}, and at start
 * for transitions a previous run left unfinished. A zero delay completes them before the call that
 * started them returns (a test suite's stream is ACTIVE when CreateDeliveryStream answers).
 */
public final class Catalog {
    private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);
    private static final Duration TOGGLE_WINDOW = Duration.ofHours(24);
    /** When a failed transition is tried again if the transition delay is zero (not at once, not in a loop). */
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    private final CatalogStore store;
    private final Clock clock;
    private final CatalogLimits limits;
    private final ScheduledExecutorService scheduler;
    private final CatalogListener listener;
    private final Map<StreamRef, DeliveryStream> streams = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();

    public Catalog(
            CatalogStore store,
            Clock clock,
            CatalogLimits limits,
            ScheduledExecutorService scheduler,
            CatalogListener listener) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.listener = requireNonNull(listener, "listener is null");
        for (DeliveryStream stream : store.loadAll()) {
            streams.put(stream.ref(), stream);
        }
        List.copyOf(streams.values()).forEach(s -> completeTransitions(s.ref()));
    }

    public Optional<DeliveryStream> find(StreamRef ref) {
        return Optional.ofNullable(streams.get(ref));
    }

    public DeliveryStream describe(StreamRef ref) {
        return find(ref).orElseThrow(() -> notFound(ref));
    }

    public Collection<DeliveryStream> all() {
        return List.copyOf(streams.values());
    }

    public DeliveryStream create(NewStream request) {
        StreamRef ref = request.ref();
        synchronized (writeLock) {
            if (streams.containsKey(ref)) {
                throw FirehoseException.of(
                        ErrorCode.RESOURCE_IN_USE,
                        "Firehose %s under accountId %s already exists",
                        ref.name(),
                        ref.account());
            }
            long inScope = streams.keySet().stream()
                    .filter(r -> r.account().equals(ref.account()) && r.region().equals(ref.region()))
                    .count();
            if (inScope >= limits.streamsPerAccountAndRegion()) {
                throw FirehoseException.of(
                        ErrorCode.LIMIT_EXCEEDED,
                        "You have already consumed your firehose quota of %d hoses.",
                        limits.streamsPerAccountAndRegion());
            }
            if (request.tags().size() > CatalogLimits.TAGS_PER_STREAM) {
                throw tooManyTags(ref);
            }
            Instant now = clock.instant();
            Encryption encryption = request.encryption()
                    .map(e ->
                            new Encryption(EncryptionStatus.ENABLING, Optional.of(e.keyType()), e.keyArn(), List.of()))
                    .orElse(Encryption.DISABLED);
            DeliveryStream stream = new DeliveryStream(
                    ref,
                    UUID.randomUUID().toString(),
                    request.type(),
                    DeliveryStreamStatus.CREATING,
                    1,
                    now,
                    Optional.empty(),
                    request.throughputHintInMBs(),
                    request.source().map(source -> source.startingAt(now)),
                    new Destination(Destination.FIRST_ID, request.destination()),
                    encryption,
                    new TreeMap<>(request.tags()));
            put(stream);
            LOG.info("Created delivery stream {} ({})", ref.arn(), stream.uid());
            scheduleTransitions(ref);
            return stream;
        }
    }

    public void delete(StreamRef ref, boolean allowForceDelete) {
        synchronized (writeLock) {
            DeliveryStream stream = describe(ref);
            if (stream.status() == DeliveryStreamStatus.CREATING) {
                throw FirehoseException.of(
                        ErrorCode.RESOURCE_IN_USE,
                        "Firehose %s under account %s is in CREATING state and cannot be deleted.",
                        ref.name(),
                        ref.account());
            }
            if (stream.status() != DeliveryStreamStatus.DELETING) {
                put(stream.withStatus(DeliveryStreamStatus.DELETING));
                LOG.info("Deleting delivery stream {}{}", ref.arn(), allowForceDelete ? " (forced)" : "");
            }
            scheduleTransitions(ref);
        }
    }

    /**
     * Removes every stream of every account at once, whatever its state (a test suite's reset): each
     * is gone from the store and {@link CatalogListener#removed} is told. {@code beforeRemoval} runs
     * first, while no other change can happen.
     *
     * @return the streams removed
     */
    public List<DeliveryStream> removeAll(Runnable beforeRemoval) {
        synchronized (writeLock) {
            beforeRemoval.run();
            List<DeliveryStream> removed = List.copyOf(streams.values());
            for (DeliveryStream stream : removed) {
                store.delete(stream.ref());
                streams.remove(stream.ref());
                listener.removed(stream);
            }
            LOG.info("Removed all {} delivery streams", removed.size());
            return removed;
        }
    }

    public DeliveryStream tag(StreamRef ref, Map<String, String> tags) {
        return change(ref, stream -> {
            requireActive(stream);
            TreeMap<String, String> merged = new TreeMap<>(stream.tags());
            merged.putAll(tags);
            if (merged.size() > CatalogLimits.TAGS_PER_STREAM) {
                throw tooManyTags(ref);
            }
            return stream.withTags(merged);
        });
    }

    public DeliveryStream untag(StreamRef ref, Collection<String> keys) {
        return change(ref, stream -> {
            requireActive(stream);
            TreeMap<String, String> remaining = new TreeMap<>(stream.tags());
            keys.forEach(remaining::remove);
            return stream.withTags(remaining);
        });
    }

    public DeliveryStream startEncryption(StreamRef ref, EncryptionRequest request) {
        DeliveryStream changed = change(ref, stream -> {
            requireEncryptable(stream);
            return stream.withEncryption(new Encryption(
                    EncryptionStatus.ENABLING, Optional.of(request.keyType()), request.keyArn(), recordToggle(stream)));
        });
        scheduleTransitions(ref);
        return changed;
    }

    public DeliveryStream stopEncryption(StreamRef ref) {
        DeliveryStream changed = change(ref, stream -> {
            requireEncryptable(stream);
            Encryption current = stream.encryption();
            return stream.withEncryption(new Encryption(
                    EncryptionStatus.DISABLING, current.keyType(), current.keyArn(), recordToggle(stream)));
        });
        scheduleTransitions(ref);
        return changed;
    }

    /**
     * UpdateDestination: {@code update} turns the current destination into the new spec (merging or
     * replacing, and rejecting what may not change). The version id (digits, as the model requires) must
     * match the current one.
     */
    public DeliveryStream updateDestination(
            StreamRef ref,
            String currentVersionId,
            String destinationId,
            Function<Destination, DestinationSpec> update) {
        return change(ref, stream -> {
            requireActive(stream);
            if (!new BigInteger(currentVersionId).equals(BigInteger.valueOf(stream.version()))) {
                throw FirehoseException.of(
                        ErrorCode.CONCURRENT_MODIFICATION,
                        "Cannot update firehose: %s since the current version id: %d and the specified version id: %s"
                                + " do not match",
                        ref.name(),
                        stream.version(),
                        currentVersionId);
            }
            if (!stream.destination().id().equals(destinationId)) {
                throw FirehoseException.of(
                        ErrorCode.INVALID_ARGUMENT,
                        "Destination Id %s not found for Firehose %s under account %s.",
                        destinationId,
                        ref.name(),
                        ref.account());
            }
            DestinationSpec spec = update.apply(stream.destination());
            return stream.withDestination(new Destination(destinationId, spec), clock.instant());
        });
    }

    private DeliveryStream change(StreamRef ref, UnaryOperator<DeliveryStream> change) {
        synchronized (writeLock) {
            DeliveryStream changed = change.apply(describe(ref));
            put(changed);
            return changed;
        }
    }

    private void put(DeliveryStream stream) {
        store.save(stream);
        streams.put(stream.ref(), stream);
        listener.changed(stream);
    }

    private void scheduleTransitions(StreamRef ref) {
        if (limits.transitionDelay().isZero()) {
            completeTransitions(ref);
        } else {
            completeLater(ref, limits.transitionDelay());
        }
    }

    private void completeLater(StreamRef ref, Duration delay) {
        scheduler.schedule(() -> completeTransitions(ref), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void completeTransitions(StreamRef ref) {
        try {
            synchronized (writeLock) {
                DeliveryStream stream = streams.get(ref);
                if (stream == null) {
                    return;
                }
                if (stream.status() == DeliveryStreamStatus.DELETING) {
                    store.delete(ref);
                    streams.remove(ref);
                    listener.removed(stream);
                    LOG.info("Deleted delivery stream {}", ref.arn());
                    return;
                }
                DeliveryStream next = stream;
                if (next.status() == DeliveryStreamStatus.CREATING) {
                    next = next.withStatus(DeliveryStreamStatus.ACTIVE);
                }
                EncryptionStatus encryption = next.encryption().status();
                if (encryption == EncryptionStatus.ENABLING) {
                    next = next.withEncryption(next.encryption().withStatus(EncryptionStatus.ENABLED));
                } else if (encryption == EncryptionStatus.DISABLING) {
                    next = next.withEncryption(new Encryption(
                            EncryptionStatus.DISABLED,
                            Optional.empty(),
                            Optional.empty(),
                            next.encryption().toggles()));
                }
                if (next != stream) {
                    put(next);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Could not complete the pending change of delivery stream {}; retrying", ref.arn(), e);
            completeLater(ref, limits.transitionDelay().isZero() ? RETRY_DELAY : limits.transitionDelay());
        }
    }

    private List<Instant> recordToggle(DeliveryStream stream) {
        Instant now = clock.instant();
        List<Instant> recent = new ArrayList<>();
        for (Instant t : stream.encryption().toggles()) {
            if (t.isAfter(now.minus(TOGGLE_WINDOW))) {
                recent.add(t);
            }
        }
        if (recent.size() >= CatalogLimits.ENCRYPTION_TOGGLES_PER_DAY) {
            throw FirehoseException.of(
                    ErrorCode.LIMIT_EXCEEDED,
                    "You can call StartDeliveryStreamEncryption and StopDeliveryStreamEncryption a total of %d times"
                            + " per delivery stream per 24 hours; Firehose %s has reached that limit.",
                    CatalogLimits.ENCRYPTION_TOGGLES_PER_DAY,
                    stream.ref().name());
        }
        recent.add(now);
        return recent;
    }

    private static void requireEncryptable(DeliveryStream stream) {
        if (stream.type() != DeliveryStreamType.DIRECT_PUT) {
            throw FirehoseException.of(
                    ErrorCode.INVALID_ARGUMENT,
                    "Server-side encryption is only supported for delivery streams of type DirectPut; Firehose %s is"
                            + " of type %s.",
                    stream.ref().name(),
                    stream.type().wireName());
        }
        requireActive(stream);
        EncryptionStatus status = stream.encryption().status();
        if (status == EncryptionStatus.ENABLING || status == EncryptionStatus.DISABLING) {
            throw FirehoseException.of(
                    ErrorCode.RESOURCE_IN_USE,
                    "Firehose %s under account %s is updating its encryption (%s); try again later.",
                    stream.ref().name(),
                    stream.ref().account(),
                    status);
        }
    }

    private static void requireActive(DeliveryStream stream) {
        if (stream.status() != DeliveryStreamStatus.ACTIVE) {
            throw FirehoseException.of(
                    ErrorCode.RESOURCE_IN_USE,
                    "Firehose %s under account %s is in %s state, not ACTIVE.",
                    stream.ref().name(),
                    stream.ref().account(),
                    stream.status());
        }
    }

    private static FirehoseException tooManyTags(StreamRef ref) {
        return FirehoseException.of(
                ErrorCode.LIMIT_EXCEEDED,
                "A delivery stream can have at most %d tags; Firehose %s would have more.",
                CatalogLimits.TAGS_PER_STREAM,
                ref.name());
    }

    public static FirehoseException notFound(StreamRef ref) {
        return FirehoseException.of(
                ErrorCode.RESOURCE_NOT_FOUND, "Firehose %s under account %s not found.", ref.name(), ref.account());
    }
}
