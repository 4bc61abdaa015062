package io.sluice.destination.http;

import static io.sluice.testing.CloudWatchLogsPayloads.controlMessage;
import static io.sluice.testing.CloudWatchLogsPayloads.dataMessage;
import static io.sluice.testing.CloudWatchLogsPayloads.gzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.InvalidSourceException;
import software.amazon.awssdk.services.firehose.model.Record;

/** An HTTP endpoint destination fed by a CloudWatch Logs subscription: the endpoint receives the log events. */
class HttpEndpointCloudWatchLogsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void postsOneRecordPerLogEventAndRefusesOtherPuts() throws Exception {
        try (RunningSluice sluice = RunningSluice.start(HttpEndpointDeliveryIT::fastRetries);
                FirehoseClient firehose = sluice.client();
                FirehoseReceiver receiver = FirehoseReceiver.start(new FirehoseReceiver.Expected(
                        "arn:aws:firehose:us-east-1:000000000000:deliverystream/log-events",
                        Optional.empty(),
                        Map.of(),
                        false))) {
            firehose.createDeliveryStream(b -> b.deliveryStreamName("log-events")
                    .httpEndpointDestinationConfiguration(h -> h.endpointConfiguration(e -> e.url(receiver.url()))
                            .bufferingHints(hints -> hints.sizeInMBs(1).intervalInSeconds(0))
                            .s3Configuration(s -> s.roleARN(Streams.ROLE).bucketARN("arn:aws:s3:::log-errors"))
                            .processingConfiguration(p -> p.enabled(true)
                                    .processors(
                                            pr -> pr.type("Decompression")
                                                    .parameters(pa -> pa.parameterName("CompressionFormat")
                                                            .parameterValue("GZIP")),
                                            pr -> pr.type("CloudWatchLogProcessing")
                                                    .parameters(pa -> pa.parameterName("DataMessageExtraction")
                                                            .parameterValue("true"))))));
            Streams.awaitActive(firehose, "log-events");

            assertThatThrownBy(() -> Streams.put(firehose, "log-events", "GET / 200"))
                    .isInstanceOf(InvalidSourceException.class);
            firehose.putRecordBatch(b -> b.deliveryStreamName("log-events")
                    .records(
                            Record.builder()
                                    .data(SdkBytes.fromByteArray(gzip(controlMessage())))
                                    .build(),
                            Record.builder()
                                    .data(SdkBytes.fromByteArray(
                                            gzip(dataMessage("/app", "i-1", List.of("GET / 200", "GET /a 404")))))
                                    .build()));

            await().atMost(WAIT).until(() -> receiver.acceptedRecords().size() >= 2);
            assertThat(receiver.violations()).isEmpty();
            assertThat(receiver.acceptedRecords()).containsExactly("GET / 200", "GET /a 404");
        }
    }
}
