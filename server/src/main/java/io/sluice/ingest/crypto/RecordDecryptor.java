package io.sluice.ingest.crypto;

import static java.util.Objects.requireNonNull;

import io.sluice.log.LogRecord;
import io.sluice.log.StreamKey;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Gives readers of the log each record's plaintext, decrypting records stored encrypted (flags bit 0)
 * with their stream's data key. Not thread-safe (it keeps a cipher and a buffer as large as the
 * largest record it decrypted): one per reading thread; cheap to make.
 */
public final class RecordDecryptor {
    private final DataKeys keys;
    private final Cipher cipher;
    private byte[] scratch = new byte[4096];

    public RecordDecryptor(DataKeys keys) {
        this.keys = requireNonNull(keys, "keys is null");
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * The plaintext of a record of {@code stream} (whose key is the stream's uid): its (read-only)
     * payload if it was stored plain, else a new buffer of the decrypted bytes.
     *
     * @throws UnreadableRecordException the record is flagged encrypted and its key is missing or
     *     unusable, or the record is damaged or was not encrypted with that key
     */
    public ByteBuffer plaintext(StreamKey stream, LogRecord record) {
        if (!RecordFlags.encrypted(record.flags())) {
            return record.payload();
        }
        ByteBuffer sealed = record.payload();
        int length = sealed.remaining();
        if (length < RecordEncryptor.OVERHEAD_BYTES) {
            throw unreadable(stream, record, "it is " + length + " bytes, shorter than the encryption envelope", null);
        }
        int start = sealed.position();
        int version = sealed.get(start) & 0xFF;
        if (version != RecordEncryptor.VERSION) {
            throw unreadable(stream, record, "its encryption format version " + version + " is unknown", null);
        }
        int keyId = sealed.getInt(start + 1);
        DataKey key;
        try {
            key = keys.find(stream.value(), keyId)
                    .orElseThrow(() -> unreadable(
                            stream,
                            record,
                            "the stream's data key " + Integer.toUnsignedString(keyId, 16) + " is missing (keys/"
                                    + stream.value() + ".key is gone or lacks it)",
                            null));
        } catch (KeyFileException | UncheckedIOException | IllegalArgumentException e) {
            throw unreadable(stream, record, "the stream's data keys cannot be used: " + e.getMessage(), e);
        }
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, 2 * scratch.length)];
        }
        sealed.get(start, scratch, 0, length);
        byte[] plaintext = new byte[length - RecordEncryptor.OVERHEAD_BYTES];
        try {
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    key.secret(),
                    new GCMParameterSpec(
                            MasterKey.TAG_BITS, scratch, RecordEncryptor.AAD_BYTES, NonceSequence.NONCE_BYTES));
            cipher.updateAAD(scratch, 0, RecordEncryptor.AAD_BYTES);
            cipher.doFinal(scratch, RecordEncryptor.HEADER_BYTES, length - RecordEncryptor.HEADER_BYTES, plaintext, 0);
        } catch (AEADBadTagException e) {
            throw unreadable(stream, record, "it failed authentication: it is damaged, or not of this key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
        return ByteBuffer.wrap(plaintext);
    }

    private static UnreadableRecordException unreadable(
            StreamKey stream, LogRecord record, String why, Throwable cause) {
        return new UnreadableRecordException(
                "Record " + record.offset() + " of stream " + stream + " is stored encrypted and cannot be decrypted: "
                        + why,
                cause);
    }
}
