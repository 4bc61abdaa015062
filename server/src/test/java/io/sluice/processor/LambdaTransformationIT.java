package io.sluice.processor;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.LambdaInvokeServer;
import io.sluice.testing.LambdaInvokeServer.Reply;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Scrapes;
import io.sluice.testing.Streams;
import io.sluice.testing.TransformationAnswer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.ProcessingConfiguration;
import software.amazon.awssdk.services.firehose.model.Processor;
import software.amazon.awssdk.services.firehose.model.ProcessorParameter;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * The {@code Lambda} processor through Sluice's API with the AWS SDK, against a Lambda Invoke API
 * server written to the published API: what a function answers decides each record's fate, as AWS
 * does it, down to the error documents' bytes.
 */
class LambdaTransformationIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String REGION = "us-east-1";

    private static LambdaInvokeServer lambda;
    private static RunningSluice sluice;
    private static FirehoseClient firehose;

    @BeforeAll
    static void start() {
        lambda = LambdaInvokeServer.start();
        lambda.function("transform", LambdaTransformationIT::transform);
        lambda.function("broken", event -> new Reply.FunctionError("java.lang.IllegalStateException", "boom"));
        sluice = RunningSluice.start(
                config -> config.withDelivery(config.delivery().withFunctions(lambda.asDefaultEndpoint())));
        firehose = sluice.client();
    }

    @AfterAll
    static void stop() {
        if (firehose != null) {
            firehose.close();
        }
        if (sluice != null) {
            sluice.close();
        }
        if (lambda != null) {
            lambda.close();
        }
    }

    /** Upper-cases {@code keep:} records, drops {@code drop:} ones and fails the rest. */
    private static Reply transform(JsonNode event) {
        return Reply.Ok.json(TransformationAnswer.to(event, data -> {
            if (data.startsWith("keep:")) {
                return TransformationAnswer.ok(data.toUpperCase());
            }
            return data.startsWith("drop:") ? TransformationAnswer.dropped() : TransformationAnswer.failed();
        }));
    }

    private static ProcessingConfiguration lambdaProcessing(String function, ProcessorParameter... more) {
        List<ProcessorParameter> parameters = new ArrayList<>();
        parameters.add(ProcessorParameter.builder()
                .parameterName("LambdaArn")
                .parameterValue(LambdaInvokeServer.arn(REGION, function))
                .build());
        parameters.addAll(List.of(more));
        return ProcessingConfiguration.builder()
                .enabled(true)
                .processors(
                        Processor.builder()
                                .type("Lambda")
                                .parameters(parameters)
                                .build(),
                        Processor.builder().type("AppendDelimiterToRecord").build())
                .build();
    }

    private static void create(String stream, String bucket, ProcessingConfiguration processing) {
        Streams.createS3(firehose, stream, bucket, s -> configure(s, processing));
    }

    private static void configure(ExtendedS3DestinationConfiguration.Builder s3, ProcessingConfiguration processing) {
        s3.prefix("data/")
                .errorOutputPrefix("errors/!{firehose:error-output-type}/")
                .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))
                .processingConfiguration(processing);
    }

    private static void put(String stream, String... data) {
        List<Record> records = new ArrayList<>();
        for (String text : data) {
            records.add(Record.builder().data(SdkBytes.fromUtf8String(text)).build());
        }
        assertThat(firehose.putRecordBatch(b -> b.deliveryStreamName(stream).records(records))
                        .failedPutCount())
                .isZero();
    }

    /** The lines of every object under {@code prefix} in {@code bucket}. */
    private static List<String> lines(String bucket, String prefix) throws Exception {
        List<String> lines = new ArrayList<>();
        for (Path object : Streams.localObjects(sluice.dataDir(), bucket)) {
            if (Streams.key(sluice.dataDir(), bucket, object).startsWith(prefix)) {
                lines.addAll(Files.readString(object, UTF_8).lines().toList());
            }
        }
        return lines;
    }

    private static List<JsonNode> documents(String bucket, String prefix) throws Exception {
        List<JsonNode> documents = new ArrayList<>();
        for (String line : lines(bucket, prefix)) {
            documents.add(JSON.readTree(line));
        }
        return documents;
    }

    private static String raw(JsonNode document) {
        return new String(Base64.getDecoder().decode(document.get("rawData").asText()), UTF_8);
    }

    private static List<String> members(JsonNode document) {
        List<String> names = new ArrayList<>();
        Iterator<String> fields = document.fieldNames();
        fields.forEachRemaining(names::add);
        return names;
    }

    @Test
    void describesTheProcessorWithAwsDefaultsFilledIn() {
        create("describe", "describe-bucket", lambdaProcessing("transform"));
        ProcessingConfiguration described = firehose.describeDeliveryStream(b -> b.deliveryStreamName("describe"))
                .deliveryStreamDescription()
                .destinations()
                .get(0)
                .extendedS3DestinationDescription()
                .processingConfiguration();
        assertThat(described.processors().get(0).parameters())
                .extracting(p -> p.parameterNameAsString() + "=" + p.parameterValue())
                .containsExactly(
                        "LambdaArn=" + LambdaInvokeServer.arn(REGION, "transform"),
                        "NumberOfRetries=3",
                        "RoleArn=" + Streams.ROLE,
                        "BufferSizeInMBs=1",
                        "BufferIntervalInSeconds=60");
        assertThat(described.processors().get(1).typeAsString()).isEqualTo("AppendDelimiterToRecord");
    }

    @Test
    void deliversWhatTheFunctionMadeDropsWithoutTraceAndWritesFailuresAsAwsDoes() throws Exception {
        String bucket = "transformed";
        create("transform", bucket, lambdaProcessing("transform"));
        long before = System.currentTimeMillis();
        put("transform", "keep:one", "drop:two", "fail:three", "keep:four");

        await().atMost(WAIT)
                .until(() -> lines(bucket, "data/").size() >= 2
                        && lines(bucket, "errors/").size() >= 1);
        assertThat(lines(bucket, "data/")).containsExactly("KEEP:ONE", "KEEP:FOUR");
        List<JsonNode> failed = documents(bucket, "errors/processing-failed/");
        assertThat(failed).hasSize(1);
        JsonNode document = failed.get(0);
        assertThat(members(document))
                .containsExactly(
                        "rawData",
                        "errorCode",
                        "errorMessage",
                        "attemptsMade",
                        "arrivalTimestamp",
                        "attemptEndingTimestamp",
                        "lambdaARN");
        assertThat(raw(document)).isEqualTo("fail:three");
        assertThat(document.get("errorCode").asText()).isEqualTo("Lambda.ProcessingFailedStatus");
        assertThat(document.get("errorMessage").asText()).isEqualTo("ProcessingFailed status set for record");
        assertThat(document.get("attemptsMade").asInt()).isEqualTo(1);
        assertThat(document.get("arrivalTimestamp").isNumber()).isTrue();
        assertThat(document.get("arrivalTimestamp").asLong()).isGreaterThanOrEqualTo(before);
        assertThat(document.get("attemptEndingTimestamp").asLong())
                .isGreaterThanOrEqualTo(document.get("arrivalTimestamp").asLong());
        assertThat(document.get("lambdaARN").asText()).isEqualTo(LambdaInvokeServer.arn(REGION, "transform"));
        assertThat(String.join("\n", lines(bucket, ""))).doesNotContain("two");

        JsonNode event = JSON.readTree(lambda.invocations().stream()
                .filter(i -> i.functionName().endsWith(":transform"))
                .reduce((first, second) -> second)
                .orElseThrow()
                .body());
        assertThat(event.get("deliveryStreamArn").asText())
                .isEqualTo("arn:aws:firehose:us-east-1:000000000000:deliverystream/transform");
        String scrape = Scrapes.scrape(sluice.endpoint());
        assertThat(Scrapes.streamValue(scrape, "firehose_SucceedProcessing_Records_total", "transform"))
                .isEqualTo(3);
    }

    @Test
    void retriesAFailingFunctionNumberOfRetriesTimesThenWritesEveryRecordAsFailed() throws Exception {
        String bucket = "broken-function";
        int before = (int) lambda.invocations().stream()
                .filter(i -> i.functionName().endsWith(":broken"))
                .count();
        create(
                "broken",
                bucket,
                lambdaProcessing(
                        "broken",
                        ProcessorParameter.builder()
                                .parameterName("NumberOfRetries")
                                .parameterValue("1")
                                .build()));
        put("broken", "keep:a", "keep:b");

        await().atMost(WAIT)
                .until(() -> documents(bucket, "errors/processing-failed/").size() >= 2);
        List<JsonNode> failed = documents(bucket, "errors/processing-failed/");
        assertThat(failed).extracting(LambdaTransformationIT::raw).containsExactly("keep:a", "keep:b");
        assertThat(failed).allSatisfy(document -> {
            assertThat(document.get("errorCode").asText()).isEqualTo("Lambda.FunctionError");
            assertThat(document.get("errorMessage").asText())
                    .startsWith("The Lambda function was successfully invoked but it returned an error result.");
            assertThat(document.get("attemptsMade").asInt()).isEqualTo(2);
        });
        assertThat(lines(bucket, "data/")).isEmpty();
        assertThat(lambda.invocations().stream()
                        .filter(i -> i.functionName().endsWith(":broken"))
                        .count())
                .isEqualTo(before + 2);
    }

    @Test
    void aFunctionThatDoesNotExistFailsTheRecordsWithResourceNotFound() throws Exception {
        String bucket = "missing-function";
        create(
                "missing",
                bucket,
                lambdaProcessing(
                        "nobody",
                        ProcessorParameter.builder()
                                .parameterName("NumberOfRetries")
                                .parameterValue("0")
                                .build()));
        put("missing", "keep:x");
        await().atMost(WAIT)
                .until(() -> documents(bucket, "errors/processing-failed/").size() >= 1);
        JsonNode document = documents(bucket, "errors/processing-failed/").get(0);
        assertThat(document.get("errorCode").asText()).isEqualTo("Lambda.ResourceNotFound");
        assertThat(document.get("attemptsMade").asInt()).isEqualTo(1);
    }

    @Test
    void backsUpTheSourceRecordsBeforeTransformation() throws Exception {
        String bucket = "backed-up";
        Streams.createS3(firehose, "backup", bucket, s -> {
            configure(s, lambdaProcessing("transform"));
            s.s3BackupMode("Enabled")
                    .s3BackupConfiguration(b -> b.roleARN(Streams.ROLE)
                            .bucketARN("arn:aws:s3:::backed-up-source")
                            .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
        });
        put("backup", "keep:x\n", "drop:y\n", "fail:z\n");

        await().atMost(WAIT).until(() -> lines("backed-up-source", "").size() >= 3);
        assertThat(lines("backed-up-source", "")).containsExactlyInAnyOrder("keep:x", "drop:y", "fail:z");
        await().atMost(WAIT).until(() -> !lines(bucket, "data/").isEmpty());
        assertThat(lines(bucket, "data/")).containsExactly("KEEP:X", "");
    }

    @Test
    void anUpdateAddsTheProcessorFromTheNextBatchOn() throws Exception {
        String bucket = "updated";
        Streams.createS3(
                firehose,
                "update",
                bucket,
                s -> s.prefix("data/")
                        .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))
                        .processingConfiguration(
                                p -> p.enabled(true).processors(pr -> pr.type("AppendDelimiterToRecord"))));
        put("update", "keep:before");
        await().atMost(WAIT).until(() -> lines(bucket, "data/").contains("keep:before"));

        String version = firehose.describeDeliveryStream(b -> b.deliveryStreamName("update"))
                .deliveryStreamDescription()
                .versionId();
        firehose.updateDestination(b -> b.deliveryStreamName("update")
                .currentDeliveryStreamVersionId(version)
                .destinationId("destinationId-000000000001")
                .extendedS3DestinationUpdate(u -> u.processingConfiguration(lambdaProcessing("transform"))));
        Streams.awaitActive(firehose, "update");
        put("update", "keep:after");
        await().atMost(WAIT).until(() -> lines(bucket, "data/").contains("KEEP:AFTER"));
    }
}
