package io.sluice.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.common.DataSize;
import io.sluice.ingest.ThroughputLimits;
import io.sluice.log.LogRecord;
import io.sluice.log.RecordLog;
import io.sluice.log.StreamKey;
import io.sluice.log.StreamReader;
import io.sluice.log.journal.JournalLog;
import io.sluice.log.journal.LogConfig;
import io.sluice.log.journal.LogListener;
import io.sluice.testing.RunningSluice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.firehose.model.ServiceUnavailableException;

/**
 * Quotas through the SDK v2 against a real server whose clock stands still, so no budget comes back
 * while the test runs: throttled records fail one by one and never reach the log.
 */
class ThrottlingIT {
    private static Record record(String data) {
        return Record.builder().data(SdkBytes.fromString(data, UTF_8)).build();
    }

    @Test
    void throttledRecordsFailPerRecordAndAreNotStored() throws Exception {
        Clock frozen = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        try (RunningSluice sluice = RunningSluice.start(
                        c -> c.withQuotas(new ThroughputLimits(10, 0, DataSize.ofBytes(0))), frozen);
                FirehoseClient client = sluice.client()) {
            client.createDeliveryStream(b -> b.deliveryStreamName("tiny")
                    .extendedS3DestinationConfiguration(
                            s -> s.roleARN("arn:aws:iam::123456789012:role/r").bucketARN("arn:aws:s3:::bucket")));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.describeDeliveryStream(b -> b.deliveryStreamName("tiny"))
                                    .deliveryStreamDescription()
                                    .deliveryStreamStatus()
                            == DeliveryStreamStatus.ACTIVE);

            List<String> sent =
                    IntStream.range(0, 25).mapToObj(i -> "record " + i).toList();
            PutRecordBatchResponse mixed = client.putRecordBatch(b -> b.deliveryStreamName("tiny")
                    .records(sent.stream().map(ThrottlingIT::record).toList()));

            assertThat(mixed.sdkHttpResponse().statusCode()).isEqualTo(200);
            assertThat(mixed.failedPutCount()).isEqualTo(15);
            assertThat(mixed.requestResponses()).hasSize(25);
            List<PutRecordBatchResponseEntry> entries = mixed.requestResponses();
            assertThat(entries.subList(0, 10)).allSatisfy(e -> {
                assertThat(e.recordId()).isNotBlank();
                assertThat(e.errorCode()).isNull();
                assertThat(e.errorMessage()).isNull();
            });
            assertThat(entries.subList(10, 25)).allSatisfy(e -> {
                assertThat(e.recordId()).isNull();
                assertThat(e.errorCode()).isEqualTo("ServiceUnavailableException");
                assertThat(e.errorMessage()).isEqualTo("Slow down.");
            });
            assertThat(entries.stream().filter(e -> e.errorCode() != null).count())
                    .isEqualTo(mixed.failedPutCount().longValue());

            assertThatThrownBy(() ->
                            client.putRecord(b -> b.deliveryStreamName("tiny").record(record("single"))))
                    .isInstanceOfSatisfying(
                            ServiceUnavailableException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(503))
                    .hasMessageStartingWith("Slow down.");
            PutRecordBatchResponse none = client.putRecordBatch(
                    b -> b.deliveryStreamName("tiny").records(record("late 1"), record("late 2")));
            assertThat(none.failedPutCount()).isEqualTo(2);
            assertThat(none.requestResponses())
                    .allSatisfy(e -> assertThat(e.errorCode()).isEqualTo("ServiceUnavailableException"));

            String uid = PutRecordsIT.uidOf(sluice.dataDir(), "tiny");
            sluice.stopServer();
            try (RecordLog log = JournalLog.open(
                            LogConfig.defaults(sluice.dataDir().resolve("log")), Clock.systemUTC(), LogListener.NONE);
                    StreamReader reader = log.openReader(new StreamKey(uid))) {
                List<String> stored = new ArrayList<>();
                Optional<LogRecord> next;
                while ((next = reader.next()).isPresent()) {
                    stored.add(new String(next.get().payloadBytes(), UTF_8));
                }
                assertThat(stored).containsExactlyElementsOf(sent.subList(0, 10));
            }
        }
    }
}
