package io.sluice.ingest.crypto;

import static java.util.Objects.requireNonNull;

import io.sluice.common.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data keys of every stream, one key file per stream in the keys directory (layout in the package
 * documentation), cached unwrapped in memory once read. Lookups of a known key take no lock; making a
 * key or reading a key file is serialised. Thread-safe.
 */
public final class DataKeys {
    private static final Logger LOG = LoggerFactory.getLogger(DataKeys.class);
    private static final int MAGIC = 0x534C444B;
    private static final int VERSION = 1;
    private static final int WRAPPED_BYTES = NonceSequence.NONCE_BYTES + MasterKey.KEY_BYTES + 16;
    private static final int ENTRY_BYTES = 4 + 8 + WRAPPED_BYTES;

    private final Path directory;
    private final MasterKey master;
    private final SecureRandom random;
    private final Map<String, List<DataKey>> rings = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();

    public DataKeys(Path directory, MasterKey master, SecureRandom random) {
        this.directory = requireNonNull(directory, "directory is null");
        this.master = requireNonNull(master, "master is null");
        this.random = requireNonNull(random, "random is null");
    }

    /** The data keys in {@code keysDirectory}, with its master key (made if this is the first start). */
    public static DataKeys open(Path keysDirectory, SecureRandom random) throws IOException {
        return new DataKeys(keysDirectory, MasterKey.openOrCreate(keysDirectory, random), random);
    }

    /**
     * The data key of an enablement, made and stored durably first if it has none yet.
     *
     * @throws KeyFileException the stream's key file is damaged or not wrapped by this master key
     * @throws UncheckedIOException the key file could not be read or written (retry later)
     */
    public DataKey keyFor(Enablement enablement) {
        String uid = enablement.streamUid();
        List<DataKey> cached = rings.get(uid);
        if (cached != null) {
            Optional<DataKey> key = since(cached, enablement.sinceMillis());
            if (key.isPresent()) {
                return key.get();
            }
        }
        synchronized (writeLock) {
            List<DataKey> ring = ring(uid);
            Optional<DataKey> key = since(ring, enablement.sinceMillis());
            if (key.isPresent()) {
                return key.get();
            }
            byte[] secret = new byte[MasterKey.KEY_BYTES];
            random.nextBytes(secret);
            DataKey made = new DataKey(
                    newId(ring), enablement.sinceMillis(), new SecretKeySpec(secret, "AES"), new NonceSequence(random));
            List<DataKey> grown = new ArrayList<>(ring);
            grown.add(made);
            Arrays.fill(secret, (byte) 0);
            try {
                AtomicFiles.replaceOwnerOnly(file(uid), encode(uid, grown));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot store a new data key in " + file(uid), e);
            }
            rings.put(uid, List.copyOf(grown));
            LOG.info("Made data key {} of stream {} (key {} of the stream)", made, uid, grown.size());
            return made;
        }
    }

    /**
     * The stream's data key with this id, if its key file has it.
     *
     * @throws KeyFileException the stream's key file is damaged or not wrapped by this master key
     * @throws UncheckedIOException the key file could not be read
     */
    public Optional<DataKey> find(String streamUid, int keyId) {
        List<DataKey> ring = rings.get(streamUid);
        if (ring == null) {
            synchronized (writeLock) {
                ring = ring(streamUid);
            }
        }
        return ring.stream().filter(k -> k.id() == keyId).findFirst();
    }

    /** Forgets a deleted stream's keys and deletes its key file: its records can never be decrypted again. */
    public void delete(String streamUid) throws IOException {
        synchronized (writeLock) {
            rings.remove(streamUid);
            AtomicFiles.delete(file(streamUid));
        }
        LOG.info("Deleted the data keys of stream {}", streamUid);
    }

    /** The stream's keys, read from its file (none if it has no file) if not cached; holds the lock. */
    private List<DataKey> ring(String uid) {
        List<DataKey> cached = rings.get(uid);
        if (cached != null) {
            return cached;
        }
        Path file = file(uid);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            rings.put(uid, List.of());
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the data keys in " + file, e);
        }
        List<DataKey> ring = decode(uid, file, bytes);
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

    private List<DataKey> decode(String uid, Path file, byte[] bytes) {
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

    private Path file(String uid) {
        requireUuid(uid);
        return directory.resolve(uid + MasterKey.KEY_SUFFIX);
    }

    /** Stream uids become file names: only the catalog's canonical UUIDs are accepted. */
    private static void requireUuid(String uid) {
        boolean canonical;
        try {
            canonical = UUID.fromString(uid).toString().equals(uid);
        } catch (IllegalArgumentException e) {
            canonical = false;
        }
        if (!canonical) {
            throw new IllegalArgumentException("a stream uid is a UUID: " + uid);
        }
    }
}
