package io.sluice.metrics;

import static io.sluice.testing.Scrapes.streamValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.RunningSluice;
import io.sluice.testing.SignedHttp;
import io.sluice.testing.Streams;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.Record;

/** {@code GET /metrics}: Firehose's metric names per stream, counted from real puts and deliveries. */
class MetricsIT {
    private static RunningSluice sluice;
    private static FirehoseClient firehose;
    private static SignedHttp http;

    @BeforeAll
    static void start() {
        sluice = RunningSluice.start();
        firehose = sluice.client();
        http = new SignedHttp(sluice.endpoint());
    }

    @AfterAll
    static void stop() {
        firehose.close();
        sluice.close();
    }

    private static String scrape() {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(sluice.endpoint().resolve("/metrics")).build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        return response.body();
    }

    @Test
    void countsIngestAndDeliveryUnderFirehoseNames() {
        Streams.createS3(
                firehose,
                "metered",
                "metrics-bucket",
                s -> s.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
        List<Record> records = IntStream.range(0, 10)
                .mapToObj(i -> Record.builder()
                        .data(SdkBytes.fromUtf8String("0123456789"))
                        .build())
                .toList();
        firehose.putRecordBatch(b -> b.deliveryStreamName("metered").records(records));
        firehose.putRecord(b -> b.deliveryStreamName("metered").record(records.get(0)));

        String scrape = scrape();
        assertThat(streamValue(scrape, "firehose_IncomingRecords_total", "metered"))
                .isEqualTo(11);
        assertThat(streamValue(scrape, "firehose_IncomingBytes_total", "metered"))
                .isEqualTo(110);
        assertThat(streamValue(scrape, "firehose_IncomingPutRequests_total", "metered"))
                .isEqualTo(2);
        assertThat(streamValue(scrape, "firehose_PutRecordBatch_Records_total", "metered"))
                .isEqualTo(10);
        assertThat(streamValue(scrape, "firehose_PutRecord_Requests_total", "metered"))
                .isEqualTo(1);
        assertThat(streamValue(scrape, "firehose_PutRecordBatch_Latency_seconds_count", "metered"))
                .isEqualTo(1);
        assertThat(scrape).contains("sluice_log_groups_total");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> streamValue(scrape(), "firehose_DeliveryToS3_Records_total", "metered") == 11);
        String delivered = scrape();
        assertThat(streamValue(delivered, "firehose_DeliveryToS3_Bytes_total", "metered"))
                .isEqualTo(110);
        assertThat(streamValue(delivered, "firehose_DeliveryToS3_Successes_total", "metered"))
                .isPositive();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> streamValue(scrape(), "firehose_DeliveryToS3_DataFreshness", "metered") == 0);
    }
}
