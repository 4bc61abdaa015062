package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
        store.watch(new CatalogWatcher() {
            @Override
            public void changed(StreamRef ref) {
                refresh(ref);
            }

            @Override
            public void resync() {
                refreshAll();
            }
        });
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
        DeliveryStream created = apply(ref, current -> {
                    if (current.isPresent()) {
                        throw FirehoseException.of(
                                ErrorCode.RESOURCE_IN_USE,
                                "Firehose %s under accountId %s already exists",
                                ref.name(),
                                ref.account());
                    }
                    long inScope = streams.keySet().stream()
                            .filter(r -> r.account().equals(ref.account())
                                    && r.region().equals(ref.region()))
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
                            .map(e -> new Encryption(
                                    EncryptionStatus.ENABLING, Optional.of(e.keyType()), e.keyArn(), List.of()))
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
                    return Optional.of(stream);
                })
                .orElseThrow();
        LOG.info("Created delivery stream {} ({})", ref.arn(), created.uid());
        scheduleTransitions(ref);
        return created;
    }

    public void delete(StreamRef ref, boolean allowForceDelete) {
        apply(ref, current -> {
            DeliveryStream stream = current.orElseThrow(() -> notFound(ref));
            if (stream.status() == DeliveryStreamStatus.CREATING) {
                throw FirehoseException.of(
                        ErrorCode.RESOURCE_IN_USE,
                        "Firehose %s under account %s is in CREATING state and cannot be deleted.",
                        ref.name(),
                        ref.account());
            }
            if (stream.status() == DeliveryStreamStatus.DELETING) {
                return current;
            }
            LOG.info("Deleting delivery stream {}{}", ref.arn(), allowForceDelete ? " (forced)" : "");
            return Optional.of(stream.withStatus(DeliveryStreamStatus.DELETING));
        });
        scheduleTransitions(ref);
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
                apply(stream.ref(), current -> Optional.empty());
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
        return apply(ref, current -> Optional.of(change.apply(current.orElseThrow(() -> notFound(ref)))))
                .orElseThrow(() -> notFound(ref));
    }

    /**
     * Runs a change through the store (against the stream as stored, which another node may have changed)
     * and takes what is stored then as this node's copy.
     */
    private Optional<DeliveryStream> apply(StreamRef ref, UnaryOperator<Optional<DeliveryStream>> change) {
        synchronized (writeLock) {
            Optional<DeliveryStream> stored;
            try {
                stored = store.change(ref, find(ref), change);
            } catch (UncheckedIOException e) {
                LOG.warn("Could not change delivery stream {} in the catalog's store", ref.arn(), e);
                throw new FirehoseException(
                        ErrorCode.SERVICE_UNAVAILABLE, "The catalog could not be changed now; retry later.");
            }
            adopt(ref, stored);
            return stored;
        }
    }

    /** Reads a stream another node changed again, and finishes its transitions if that node does not. */
    private void refresh(StreamRef ref) {
        try {
            synchronized (writeLock) {
                adopt(ref, store.load(ref));
            }
            scheduleTransitionsOfOthers(ref);
        } catch (RuntimeException e) {
            LOG.warn("Could not read delivery stream {} again after another node changed it", ref.arn(), e);
        }
    }

    /** Reads every stream again (a shared store's resync). */
    private void refreshAll() {
        try {
            synchronized (writeLock) {
                Map<StreamRef, DeliveryStream> stored = new HashMap<>();
                store.loadAll().forEach(s -> stored.put(s.ref(), s));
                for (StreamRef ref : List.copyOf(streams.keySet())) {
                    if (!stored.containsKey(ref)) {
                        adopt(ref, Optional.empty());
                    }
                }
                stored.forEach((ref, stream) -> adopt(ref, Optional.of(stream)));
            }
            List.copyOf(streams.keySet()).forEach(this::scheduleTransitionsOfOthers);
        } catch (RuntimeException e) {
            LOG.warn("Could not read the catalog again", e);
        }
    }

    /**
     * Makes {@code stored} this node's copy of the stream and tells the listener what changed: a stream
     * replaced by another of the same name (deleted and created again elsewhere) is removed first.
     */
    private void adopt(StreamRef ref, Optional<DeliveryStream> stored) {
        DeliveryStream previous = streams.get(ref);
        if (previous != null && stored.map(s -> !s.uid().equals(previous.uid())).orElse(true)) {
            streams.remove(ref);
            listener.removed(previous);
            LOG.info("Deleted delivery stream {}", ref.arn());
        }
        stored.filter(s -> !s.equals(streams.get(ref))).ifPresent(s -> {
            streams.put(ref, s);
            listener.changed(s);
        });
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

    /**
     * A stream another node changed into a transitional state: that node finishes it, and this one too
     * after the delay should that node die first (the second finds it done and writes nothing).
     */
    private void scheduleTransitionsOfOthers(StreamRef ref) {
        find(ref)
                .filter(Catalog::inTransition)
                .ifPresent(s -> completeLater(ref, limits.transitionDelay().plus(RETRY_DELAY)));
    }

    private static boolean inTransition(DeliveryStream stream) {
        EncryptionStatus encryption = stream.encryption().status();
        return stream.status() == DeliveryStreamStatus.CREATING
                || stream.status() == DeliveryStreamStatus.DELETING
                || encryption == EncryptionStatus.ENABLING
                || encryption == EncryptionStatus.DISABLING;
    }

    private void completeTransitions(StreamRef ref) {
        try {
            apply(ref, current -> current.flatMap(Catalog::transitioned));
        } catch (RuntimeException e) {
            LOG.error("Could not complete the pending change of delivery stream {}; retrying", ref.arn(), e);
            completeLater(ref, limits.transitionDelay().isZero() ? RETRY_DELAY : limits.transitionDelay());
        }
    }

    /** The stream once its pending transitions are complete: gone if it was deleting. */
    private static Optional<DeliveryStream> transitioned(DeliveryStream stream) {
        if (stream.status() == DeliveryStreamStatus.DELETING) {
            return Optional.empty();
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
        return Optional.of(next);
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
