package io.sluice.ingest.crypto;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data keys of every stream, one key ring per stream in a {@link KeyRingStore} (layout in the package
 * documentation), cached unwrapped in memory once read. Lookups of a known key take no lock; making a
 * key or reading a ring is serialised. A key is made once per enablement even when several nodes share
 * the store: a node whose ring changed under it (another node made the key) reads it again and takes that
 * key. Thread-safe.
 */
public final class DataKeys {
    private static final Logger LOG = LoggerFactory.getLogger(DataKeys.class);
    private static final int MAGIC = 0x534C444B;
    private static final int VERSION = 1;
    private static final int WRAPPED_BYTES = NonceSequence.NONCE_BYTES + MasterKey.KEY_BYTES + 16;
    private static final int ENTRY_BYTES = 4 + 8 + WRAPPED_BYTES;

    /** A stream's keys, and the stored bytes they were read from (empty: none stored). */
    private record Ring(List<DataKey> keys, Optional<byte[]> stored) {
        static final Ring NONE = new Ring(List.of(), Optional.empty());
    }

    private final KeyRingStore store;
    private final MasterKey master;
    private final SecureRandom random;
    private final Map<String, Ring> rings = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();

    public DataKeys(KeyRingStore store, MasterKey master, SecureRandom random) {
        this.store = requireNonNull(store, "store is null");
        this.master = requireNonNull(master, "master is null");
        this.random = requireNonNull(random, "random is null");
    }

    /** The data keys in {@code keysDirectory}, with its master key (made if this is the first start). */
    public static DataKeys open(Path keysDirectory, SecureRandom random) throws IOException {
        return new DataKeys(new FileKeyRings(keysDirectory), MasterKey.openOrCreate(keysDirectory, random), random);
    }

