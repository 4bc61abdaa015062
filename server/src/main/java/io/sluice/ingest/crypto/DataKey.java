package io.sluice.ingest.crypto;

import static java.util.Objects.requireNonNull;

import javax.crypto.SecretKey;

/** One data key of a stream, unwrapped: what encrypts and decrypts its records. */
public final class DataKey {
    private final int id;
    private final long sinceMillis;
    private final SecretKey secret;
    private final NonceSequence nonces;

    DataKey(int id, long sinceMillis, SecretKey secret, NonceSequence nonces) {
        if (id == 0) {
            throw new IllegalArgumentException("key id 0 is never used");
        }
        this.id = id;
        this.sinceMillis = sinceMillis;
        this.secret = requireNonNull(secret, "secret is null");
        this.nonces = requireNonNull(nonces, "nonces is null");
    }

    /** The id stored in each record encrypted with this key. */
    public int id() {
        return id;
    }

    /** The enablement ({@link Enablement#sinceMillis()}) this key was made for. */
    public long sinceMillis() {
        return sinceMillis;
    }

    SecretKey secret() {
        return secret;
    }

    NonceSequence nonces() {
        return nonces;
    }

    @Override
    public String toString() {
        return "DataKey[id=" + Integer.toUnsignedString(id, 16) + ", since=" + sinceMillis + "]";
    }
}
