package io.sluice.server;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DeliveryStreamStatus;
import io.sluice.catalog.StreamOwnership;
import io.sluice.delivery.DeliveryEngine;
import io.sluice.source.Sources;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands the engine and the source readers the streams this node owns: the catalog's changes of owned
 * streams as they come, a stream this node gains as it is then, and a stream it loses released (stopped,
 * its positions kept for the next owner). On a node of its own ({@link StreamOwnership#ALL}) that is every
 * change. Serialised, so a change and a gain or loss of one stream never cross. Until {@link #start} it only
 * learns the streams.
 */
final class OwnedStreams implements StreamOwnership.Listener {
    private final DeliveryEngine delivery;
    private final Sources sources;
    private final Map<String, DeliveryStream> known = new ConcurrentHashMap<>();
    private StreamOwnership ownership;

    OwnedStreams(DeliveryEngine delivery, Sources sources) {
        this.delivery = requireNonNull(delivery, "delivery is null");
        this.sources = requireNonNull(sources, "sources is null");
    }

    /**
     * Starts the work of the streams {@code ownership} gives this node now; those it gains and loses later
     * come to this listener.
     */
    synchronized void start(StreamOwnership ownership) {
        this.ownership = requireNonNull(ownership, "ownership is null");
        known.values().forEach(this::changed);
    }

    /** The uids of the ACTIVE streams: those a cluster shares out. */
    Collection<String> active() {
        return known.values().stream()
                .filter(s -> s.status() == DeliveryStreamStatus.ACTIVE)
                .map(DeliveryStream::uid)
                .toList();
    }

    /** A stream was created or changed (the catalog's listener). */
    synchronized void changed(DeliveryStream stream) {
        known.put(stream.uid(), stream);
        if (ownership != null && ownership.owns(stream.uid())) {
            delivery.changed(stream);
            sources.changed(stream);
        }
    }

    /** A stream is gone: whoever owned it stops, and its positions are forgotten. */
    synchronized void removed(DeliveryStream stream) {
        known.remove(stream.uid());
        sources.removed(stream);
        delivery.removed(stream);
    }

    @Override
    public synchronized void gained(String streamUid) {
        DeliveryStream stream = known.get(streamUid);
        if (stream != null) {
            delivery.changed(stream);
            sources.changed(stream);
        }
    }

    @Override
    public synchronized void lost(String streamUid) {
        DeliveryStream stream = known.get(streamUid);
        if (stream != null) {
            sources.release(stream);
            delivery.release(stream);
        }
    }
}
