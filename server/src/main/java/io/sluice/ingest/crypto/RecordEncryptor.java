package io.sluice.ingest.crypto;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DeliveryStream;
import io.sluice.log.AppendRecord;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Turns a put's records into what the log stores: encrypted under the stream's current data key when
 * the stream's encryption is ENABLED at put time, as given otherwise (ENABLING, DISABLING, DISABLED:
 * records put while encryption is being enabled are not encrypted, as on AWS). Record layout in the
 * package documentation. Thread-safe.
 */
public final class RecordEncryptor {
    static final int VERSION = 1;
    static final int HEADER_BYTES = 1 + 4 + NonceSequence.NONCE_BYTES;
    static final int AAD_BYTES = 1 + 4;
    static final int TAG_BYTES = MasterKey.TAG_BITS / 8;
    /** How many bytes longer an encrypted record is than its plaintext. */
    public static final int OVERHEAD_BYTES = HEADER_BYTES + TAG_BYTES;

    private final DataKeys keys;

    public RecordEncryptor(DataKeys keys) {
        this.keys = requireNonNull(keys, "keys is null");
    }

    /** Whether records put to the stream now are stored encrypted: its encryption is ENABLED. */
    public boolean encrypts(DeliveryStream stream) {
        return Enablement.of(stream).isPresent();
    }

    /**
     * The records to append for {@code plaintexts}, all with {@code arrivalMillis}. Encrypted records
     * share one new byte array; plain ones are the given buffers.
     *
     * @throws KeyFileException the stream's key file is unusable
     * @throws java.io.UncheckedIOException the stream's first data key could not be stored (retry later)
     */
    public AppendBatch encode(DeliveryStream stream, List<ByteBuffer> plaintexts, long arrivalMillis) {
        Optional<Enablement> enablement = Enablement.of(stream);
        List<AppendRecord> records = new ArrayList<>(plaintexts.size());
        if (enablement.isEmpty()) {
            for (ByteBuffer plaintext : plaintexts) {
                records.add(new AppendRecord(plaintext, arrivalMillis, 0));
            }
            return new AppendBatch(records, false);
        }
        DataKey key = keys.keyFor(enablement.get());
        long total = 0;
        for (ByteBuffer plaintext : plaintexts) {
            total += plaintext.remaining() + OVERHEAD_BYTES;
        }
        byte[] arena = new byte[Math.toIntExact(total)];
        NonceSequence.Run nonces = key.nonces().reserve(plaintexts.size());
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            int at = 0;
            for (int i = 0; i < plaintexts.size(); i++) {
                ByteBuffer plaintext = plaintexts.get(i);
                int start = at;
                arena[at] = VERSION;
                putInt(arena, at + 1, key.id());
                nonces.write(i, arena, at + AAD_BYTES);
                cipher.init(
                        Cipher.ENCRYPT_MODE,
                        key.secret(),
                        new GCMParameterSpec(MasterKey.TAG_BITS, arena, at + AAD_BYTES, NonceSequence.NONCE_BYTES));
                cipher.updateAAD(arena, at, AAD_BYTES);
                at += HEADER_BYTES;
                if (plaintext.hasArray()) {
                    at += cipher.doFinal(
                            plaintext.array(),
                            plaintext.arrayOffset() + plaintext.position(),
                            plaintext.remaining(),
                            arena,
                            at);
                } else {
                    at += cipher.doFinal(
                            plaintext.duplicate(), ByteBuffer.wrap(arena, at, plaintext.remaining() + TAG_BYTES));
                }
                records.add(new AppendRecord(
                        ByteBuffer.wrap(arena, start, at - start), arrivalMillis, RecordFlags.ENCRYPTED));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        return new AppendBatch(records, true);
    }

    private static void putInt(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }
}
