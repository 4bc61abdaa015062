package io.sluice.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.ingest.crypto.DataKeys;
import io.sluice.ingest.crypto.RecordDecryptor;
import io.sluice.ingest.crypto.RecordFlags;
import io.sluice.log.LogRecord;
import io.sluice.log.RecordLog;
import io.sluice.log.StreamKey;
import io.sluice.log.StreamReader;
import io.sluice.log.journal.JournalLog;
import io.sluice.log.journal.LogConfig;
import io.sluice.log.journal.LogListener;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.SignedHttp;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.InvalidKmsResourceException;
import software.amazon.awssdk.services.firehose.model.KeyType;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;

/**
 * Server-side encryption through the SDK v2 against a real server: what {@code Encrypted} answers,
 * and what the record log on disk holds.
 */
class EncryptionIT {
    private static final String CANARY = "SLUICE-SSE-CANARY";
    private static final String PLAIN_CANARY = "SLUICE-PLAIN-CANARY";
    private static final String KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static RunningSluice shared;
    private static FirehoseClient sharedClient;

    @BeforeAll
    static void start() {
        shared = RunningSluice.start();
        sharedClient = shared.client();
    }

    @AfterAll
    static void stop() {
        sharedClient.close();
        shared.close();
    }

    private static Record record(String data) {
        return Record.builder().data(SdkBytes.fromString(data, UTF_8)).build();
    }

    /** A long plaintext no other bytes of the log could contain by chance. */
    private static String secret(int i) {
        return CANARY + "-" + i + ": Pack my box with five dozen liquor jugs; the card is 4111-1111-1111-1111 and"
                + " the answer is forty-two, record " + i + ".";
    }

    private static void create(FirehoseClient client, String name, boolean encrypted) {
        client.createDeliveryStream(b -> {
            b.deliveryStreamName(name)
                    .extendedS3DestinationConfiguration(
                            s -> s.roleARN("arn:aws:iam::123456789012:role/r").bucketARN("arn:aws:s3:::bucket"));
            if (encrypted) {
                b.deliveryStreamEncryptionConfigurationInput(e -> e.keyType(KeyType.AWS_OWNED_CMK));
            }
        });
    }