    /**
     * The data key of an enablement, made and stored durably first if it has none yet.
     *
     * @throws KeyFileException the stream's key ring is damaged or not wrapped by this master key
     * @throws UncheckedIOException the key ring could not be read or written (retry later)
     */
    public DataKey keyFor(Enablement enablement) {
        String uid = enablement.streamUid();
        Ring cached = rings.get(uid);
        if (cached != null) {
            Optional<DataKey> key = since(cached.keys(), enablement.sinceMillis());
            if (key.isPresent()) {
                return key.get();
            }
        }
        synchronized (writeLock) {
            while (true) {
                Ring ring = reread(uid);
                Optional<DataKey> key = since(ring.keys(), enablement.sinceMillis());
                if (key.isPresent()) {
                    return key.get();
                }
                byte[] secret = new byte[MasterKey.KEY_BYTES];
                random.nextBytes(secret);
                DataKey made = new DataKey(
                        newId(ring.keys()),
                        enablement.sinceMillis(),
                        new SecretKeySpec(secret, "AES"),
                        new NonceSequence(random));
                List<DataKey> grown = new ArrayList<>(ring.keys());
                grown.add(made);
                Arrays.fill(secret, (byte) 0);
                byte[] encoded = encode(uid, grown);
                try {
                    if (!store.replace(uid, ring.stored(), encoded)) {
                        continue;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot store a new data key in " + store.describe(uid), e);
                }
                rings.put(uid, new Ring(List.copyOf(grown), Optional.of(encoded)));
                LOG.info("Made data key {} of stream {} (key {} of the stream)", made, uid, grown.size());
                return made;
            }
        }
    }

    /**
     * The stream's data key with this id, if its key ring has it (read again when the cached ring lacks
     * it: another node may have made it).
     *
     * @throws KeyFileException the stream's key ring is damaged or not wrapped by this master key
     * @throws UncheckedIOException the key ring could not be read
     */
    public Optional<DataKey> find(String streamUid, int keyId) {
        Ring ring = rings.get(streamUid);
        Optional<DataKey> found = ring == null ? Optional.empty() : withId(ring, keyId);
        if (found.isPresent()) {
            return found;
        }
        synchronized (writeLock) {
            return withId(reread(streamUid), keyId);
        }
    }

    /** Forgets a deleted stream's keys and deletes its key ring: its records can never be decrypted again. */
    public void delete(String streamUid) throws IOException {
        synchronized (writeLock) {
            rings.remove(streamUid);
            store.delete(streamUid);
        }
        LOG.info("Deleted the data keys of stream {}", streamUid);
    }

    private static Optional<DataKey> withId(Ring ring, int keyId) {
        return ring.keys().stream().filter(k -> k.id() == keyId).findFirst();
    }

    /** The stream's keys as stored now, cached; holds the lock. */
    private Ring reread(String uid) {
        Optional<byte[]> bytes;
        try {
            bytes = store.read(uid);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the data keys in " + store.describe(uid), e);
        }
        Ring ring = bytes.map(b -> new Ring(decode(uid, store.describe(uid), b), bytes))
                .orElse(Ring.NONE);
        rings.put(uid, ring);
        return ring;
    }

    private static Optional<DataKey> since(List<DataKey> ring, long sinceMillis) {
        for (DataKey key : ring) {
            if (key.sinceMillis() == sinceMillis) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    private int newId(List<DataKey> ring) {
        while (true) {
            int id = random.nextInt();
            if (id != 0 && ring.stream().noneMatch(k -> k.id() == id)) {
                return id;
            }
        }
    }

    /** The key file holding {@code ring}, every key wrapped afresh. */
    private byte[] encode(String uid, List<DataKey> ring) {
        ByteBuffer out = ByteBuffer.allocate(4 + 1 + 4 + ring.size() * ENTRY_BYTES + 4)
                .putInt(MAGIC)
                .put((byte) VERSION)
                .putInt(ring.size());
        for (DataKey key : ring) {
            byte[] secret = key.secret().getEncoded();
            out.putInt(key.id())
                    .putLong(key.sinceMillis())
                    .put(master.wrap(secret, associatedData(uid, key.id(), key.sinceMillis())));
            Arrays.fill(secret, (byte) 0);
        }
        out.putInt(MasterKey.crc(out.array(), out.position()));
        return out.array();
    }

    private List<DataKey> decode(String uid, String file, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            int count;
            if (in.getInt() != MAGIC || in.get() != VERSION || (count = in.getInt()) < 0) {
                throw new KeyFileException(file + " is not a Sluice data key file");
            }
            if (bytes.length != 4 + 1 + 4 + (long) count * ENTRY_BYTES + 4
                    || in.getInt(bytes.length - 4) != MasterKey.crc(bytes, bytes.length - 4)) {
                throw new KeyFileException(file + " is damaged (wrong size or checksum); restore it from a backup");
            }
            List<DataKey> ring = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int id = in.getInt();
                long since = in.getLong();
                byte[] wrapped = new byte[WRAPPED_BYTES];
                in.get(wrapped);
                byte[] secret;
                try {
                    secret = master.unwrap(wrapped, associatedData(uid, id, since));
                } catch (AEADBadTagException e) {
                    throw new KeyFileException(
                            file + " was not written with this master key for this stream (or was altered); its"
                                    + " records cannot be decrypted. Restore the matching keys/master.key",
                            e);
                }
                ring.add(new DataKey(id, since, new SecretKeySpec(secret, "AES"), new NonceSequence(random)));
                Arrays.fill(secret, (byte) 0);
            }
            return List.copyOf(ring);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new KeyFileException(file + " is not a valid Sluice data key file", e);
        }
    }

    private static byte[] associatedData(String uid, int keyId, long sinceMillis) {
        byte[] uidBytes = uid.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + 1 + uidBytes.length + 4 + 8)
                .putInt(MAGIC)
                .put((byte) VERSION)
                .put(uidBytes)
                .putInt(keyId)
                .putLong(sinceMillis)
                .array();
    }
}
