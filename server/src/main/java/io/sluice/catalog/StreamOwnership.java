package io.sluice.catalog;

/**
 * Which streams this node delivers and reads sources for, by {@link DeliveryStream#uid()}: every stream
 * on a node of its own; in a cluster, those it holds a lease on. At most one node owns a stream at a time,
 * but a node may go on briefly after losing a stream, so the work owned must be safe to do twice
 * (at-least-once delivery, positions that never move back).
 */
public interface StreamOwnership {
    /** A node of its own: it owns every stream, always. */
    StreamOwnership ALL = new StreamOwnership() {
        @Override
        public boolean owns(String streamUid) {
            return true;
        }

        @Override
        public void watch(Listener listener) {}
    };

    boolean owns(String streamUid);

    /** Tells {@code listener} of the streams this node gains and loses from now on. */
    void watch(Listener listener);

    /** Told on the ownership's own thread; must not block it for long. */
    interface Listener {
        void gained(String streamUid);

        void lost(String streamUid);
    }
}
