package io.sluice.ingest.crypto;

import static java.util.Objects.requireNonNull;

import io.sluice.common.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;
import java.util.zip.CRC32C;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master key in {@code <keys>/master.key}: wraps and unwraps data keys (AES-256-GCM) and nothing
 * else. File layout and permissions in the package documentation. Thread-safe.
 */
public final class MasterKey {
    static final String FILE_NAME = "master.key";
    static final int KEY_BYTES = 32;
    static final int TAG_BITS = 128;
    static final String KEY_SUFFIX = ".key";

    private static final int MAGIC = 0x534C4D4B;
    private static final int VERSION = 1;
    private static final int FILE_BYTES = 4 + 1 + KEY_BYTES + 4;
    private static final byte[] PROOF_CONTEXT = "sluice master key proof".getBytes(StandardCharsets.UTF_8);
    private static final Set<PosixFilePermission> OTHERS = Set.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private final SecretKey key;
    private final SecureRandom random;

    private MasterKey(SecretKey key, SecureRandom random) {
        this.key = key;
        this.random = random;
    }

    /**
     * Reads the master key of {@code keysDirectory}, or makes one if there is none yet (creating the
     * directory {@code rwx------}).
     *
     * @throws KeyFileException the file is damaged or group or others may access it, or it is missing
     *     while data key files exist (their records would be lost)
     */
    public static MasterKey openOrCreate(Path keysDirectory, SecureRandom random) throws IOException {
        requireNonNull(keysDirectory, "keysDirectory is null");
        requireNonNull(random, "random is null");
        Path file = keysDirectory.resolve(FILE_NAME);
        if (!Files.isDirectory(keysDirectory)) {
            Files.createDirectories(
                    keysDirectory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        try {
            return read(file, random);
        } catch (NoSuchFileException e) {
            requireNoDataKeys(keysDirectory);
            byte[] secret = new byte[KEY_BYTES];
            random.nextBytes(secret);
            ByteBuffer content = ByteBuffer.allocate(FILE_BYTES)
                    .putInt(MAGIC)
                    .put((byte) VERSION)
                    .put(secret);
            content.putInt(crc(content.array(), content.position()));
            AtomicFiles.replaceOwnerOnly(file, content.array());
            return new MasterKey(new SecretKeySpec(secret, "AES"), random);
        }
    }

    private static MasterKey read(Path file, SecureRandom random) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (permissions.stream().anyMatch(OTHERS::contains)) {
            throw new KeyFileException(file + " may be accessed by others ("
                    + PosixFilePermissions.toString(permissions) + "); Sluice uses a master key only if it is"
                    + " rw------- (chmod 600 it, and consider the key exposed)");
        }
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer content = ByteBuffer.wrap(bytes);
        if (bytes.length != FILE_BYTES
                || content.getInt() != MAGIC
                || content.get() != VERSION
                || content.getInt(FILE_BYTES - 4) != crc(bytes, FILE_BYTES - 4)) {
            throw new KeyFileException(file + " is not a valid Sluice master key (wrong size, format or checksum);"
                    + " restore it from a backup");
        }
        byte[] secret = Arrays.copyOfRange(bytes, 5, 5 + KEY_BYTES);
        return new MasterKey(new SecretKeySpec(secret, "AES"), random);
    }

    private static void requireNoDataKeys(Path keysDirectory) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(keysDirectory, "*" + KEY_SUFFIX)) {
            Iterator<Path> dataKeys = files.iterator();
            if (dataKeys.hasNext()) {
                throw new KeyFileException(keysDirectory.resolve(FILE_NAME) + " is missing but data keys such as "
                        + dataKeys.next().getFileName() + " exist: they cannot be read without it. Restore the"
                        + " master key, or delete the keys directory to give up the encrypted records for good");
            }
        }
    }

    /**
     * A proof of this key, safe to store where every node of a cluster looks: random bytes wrapped by it.
     * {@link #opens} tells another node whether its key is this one.
     */
    public byte[] proof() {
        byte[] bytes = new byte[KEY_BYTES];
        random.nextBytes(bytes);
        return wrap(bytes, PROOF_CONTEXT);
    }

    /** Whether {@code proof} was made by this key (see {@link #proof}). */
    public boolean opens(byte[] proof) {
        try {
            unwrap(proof, PROOF_CONTEXT);
            return true;
        } catch (AEADBadTagException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The wrapped form of {@code secret}: a random 12-byte nonce, the ciphertext and the tag. */
    byte[] wrap(byte[] secret, byte[] associatedData) {
        byte[] nonce = new byte[NonceSequence.NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(secret);
            return ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * The secret {@link #wrap} wrapped.
     *
     * @throws AEADBadTagException the bytes were not wrapped by this master key with this associated data
     */
    byte[] unwrap(byte[] wrapped, byte[] associatedData) throws AEADBadTagException {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, wrapped, 0, NonceSequence.NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(wrapped, NonceSequence.NONCE_BYTES, wrapped.length - NonceSequence.NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    @Override
    public String toString() {
        return "MasterKey";
    }
}