    private static void awaitStatus(FirehoseClient client, String name, DeliveryStreamEncryptionStatus encryption) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            var description = client.describeDeliveryStream(b -> b.deliveryStreamName(name))
                    .deliveryStreamDescription();
            return description.deliveryStreamStatus() == DeliveryStreamStatus.ACTIVE
                    && description.deliveryStreamEncryptionConfiguration().status() == encryption;
        });
    }

    /** Every record of a stream in the stopped server's log, as stored (payloads copied). */
    private static List<LogRecord> stored(Path dataDir, String uid) throws Exception {
        try (RecordLog log = JournalLog.open(
                        LogConfig.defaults(dataDir.resolve("log")), Clock.systemUTC(), LogListener.NONE);
                StreamReader reader = log.openReader(new StreamKey(uid))) {
            List<LogRecord> records = new ArrayList<>();
            Optional<LogRecord> next;
            while ((next = reader.next()).isPresent()) {
                LogRecord record = next.get();
                records.add(new LogRecord(
                        record.offset(),
                        record.arrivalMillis(),
                        record.flags(),
                        ByteBuffer.wrap(record.payloadBytes())));
            }
            return records;
        }
    }

    private static List<String> plaintexts(Path dataDir, String uid, List<LogRecord> records) throws Exception {
        RecordDecryptor decryptor = new RecordDecryptor(DataKeys.open(dataDir.resolve("keys"), new SecureRandom()));
        return records.stream()
                .map(r ->
                        UTF_8.decode(decryptor.plaintext(new StreamKey(uid), r)).toString())
                .toList();
    }

    private static boolean logContains(Path dataDir, String text) throws Exception {
        byte[] needle = text.getBytes(UTF_8);
        try (Stream<Path> files = Files.walk(dataDir.resolve("log"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(file);
                if (indexOf(content, needle) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int keyId(LogRecord record) {
        return record.payload().getInt(record.payload().position() + 1);
    }

    @Test
    void encryptedRecordsNeverReachTheDiskInPlaintext() throws Exception {
        try (RunningSluice own = RunningSluice.start();
                FirehoseClient client = own.client()) {
            create(client, "secret", true);
            create(client, "plain", false);
            awaitStatus(client, "secret", DeliveryStreamEncryptionStatus.ENABLED);
            awaitStatus(client, "plain", DeliveryStreamEncryptionStatus.DISABLED);

            List<String> secrets =
                    IntStream.range(0, 50).mapToObj(EncryptionIT::secret).toList();
            PutRecordBatchResponse batch = client.putRecordBatch(b -> b.deliveryStreamName("secret")
                    .records(secrets.subList(0, 49).stream()
                            .map(EncryptionIT::record)
                            .toList()));
            assertThat(batch.encrypted()).isTrue();
            assertThat(batch.failedPutCount()).isZero();
            assertThat(client.putRecord(b -> b.deliveryStreamName("secret").record(record(secrets.get(49))))
                            .encrypted())
                    .isTrue();
            String plain = PLAIN_CANARY + ": this one is stored as sent.";
            assertThat(client.putRecordBatch(b -> b.deliveryStreamName("plain").records(record(plain)))
                            .encrypted())
                    .isFalse();
            assertThat(client.putRecord(b -> b.deliveryStreamName("plain").record(record(plain)))
                            .encrypted())
                    .isFalse();

            String secretUid = PutRecordsIT.uidOf(own.dataDir(), "secret");
            String plainUid = PutRecordsIT.uidOf(own.dataDir(), "plain");
            own.stopServer();

            assertThat(logContains(own.dataDir(), PLAIN_CANARY)).isTrue();
            assertThat(logContains(own.dataDir(), CANARY)).isFalse();
            assertThat(logContains(own.dataDir(), "4111-1111-1111-1111")).isFalse();
            for (String secret : secrets) {
                assertThat(logContains(own.dataDir(), secret)).isFalse();
            }

            List<LogRecord> encrypted = stored(own.dataDir(), secretUid);
            assertThat(encrypted).extracting(LogRecord::flags).containsOnly(RecordFlags.ENCRYPTED);
            assertThat(plaintexts(own.dataDir(), secretUid, encrypted)).containsExactlyElementsOf(secrets);
            List<LogRecord> plainRecords = stored(own.dataDir(), plainUid);
            assertThat(plainRecords).extracting(LogRecord::flags).containsOnly(0);
            assertThat(plaintexts(own.dataDir(), plainUid, plainRecords)).containsExactly(plain, plain);

            Path keys = own.dataDir().resolve("keys");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("master.key"))))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve(secretUid + ".key"))))
                    .isEqualTo("rw-------");
            assertThat(keys.resolve(plainUid + ".key")).doesNotExist();
        }
    }

    @Test
    void stoppingEncryptionStoresNewRecordsPlainAndEarlierOnesStayReadable() throws Exception {
        try (RunningSluice own = RunningSluice.start();
                FirehoseClient client = own.client()) {
            create(client, "toggled", false);
            awaitStatus(client, "toggled", DeliveryStreamEncryptionStatus.DISABLED);
            client.startDeliveryStreamEncryption(b -> b.deliveryStreamName("toggled"));
            awaitStatus(client, "toggled", DeliveryStreamEncryptionStatus.ENABLED);
            assertThat(client.putRecord(b -> b.deliveryStreamName("toggled").record(record("first key")))
                            .encrypted())
                    .isTrue();
            client.stopDeliveryStreamEncryption(b -> b.deliveryStreamName("toggled"));
            awaitStatus(client, "toggled", DeliveryStreamEncryptionStatus.DISABLED);
            assertThat(client.putRecord(b -> b.deliveryStreamName("toggled").record(record("plain")))
                            .encrypted())
                    .isFalse();
            client.startDeliveryStreamEncryption(b -> b.deliveryStreamName("toggled"));
            awaitStatus(client, "toggled", DeliveryStreamEncryptionStatus.ENABLED);
            assertThat(client.putRecordBatch(
                                    b -> b.deliveryStreamName("toggled").records(record("second key")))
                            .encrypted())
                    .isTrue();
            String uid = PutRecordsIT.uidOf(own.dataDir(), "toggled");
            own.stopServer();

            List<LogRecord> records = stored(own.dataDir(), uid);
            assertThat(records)
                    .extracting(LogRecord::flags)
                    .containsExactly(RecordFlags.ENCRYPTED, 0, RecordFlags.ENCRYPTED);
            assertThat(keyId(records.get(2))).as("Start again rotates the key").isNotEqualTo(keyId(records.get(0)));
            assertThat(plaintexts(own.dataDir(), uid, records)).containsExactly("first key", "plain", "second key");
        }
    }

    @Test
    void recordsPutWhileEncryptionIsEnablingAreNotEncrypted() throws Exception {
        try (RunningSluice own = RunningSluice.start(c -> c.withTransitionDelay(Duration.ofHours(1)))) {
            try (FirehoseClient client = own.client()) {
                create(client, "slow", false);
            }
            own.restart();
            try (FirehoseClient client = own.client()) {
                client.startDeliveryStreamEncryption(b -> b.deliveryStreamName("slow"));
                assertThat(client.describeDeliveryStream(b -> b.deliveryStreamName("slow"))
                                .deliveryStreamDescription()
                                .deliveryStreamEncryptionConfiguration()
                                .status())
                        .isEqualTo(DeliveryStreamEncryptionStatus.ENABLING);
                assertThat(client.putRecord(b -> b.deliveryStreamName("slow").record(record("while enabling")))
                                .encrypted())
                        .isFalse();
            }
            own.restart();
            try (FirehoseClient client = own.client()) {
                assertThat(client.putRecord(b -> b.deliveryStreamName("slow").record(record("once enabled")))
                                .encrypted())
                        .isTrue();
            }
            String uid = PutRecordsIT.uidOf(own.dataDir(), "slow");
            own.stopServer();

            List<LogRecord> records = stored(own.dataDir(), uid);
            assertThat(records).extracting(LogRecord::flags).containsExactly(0, RecordFlags.ENCRYPTED);
            assertThat(plaintexts(own.dataDir(), uid, records)).containsExactly("while enabling", "once enabled");
        }
    }

    @Test
    void unusableKeysFailLoudly() throws Exception {
        try (RunningSluice own = RunningSluice.start()) {
            try (FirehoseClient client = own.client()) {
                create(client, "damaged", true);
                awaitStatus(client, "damaged", DeliveryStreamEncryptionStatus.ENABLED);
                assertThat(client.putRecord(b -> b.deliveryStreamName("damaged").record(record("before")))
                                .encrypted())
                        .isTrue();
            }
            String uid = PutRecordsIT.uidOf(own.dataDir(), "damaged");
            own.stopServer();
            Path keyFile = own.dataDir().resolve("keys").resolve(uid + ".key");
            byte[] bytes = Files.readAllBytes(keyFile);
            bytes[30] ^= 0x01;
            Files.write(keyFile, bytes);

            own.restart();
            try (FirehoseClient client = own.client()) {
                assertThatThrownBy(() -> client.putRecord(
                                b -> b.deliveryStreamName("damaged").record(record("after"))))
                        .isInstanceOfSatisfying(
                                InvalidKmsResourceException.class,
                                e -> assertThat(e.statusCode()).isEqualTo(400))
                        .hasMessageContaining("The encryption key of Firehose damaged cannot be used");
            }
            own.stopServer();
            assertThat(stored(own.dataDir(), uid)).hasSize(1);

            Files.delete(own.dataDir().resolve("keys").resolve("master.key"));
            assertThatThrownBy(own::restart)
                    .hasRootCauseMessage(own.dataDir().resolve("keys").resolve("master.key")
                            + " is missing but data keys such as " + uid + ".key exist: they cannot be read"
                            + " without it. Restore the master key, or delete the keys directory to give up the"
                            + " encrypted records for good");
        }
    }

    @Test
    void customerManagedKeysAreRejectedForWantOfAKms() throws Exception {
        assertThatThrownBy(() -> sharedClient.createDeliveryStream(b -> b.deliveryStreamName("cmk")
                        .extendedS3DestinationConfiguration(s ->
                                s.roleARN("arn:aws:iam::123456789012:role/r").bucketARN("arn:aws:s3:::bucket"))
                        .deliveryStreamEncryptionConfigurationInput(
                                e -> e.keyType(KeyType.CUSTOMER_MANAGED_CMK).keyARN(KEY_ARN))))
                .isInstanceOfSatisfying(InvalidKmsResourceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidKMSResourceException");
                })
                .hasMessageContaining("Sluice has no KMS")
                .hasMessageContaining(KEY_ARN);
        assertThatThrownBy(() -> sharedClient.describeDeliveryStream(b -> b.deliveryStreamName("cmk")))
                .isInstanceOf(ResourceNotFoundException.class);

        create(sharedClient, "aws-owned", false);
        awaitStatus(sharedClient, "aws-owned", DeliveryStreamEncryptionStatus.DISABLED);
        assertThatThrownBy(() -> sharedClient.startDeliveryStreamEncryption(b -> b.deliveryStreamName("aws-owned")
                        .deliveryStreamEncryptionConfigurationInput(
                                e -> e.keyType(KeyType.CUSTOMER_MANAGED_CMK).keyARN(KEY_ARN))))
                .isInstanceOf(InvalidKmsResourceException.class)
                .hasMessageContaining("Use KeyType AWS_OWNED_CMK");
        assertThat(sharedClient
                        .describeDeliveryStream(b -> b.deliveryStreamName("aws-owned"))
                        .deliveryStreamDescription()
                        .deliveryStreamEncryptionConfiguration()
                        .status())
                .isEqualTo(DeliveryStreamEncryptionStatus.DISABLED);

        var raw = new SignedHttp(shared.endpoint())
                .post(
                        "Firehose_20150804.StartDeliveryStreamEncryption",
                        ("{\"DeliveryStreamName\":\"aws-owned\",\"DeliveryStreamEncryptionConfigurationInput\":"
                                        + "{\"KeyType\":\"CUSTOMER_MANAGED_CMK\",\"KeyARN\":\"" + KEY_ARN + "\"}}")
                                .getBytes(UTF_8));
        assertThat(raw.statusCode()).isEqualTo(400);
        JsonNode body = new ObjectMapper().readTree(raw.body());
        assertThat(body.path("__type").asText()).isEqualTo("InvalidKMSResourceException");
        assertThat(body.path("code").asText()).isEqualTo("KMS.NotFoundException");
        assertThat(body.path("message").asText()).startsWith("Sluice has no KMS");

        assertThatThrownBy(() -> sharedClient.startDeliveryStreamEncryption(b -> b.deliveryStreamName("missing")
                        .deliveryStreamEncryptionConfigurationInput(
                                e -> e.keyType(KeyType.CUSTOMER_MANAGED_CMK).keyARN(KEY_ARN))))
                .isInstanceOf(ResourceNotFoundException.class);
    }
}
