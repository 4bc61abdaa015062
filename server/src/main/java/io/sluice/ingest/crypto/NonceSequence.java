package io.sluice.ingest.crypto;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The AES-GCM nonces of one data key in this process: an 8-byte random epoch and a 4-byte counter
 * (see the package documentation). Thread-safe and lock-free except when an epoch runs out.
 */
final class NonceSequence {
    static final int NONCE_BYTES = 12;
    static final long COUNTERS_PER_EPOCH = 1L << 32;

    /** A run of nonces for one batch: {@code epoch} followed by counters from {@code firstCounter}. */
    record Run(long epoch, long firstCounter, int count) {
        /** Writes the {@code index}th nonce of the run into {@code out} at {@code at}. */
        void write(int index, byte[] out, int at) {
            if (index < 0 || index >= count) {
                throw new IndexOutOfBoundsException(index);
            }
            long counter = firstCounter + index;
            for (int i = 0; i < 8; i++) {
                out[at + i] = (byte) (epoch >>> (56 - 8 * i));
            }
            for (int i = 0; i < 4; i++) {
                out[at + 8 + i] = (byte) (counter >>> (24 - 8 * i));
            }
        }
    }

    private record Epoch(long value, AtomicLong next) {}

    private final SecureRandom random;
    private final long countersPerEpoch;
    private volatile Epoch epoch;

    NonceSequence(SecureRandom random) {
        this(random, COUNTERS_PER_EPOCH);
    }

    /** {@code countersPerEpoch} below 2<sup>32</sup> lets tests reach the end of an epoch. */
    NonceSequence(SecureRandom random, long countersPerEpoch) {
        this.random = requireNonNull(random, "random is null");
        if (countersPerEpoch < 1 || countersPerEpoch > COUNTERS_PER_EPOCH) {
            throw new IllegalArgumentException("counters per epoch must be 1 to 2^32: " + countersPerEpoch);
        }
        this.countersPerEpoch = countersPerEpoch;
        this.epoch = newEpoch();
    }

    /** Reserves {@code count} nonces no one else gets. */
    Run reserve(int count) {
        if (count < 1 || count > countersPerEpoch) {
            throw new IllegalArgumentException("cannot reserve " + count + " nonces");
        }
        while (true) {
            Epoch current = epoch;
            long first = current.next().getAndAdd(count);
            if (first <= countersPerEpoch - count) {
                return new Run(current.value(), first, count);
            }
            synchronized (this) {
                if (epoch.equals(current)) {
                    epoch = newEpoch();
                }
            }
        }
    }

    private Epoch newEpoch() {
        return new Epoch(random.nextLong(), new AtomicLong());
    }
}
