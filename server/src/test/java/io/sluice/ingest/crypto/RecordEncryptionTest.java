package io.sluice.ingest.crypto;

import static io.sluice.testing.TestStreams.encryption;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.EncryptionStatus;
import io.sluice.log.AppendRecord;
import io.sluice.log.LogRecord;
import io.sluice.log.StreamKey;
import io.sluice.testing.TestStreams;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordEncryptionTest {
    private static final long ARRIVAL = 1_767_607_200_000L;
    private static final Instant STARTED = TestStreams.CREATED.plusSeconds(60);

    @TempDir
    Path dataDir;

    private DataKeys keys;
    private RecordEncryptor encryptor;

    @BeforeEach
    void open() throws Exception {
        keys = DataKeys.open(dataDir.resolve("keys"), new SecureRandom());
        encryptor = new RecordEncryptor(keys);
    }

    private static DeliveryStream enabled() {
        return TestStreams.stream("secret", encryption(EncryptionStatus.ENABLED, STARTED));
    }

    private static List<ByteBuffer> texts(String... texts) {
        return java.util.Arrays.stream(texts)
                .map(t -> ByteBuffer.wrap(t.getBytes(UTF_8)))
                .toList();
    }

    private static LogRecord stored(long offset, AppendRecord record) {
        return new LogRecord(offset, record.arrivalMillis(), record.flags(), record.payload());
    }

    private List<String> decrypt(DataKeys with, DeliveryStream stream, List<AppendRecord> records) {
        RecordDecryptor decryptor = new RecordDecryptor(with);
        List<String> plaintexts = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            ByteBuffer plaintext = decryptor.plaintext(new StreamKey(stream.uid()), stored(i, records.get(i)));
            plaintexts.add(UTF_8.decode(plaintext).toString());
        }
        return plaintexts;
    }

    @Test
    void storesRecordsAsGivenUnlessEncryptionIsEnabled() {
        for (EncryptionStatus status :
                List.of(EncryptionStatus.DISABLED, EncryptionStatus.ENABLING, EncryptionStatus.DISABLING)) {
            DeliveryStream stream = TestStreams.stream("plain", encryption(status, STARTED));
            List<ByteBuffer> plaintexts = texts("one", "two");

            AppendBatch batch = encryptor.encode(stream, plaintexts, ARRIVAL);

            assertThat(encryptor.encrypts(stream)).isFalse();
            assertThat(batch.encrypted()).isFalse();
            assertThat(batch.records()).extracting(AppendRecord::flags).containsOnly(0);
            assertThat(batch.records()).extracting(AppendRecord::payload).containsExactlyElementsOf(plaintexts);
            assertThat(decrypt(keys, stream, batch.records())).containsExactly("one", "two");
        }
        assertThat(dataDir.resolve("keys")).isDirectoryNotContaining("glob:**/*-*.key");
    }

    @Test
    void encryptsRecordsOfAnEnabledStreamInTheDocumentedLayout() {
        DeliveryStream stream = enabled();
        String secret = "a card number nobody may read: 4111 1111 1111 1111";

        AppendBatch batch = encryptor.encode(stream, texts(secret, ""), ARRIVAL);

        assertThat(encryptor.encrypts(stream)).isTrue();
        assertThat(batch.encrypted()).isTrue();
        int expectedKey = keys.keyFor(Enablement.of(stream).orElseThrow()).id();
        AppendRecord record = batch.records().get(0);
        assertThat(record.flags()).isEqualTo(RecordFlags.ENCRYPTED);
        assertThat(record.arrivalMillis()).isEqualTo(ARRIVAL);
        ByteBuffer payload = record.payload();
        assertThat(payload.remaining()).isEqualTo(secret.length() + 33);
        assertThat(payload.get(payload.position())).isEqualTo((byte) 1);
        assertThat(keyId(record)).isEqualTo(expectedKey);
        assertThat(new String(bytes(payload), UTF_8)).doesNotContain("4111");
        assertThat(batch.records().get(1).payload().remaining()).isEqualTo(33);
        assertThat(decrypt(keys, stream, batch.records())).containsExactly(secret, "");
    }

    @Test
    void roundTripsRecordsOfEverySizeThroughTheKeyFile() throws Exception {
        DeliveryStream stream = enabled();
        List<ByteBuffer> plaintexts = new ArrayList<>();
        for (int size : new int[] {0, 1, 15, 16, 17, 1000, 1_024_000}) {
            byte[] data = new byte[size];
            new SecureRandom().nextBytes(data);
            plaintexts.add(ByteBuffer.wrap(data));
        }
        plaintexts.add(ByteBuffer.wrap("read-only".getBytes(UTF_8)).asReadOnlyBuffer());

        AppendBatch batch = encryptor.encode(stream, plaintexts, ARRIVAL);

        RecordDecryptor decryptor = new RecordDecryptor(DataKeys.open(dataDir.resolve("keys"), new SecureRandom()));
        for (int i = 0; i < plaintexts.size(); i++) {
            assertThat(decryptor.plaintext(
                            new StreamKey(stream.uid()),
                            stored(i, batch.records().get(i))))
                    .isEqualTo(plaintexts.get(i));
        }
        assertThat(plaintexts.get(6).position())
                .as("the plaintext buffers are not moved")
                .isZero();
    }

    @Test
    void neverReusesANonceOfAKey() throws Exception {
        DeliveryStream stream = enabled();
        List<ByteBuffer> plaintexts =
                IntStream.range(0, 500).mapToObj(i -> ByteBuffer.allocate(1)).toList();
        Set<ByteBuffer> nonces = new HashSet<>();
        List<Thread> threads = new ArrayList<>();
        List<List<AppendRecord>> batches = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int b = 0; b < 50; b++) {
                    batches.add(encryptor.encode(stream, plaintexts, ARRIVAL).records());
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (List<AppendRecord> batch : batches) {
            for (AppendRecord record : batch) {
                byte[] nonce = new byte[12];
                record.payload().get(record.payload().position() + 5, nonce);
                nonces.add(ByteBuffer.wrap(nonce));
            }
        }
        assertThat(batches).hasSize(200);
        assertThat(nonces).hasSize(200 * 500);
    }

    @Test
    void aNewStartRotatesTheKeyAndOldRecordsStayReadableAfterStop() throws Exception {
        DeliveryStream first = enabled();
        AppendBatch before = encryptor.encode(first, texts("under the first key"), ARRIVAL);
        Instant stopped = STARTED.plusSeconds(60);
        Instant restarted = STARTED.plusSeconds(120);
        DeliveryStream disabled = first.withEncryption(encryption(EncryptionStatus.DISABLED, STARTED, stopped));
        AppendBatch plain = encryptor.encode(disabled, texts("plain while stopped"), ARRIVAL);
        DeliveryStream again = first.withEncryption(encryption(EncryptionStatus.ENABLED, STARTED, stopped, restarted));
        AppendBatch after = encryptor.encode(again, texts("under the second key"), ARRIVAL);

        assertThat(plain.encrypted()).isFalse();
        assertThat(keyId(after.records().get(0)))
                .isNotEqualTo(keyId(before.records().get(0)));

        DataKeys reopened = DataKeys.open(dataDir.resolve("keys"), new SecureRandom());
        List<AppendRecord> all = new ArrayList<>(before.records());
        all.addAll(plain.records());
        all.addAll(after.records());
        assertThat(decrypt(reopened, first, all))
                .containsExactly("under the first key", "plain while stopped", "under the second key");
    }

    @Test
    void aStreamCreatedEncryptedUsesItsCreationAsTheEnablement() {
        DeliveryStream created = TestStreams.stream("created", encryption(EncryptionStatus.ENABLED));
        assertThat(Enablement.of(created)).contains(new Enablement(created.uid(), TestStreams.CREATED.toEpochMilli()));
        assertThat(Enablement.of(enabled()).orElseThrow().sinceMillis()).isEqualTo(STARTED.toEpochMilli());
    }

    @Test
    void aDamagedRecordFailsAuthenticationLoudly() {
        DeliveryStream stream = enabled();
        AppendRecord record = encryptor
                .encode(stream, texts("tamper with me"), ARRIVAL)
                .records()
                .get(0);
        byte[] damaged = bytes(record.payload());
        damaged[20] ^= 0x01;

        assertThatThrownBy(() -> new RecordDecryptor(keys)
                        .plaintext(
                                new StreamKey(stream.uid()),
                                new LogRecord(7, ARRIVAL, RecordFlags.ENCRYPTED, ByteBuffer.wrap(damaged))))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("Record 7 of stream " + stream.uid())
                .hasMessageContaining("failed authentication");
    }

    @Test
    void aMissingKeyFailsLoudly() throws Exception {
        DeliveryStream stream = enabled();
        AppendRecord record =
                encryptor.encode(stream, texts("orphan"), ARRIVAL).records().get(0);
        Files.delete(dataDir.resolve("keys").resolve(stream.uid() + ".key"));
        RecordDecryptor decryptor = new RecordDecryptor(DataKeys.open(dataDir.resolve("keys"), new SecureRandom()));

        assertThatThrownBy(() -> decryptor.plaintext(new StreamKey(stream.uid()), stored(0, record)))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("data key")
                .hasMessageContaining("is missing");
        DeliveryStream other = enabled();
        assertThatThrownBy(() -> decryptor.plaintext(new StreamKey(other.uid()), stored(0, record)))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("is missing");
    }

    @Test
    void aWrongMasterKeyFailsLoudly() throws Exception {
        DeliveryStream stream = enabled();
        AppendRecord record =
                encryptor.encode(stream, texts("wrapped"), ARRIVAL).records().get(0);
        Path keysDir = dataDir.resolve("keys");
        Files.delete(keysDir.resolve("master.key"));
        Files.move(keysDir.resolve(stream.uid() + ".key"), dataDir.resolve("aside.key"));
        DataKeys fresh = DataKeys.open(keysDir, new SecureRandom());
        Files.move(dataDir.resolve("aside.key"), keysDir.resolve(stream.uid() + ".key"));

        assertThatThrownBy(() -> new RecordDecryptor(fresh).plaintext(new StreamKey(stream.uid()), stored(0, record)))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("data keys cannot be used")
                .hasCauseInstanceOf(KeyFileException.class);
    }

    @Test
    void rejectsRecordsThatAreNotEnvelopes() {
        StreamKey stream = new StreamKey(enabled().uid());
        RecordDecryptor decryptor = new RecordDecryptor(keys);
        assertThatThrownBy(() -> decryptor.plaintext(
                        stream, new LogRecord(0, ARRIVAL, RecordFlags.ENCRYPTED, ByteBuffer.allocate(32))))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("shorter than the encryption envelope");
        ByteBuffer version2 = ByteBuffer.allocate(40).put(0, (byte) 2);
        assertThatThrownBy(
                        () -> decryptor.plaintext(stream, new LogRecord(0, ARRIVAL, RecordFlags.ENCRYPTED, version2)))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("format version 2 is unknown");
    }

    private static int keyId(AppendRecord record) {
        return record.payload().getInt(record.payload().position() + 1);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
