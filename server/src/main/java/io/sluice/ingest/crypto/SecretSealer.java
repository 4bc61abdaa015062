package io.sluice.ingest.crypto;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.SecretSeal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.AEADBadTagException;

/**
 * Catalog secrets sealed with the data directory's master key: {@code "1:" + base64(nonce, ciphertext,
 * tag)}, AES-256-GCM with a random 12-byte nonce and, as additional authenticated data, {@code "SLSS"},
 * the version byte 1 and the context (UTF-8). Thread-safe.
 */
public final class SecretSealer implements SecretSeal {
    private static final String PREFIX = "1:";
    private static final byte[] MAGIC = "SLSS".getBytes(StandardCharsets.US_ASCII);

    private final MasterKey master;

    public SecretSealer(MasterKey master) {
        this.master = requireNonNull(master, "master is null");
    }

    @Override
    public String seal(String secret, String context) {
        requireNonNull(secret, "secret is null");
        byte[] wrapped = master.wrap(secret.getBytes(StandardCharsets.UTF_8), associatedData(context));
        return PREFIX + Base64.getEncoder().encodeToString(wrapped);
    }

    @Override
    public String open(String sealed, String context) {
        requireNonNull(sealed, "sealed is null");
        if (!sealed.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a sealed secret of version 1");
        }
        try {
            byte[] wrapped = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            if (wrapped.length < NonceSequence.NONCE_BYTES + MasterKey.TAG_BITS / 8) {
                throw new IllegalArgumentException("a sealed secret too short to hold a nonce and a tag");
            }
            return new String(master.unwrap(wrapped, associatedData(context)), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException(
                    "a sealed secret that does not open with this data directory's master key (keys/master.key)");
        }
    }

    private static byte[] associatedData(String context) {
        byte[] text = requireNonNull(context, "context is null").getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(MAGIC.length + 1 + text.length)
                .put(MAGIC)
                .put((byte) 1)
                .put(text)
                .array();
    }
}
