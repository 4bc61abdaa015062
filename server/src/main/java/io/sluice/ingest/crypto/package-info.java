/**
 * Server-side encryption of stored records (StartDeliveryStreamEncryption with {@code AWS_OWNED_CMK}):
 * records put while a stream's encryption is {@code ENABLED} are stored AES-256-GCM encrypted in the
 * record log, under a data key of their own stream; the data keys are kept wrapped by one master key.
 * JDK cryptography only ({@code javax.crypto}). Entry points: {@link io.sluice.ingest.crypto.RecordEncryptor}
 * on the put path, {@link io.sluice.ingest.crypto.RecordDecryptor} for readers of the log, both over
 * {@link io.sluice.ingest.crypto.DataKeys}.
 *
 * <h2>Keys</h2>
 *
 * <ul>
 *   <li>The master key, 256-bit AES, in {@code <data-dir>/keys/master.key}: created at the first start
 *       ({@code keys/} is {@code rwx------}, the file {@code rw-------} from the moment it exists,
 *       written atomically); a master key file that group or others may access is refused. It never
 *       encrypts records, only data keys.
 *   <li>A data key per stream and per enablement, random 256-bit AES: the first time a stream's
 *       encryption is {@code ENABLED} after the StartDeliveryStreamEncryption (or the
 *       CreateDeliveryStream) that asked for it, a new data key is made, so every Start rotates the key;
 *       older keys stay in the stream's key file and keep decrypting the records stored under them.
 *       Which enablement a key serves is the {@link io.sluice.ingest.crypto.Enablement}.
 *   <li>Losing {@code master.key} makes every encrypted record unreadable: Sluice refuses to start
 *       with stream key files but no master key rather than make a new one silently.
 *   <li>A stream's key file is deleted when the stream is deleted, so any of its records still on
 *       disk can no longer be decrypted.
 * </ul>
 *
 * <h2>File layouts</h2>
 *
 * All integers big-endian.
 *
 * <pre>
 * keys/master.key, 41 bytes
 *   0   u32     magic 0x534C4D4B ("SLMK")
 *   4   u8      format version, 1
 *   5   32 B    the AES-256 master key
 *   37  u32     CRC32C of bytes 0 to 36
 *
 * keys/&lt;stream uid&gt;.key (the uid is the catalog's UUID of the stream), rewritten whole and atomically
 * (owner-only) when a key is added
 *   0   u32     magic 0x534C444B ("SLDK")
 *   4   u8      format version, 1
 *   5   u32     key count N
 *   N entries of 72 bytes, oldest first:
 *       u32     key id: random, non-zero, unique within the stream
 *       i64     enablement: epoch milliseconds of the Start (or Create) the key was made for
 *       12 B    wrapping nonce, random
 *       48 B    the data key AES-GCM encrypted under the master key: 32 bytes and the 16-byte tag;
 *               additional authenticated data: "SLDK", version, stream uid (UTF-8), key id, enablement
 *   u32     CRC32C of all the bytes before it
 * </pre>
 *
 * <h2>Sealed catalog secrets</h2>
 *
 * {@link io.sluice.ingest.crypto.SecretSealer} seals the destination secrets the catalog stores (never
 * records): the text {@code "1:"} followed by the base64 of a random 12-byte nonce, the AES-256-GCM
 * ciphertext of the secret's UTF-8 bytes under the master key, and the 16-byte tag; the additional
 * authenticated data is {@code "SLSS"}, the version byte 1 and the context (UTF-8), which the catalog makes
 * {@code <stream uid>/<configuration member><JSON pointer>}, so a sealed value moved to another stream or
 * member does not open.
 *
 * <h2>Encrypted record layout</h2>
 *
 * A record stored encrypted has bit 0 of its log flags set ({@link io.sluice.ingest.crypto.RecordFlags#ENCRYPTED})
 * and this payload; it is 33 bytes longer than the plaintext.
 *
 * <pre>
 *   0   u8      format version, 1
 *   1   u32     key id of the stream's data key that encrypted it
 *   5   12 B    nonce
 *   17  P B     ciphertext, as long as the plaintext
 *   17+P 16 B   GCM authentication tag
 * </pre>
 *
 * AES-256-GCM with a 128-bit tag; the additional authenticated data is bytes 0 to 4 (version and key
 * id).
 *
 * <h2>Nonces</h2>
 *
 * A nonce is never used twice with the same data key (up to the chance stated here). Each data key
 * in use hands out nonces from an <em>epoch</em>: 8 random bytes chosen when the key is first used by
 * a process, followed by a 4-byte counter that counts up record by record (a batch reserves a run of
 * counters with one atomic add); after 2<sup>32</sup> records a new random epoch is drawn. Within an
 * epoch nonces are distinct by construction; two epochs collide with probability about
 * E<sup>2</sup>/2<sup>65</sup> for E epochs of one key (2<sup>-33</sup> after 65,536 restarts), far
 * below the 2<sup>-32</sup> NIST SP 800-38D asks of random nonces.
 */
package io.sluice.ingest.crypto;
