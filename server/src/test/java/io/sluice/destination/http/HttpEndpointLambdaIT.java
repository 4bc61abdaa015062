package io.sluice.destination.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.LambdaInvokeServer;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import io.sluice.testing.TransformationAnswer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.Record;

/** An HTTP endpoint destination with a Lambda processor: the endpoint receives what the function made. */
class HttpEndpointLambdaIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Reverses {@code ok:} records and fails the others. */
    private static LambdaInvokeServer.Reply reverse(JsonNode event) {
        return LambdaInvokeServer.Reply.Ok.json(TransformationAnswer.to(
                event,
                data -> data.startsWith("ok:")
                        ? TransformationAnswer.ok(
                                new StringBuilder(data).reverse().toString())
                        : TransformationAnswer.failed()));
    }

    @Test
    void postsTheTransformedRecordsAndWritesFailuresUnderTheS3ConfigurationsErrorPrefix() throws Exception {
        String function = LambdaInvokeServer.arn("us-east-1", "reverse");
        try (LambdaInvokeServer lambda = LambdaInvokeServer.start().function("reverse", HttpEndpointLambdaIT::reverse);
                RunningSluice sluice = RunningSluice.start(config -> HttpEndpointDeliveryIT.fastRetries(config)
                        .withDelivery(HttpEndpointDeliveryIT.fastRetries(config)
                                .delivery()
                                .withFunctions(lambda.asDefaultEndpoint())));
                FirehoseClient firehose = sluice.client();
                FirehoseReceiver receiver = FirehoseReceiver.start(new FirehoseReceiver.Expected(
                        "arn:aws:firehose:us-east-1:000000000000:deliverystream/reversed",
                        Optional.empty(),
                        Map.of(),
                        false))) {
            firehose.createDeliveryStream(b -> b.deliveryStreamName("reversed")
                    .httpEndpointDestinationConfiguration(h -> h.endpointConfiguration(e -> e.url(receiver.url()))
                            .bufferingHints(hints -> hints.sizeInMBs(1).intervalInSeconds(0))
                            .s3Configuration(s -> s.roleARN(Streams.ROLE)
                                    .bucketARN("arn:aws:s3:::reversed-errors")
                                    .errorOutputPrefix("failed/!{firehose:error-output-type}/"))
                            .processingConfiguration(p -> p.enabled(true)
                                    .processors(pr -> pr.type("Lambda")
                                            .parameters(pa -> pa.parameterName("LambdaArn")
                                                    .parameterValue(function))))));
            Streams.awaitActive(firehose, "reversed");
            List<Record> records = new ArrayList<>();
            for (String data : List.of("ok:abc", "no:def", "ok:xyz")) {
                records.add(Record.builder().data(SdkBytes.fromUtf8String(data)).build());
            }
            firehose.putRecordBatch(b -> b.deliveryStreamName("reversed").records(records));

            await().atMost(WAIT).until(() -> receiver.acceptedRecords().size() >= 2);
            assertThat(receiver.violations()).isEmpty();
            assertThat(receiver.acceptedRecords()).containsExactly("cba:ko", "zyx:ko");
            await().atMost(WAIT)
                    .until(() -> !Streams.localObjects(sluice.dataDir(), "reversed-errors")
                            .isEmpty());
            Path object =
                    Streams.localObjects(sluice.dataDir(), "reversed-errors").get(0);
            assertThat(Streams.key(sluice.dataDir(), "reversed-errors", object))
                    .startsWith("failed/processing-failed/");
            JsonNode document = JSON.readTree(Files.readString(object, UTF_8).strip());
            assertThat(new String(
                            Base64.getDecoder().decode(document.get("rawData").asText()), UTF_8))
                    .isEqualTo("no:def");
            assertThat(document.get("errorCode").asText()).isEqualTo("Lambda.ProcessingFailedStatus");
            assertThat(document.get("lambdaARN").asText()).isEqualTo(function);
            assertThat(firehose.describeDeliveryStream(b -> b.deliveryStreamName("reversed"))
                            .deliveryStreamDescription()
                            .destinations()
                            .get(0)
                            .httpEndpointDestinationDescription()
                            .processingConfiguration()
                            .processors()
                            .get(0)
                            .parameters())
                    .extracting(p -> p.parameterNameAsString())
                    .containsExactly("LambdaArn", "NumberOfRetries", "BufferSizeInMBs", "BufferIntervalInSeconds");
        }
    }
}
