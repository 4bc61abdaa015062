package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.log.LogRecord;
import io.sluice.log.RecordLog;
import io.sluice.log.StreamKey;
import io.sluice.log.StreamReader;
import io.sluice.log.journal.JournalLog;
import io.sluice.log.journal.LogConfig;
import io.sluice.log.journal.LogListener;
import io.sluice.testing.RunningSluice;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;

/** PutRecord and PutRecordBatch through the SDK v2: answers, limits, and what lands in the record log. */
class PutRecordsIT {
    private static RunningSluice sluice;
    private static FirehoseClient firehose;

    @BeforeAll
    static void start() {
        sluice = RunningSluice.start();
        firehose = sluice.client();
        for (String name : List.of("puts", "limits", "durable")) {
            firehose.createDeliveryStream(b -> b.deliveryStreamName(name)
                    .extendedS3DestinationConfiguration(
                            s -> s.roleARN("arn:aws:iam::123456789012:role/r").bucketARN("arn:aws:s3:::bucket")));
        }
        for (String name : List.of("puts", "limits", "durable")) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> firehose.describeDeliveryStream(b -> b.deliveryStreamName(name))
                                    .deliveryStreamDescription()
                                    .deliveryStreamStatus()
                            == DeliveryStreamStatus.ACTIVE);
        }
    }

    @AfterAll
    static void stop() {
        firehose.close();
        sluice.close();
    }

    private static Record record(byte[] data) {
        return Record.builder().data(SdkBytes.fromByteArrayUnsafe(data)).build();
    }

    private static Record record(String data) {
        return record(data.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void putRecordAnswersARecordId() {
        var response = firehose.putRecord(b -> b.deliveryStreamName("puts").record(record("hello")));
        assertThat(response.recordId()).isNotBlank();
        assertThat(response.encrypted()).isFalse();
    }

    @Test
    void putRecordBatchAnswersOneEntryPerRecordInOrder() {
        List<Record> records =
                IntStream.range(0, 500).mapToObj(i -> record("record-" + i)).toList();
        PutRecordBatchResponse response =
                firehose.putRecordBatch(b -> b.deliveryStreamName("puts").records(records));
        assertThat(response.failedPutCount()).isZero();
        assertThat(response.encrypted()).isFalse();
        assertThat(response.requestResponses()).hasSize(500);
        assertThat(response.requestResponses()).allSatisfy(e -> {
            assertThat(e.recordId()).isNotBlank();
            assertThat(e.errorCode()).isNull();
        });
        assertThat(new HashSet<>(response.requestResponses().stream()
                        .map(PutRecordBatchResponseEntry::recordId)
                        .toList()))
                .hasSize(500);
        // Sluice's ids: the stream's uid and the record's offset, URL-safe base64; offsets follow the order.
        List<ByteBuffer> ids = response.requestResponses().stream()
                .map(e -> ByteBuffer.wrap(Base64.getUrlDecoder().decode(e.recordId())))
                .toList();
        assertThat(ids).allSatisfy(id -> assertThat(id.remaining()).isEqualTo(24));
        assertThat(ids.stream().map(id -> id.slice(0, 16)).distinct()).hasSize(1);
        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i).getLong(16)).isEqualTo(ids.get(i - 1).getLong(16) + 1);
        }
    }

    @Test
    void acceptsEmptyAndMaximumSizeRecords() {
        assertThat(firehose.putRecordBatch(b -> b.deliveryStreamName("limits")
                                .records(record(new byte[0]), record(new byte[1_024_000])))
                        .failedPutCount())
                .isZero();
    }

    @Test
    void rejectsWhatTheModelForbids() {
        assertThatThrownBy(() -> firehose.putRecordBatch(b -> b.deliveryStreamName("limits")
                        .records(IntStream.range(0, 501)
                                .mapToObj(i -> record("x"))
                                .toList())))
                .isInstanceOfSatisfying(
                        FirehoseException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"))
                .hasMessageContaining(
                        "at 'records' failed to satisfy constraint: Member must have length less than or equal to 500");
        assertThatThrownBy(() -> firehose.putRecordBatch(
                        b -> b.deliveryStreamName("limits").records(record("a"), record(new byte[1_024_001]))))
                .isInstanceOfSatisfying(
                        FirehoseException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"))
                .hasMessageContaining("at 'records.2.member.data' failed to satisfy constraint: Member must have"
                        + " length less than or equal to 1024000");
        assertThatThrownBy(() ->
                        firehose.putRecord(b -> b.deliveryStreamName("limits").record(record(new byte[1_024_001]))))
                .hasMessageContaining("at 'record.data' failed to satisfy constraint");
        assertThatThrownBy(() -> firehose.putRecordBatch(
                        b -> b.deliveryStreamName("bad name").records(record("x"))))
                .hasMessageContaining("at 'deliveryStreamName' failed to satisfy constraint: Member must satisfy"
                        + " regular expression pattern: [a-zA-Z0-9_.-]+");
    }

    @Test
    void limitsABatchToFourMebibytesOfData() {
        List<Record> exactly = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            exactly.add(record(new byte[1_024_000]));
        }
        exactly.add(record(new byte[4 * 1024 * 1024 - 4 * 1_024_000]));
        assertThat(firehose.putRecordBatch(b -> b.deliveryStreamName("limits").records(exactly))
                        .failedPutCount())
                .isZero();
        List<Record> over = new ArrayList<>(exactly);
        over.add(record(new byte[1]));
        assertThatThrownBy(() -> firehose.putRecordBatch(
                        b -> b.deliveryStreamName("limits").records(over)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("Records size exceeds 4 MB limit");
    }

    @Test
    void rejectsPutsToMissingStreams() {
        assertThatThrownBy(() ->
                        firehose.putRecord(b -> b.deliveryStreamName("missing").record(record("x"))))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("Firehose missing under account 000000000000 not found.");
        firehose.createDeliveryStream(b -> b.deliveryStreamName("creating")
                .extendedS3DestinationConfiguration(
                        s -> s.roleARN("arn:aws:iam::123456789012:role/r").bucketARN("arn:aws:s3:::bucket")));
        assertThatThrownBy(() ->
                        firehose.putRecord(b -> b.deliveryStreamName("creating").record(record("x"))))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void storesAcknowledgedRecordsDurablyAndInOrder() throws Exception {
        try (RunningSluice own = RunningSluice.start();
                FirehoseClient client = own.client()) {
            client.createDeliveryStream(b -> b.deliveryStreamName("durable")
                    .extendedS3DestinationConfiguration(
                            s -> s.roleARN("arn:aws:iam::123456789012:role/r").bucketARN("arn:aws:s3:::bucket")));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.describeDeliveryStream(b -> b.deliveryStreamName("durable"))
                                    .deliveryStreamDescription()
                                    .deliveryStreamStatus()
                            == DeliveryStreamStatus.ACTIVE);
            List<String> sent = new ArrayList<>();
            for (int batch = 0; batch < 10; batch++) {
                List<Record> records = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    String data = "b" + batch + "-r" + i;
                    sent.add(data);
                    records.add(record(data));
                }
                client.putRecordBatch(b -> b.deliveryStreamName("durable").records(records));
            }
            client.putRecord(b -> b.deliveryStreamName("durable").record(record("single")));
            sent.add("single");
            String uid = uidOf(own.dataDir(), "durable");
            own.stopServer();

            try (RecordLog log = JournalLog.open(
                            LogConfig.defaults(own.dataDir().resolve("log")), Clock.systemUTC(), LogListener.NONE);
                    StreamReader reader = log.openReader(new StreamKey(uid))) {
                List<String> stored = new ArrayList<>();
                Optional<LogRecord> next;
                while ((next = reader.next()).isPresent()) {
                    stored.add(new String(next.get().payloadBytes(), StandardCharsets.UTF_8));
                }
                assertThat(stored).containsExactlyElementsOf(sent);
            }
        }
    }

    static String uidOf(Path dataDir, String name) throws Exception {
        String json = Files.readString(
                dataDir.resolve("catalog/000000000000/us-east-1/" + name + ".json"), StandardCharsets.UTF_8);
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json)
                .path("Uid")
                .asText();
    }
}
