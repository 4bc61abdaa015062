package io.sluice.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.catalog.SourceSpec;
import io.sluice.catalog.StreamRef;
import io.sluice.common.DataSize;
import io.sluice.lambda.FunctionCall;
import io.sluice.lambda.FunctionInvoker;
import io.sluice.lambda.Invocation;
import io.sluice.metrics.Metrics;
import io.sluice.testing.Scrapes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class LambdaProcessorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:transform:live";
    private static final String ROLE = "arn:aws:iam::123456789012:role/firehose";
    private static final StreamRef STREAM = new StreamRef("123456789012", "eu-west-1", "events");
    private static final LambdaParameters PARAMETERS =
            new LambdaParameters(FUNCTION, 3, Optional.of(ROLE), DataSize.ofMebibytes(1), Duration.ofSeconds(60));

    /** A function answering each invocation with the next of its scripted answers, recording the calls. */
    private static final class Scripted implements FunctionInvoker {
        final Deque<Function<JsonNode, Invocation>> answers = new ArrayDeque<>();
        final List<FunctionCall> calls = new ArrayList<>();

        Scripted then(Function<JsonNode, Invocation> answer) {
            answers.add(answer);
            return this;
        }

        @Override
        public CompletionStage<Invocation> invoke(FunctionCall call) {
            calls.add(call);
            return CompletableFuture.completedFuture(answers.removeFirst().apply(event(call)));
        }

        @Override
        public void close() {}
    }

    private final Metrics metrics = new Metrics();

    private static JsonNode event(FunctionCall call) {
        try {
            return JSON.readTree(call.payload());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProcessorRecord record(long position, String data) {
        return ProcessorRecord.source(position, 1_700_000_000_000L + position, bytes(data));
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ProcessorRecord record) {
        return StandardCharsets.UTF_8.decode(record.data().duplicate()).toString();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String unbase64(JsonNode node) {
        return new String(Base64.getDecoder().decode(node.asText()), StandardCharsets.UTF_8);
    }

    /** An answer built per record of the event by {@code each}, which may return null to leave one out. */
    private static Function<JsonNode, Invocation> answering(Function<JsonNode, ObjectNode> each) {
        return event -> {
            ObjectNode answer = JSON.createObjectNode();
            ArrayNode records = answer.putArray("records");
            for (JsonNode record : event.get("records")) {
                ObjectNode made = each.apply(record);
                if (made != null) {
                    records.add(made);
                }
            }
            return new Invocation.Answered(answer.toString().getBytes(StandardCharsets.UTF_8));
        };
    }

    private static ObjectNode ok(JsonNode record, String data) {
        return JSON.createObjectNode()
                .put("recordId", record.get("recordId").asText())
                .put("result", "Ok")
                .put("data", base64(data));
    }

    private static ObjectNode result(JsonNode record, String result) {
        return JSON.createObjectNode()
                .put("recordId", record.get("recordId").asText())
                .put("result", result);
    }

    private LambdaProcessor processor(FunctionInvoker invoker, boolean partitions) {
        return new LambdaProcessor(
                PARAMETERS,
                STREAM,
                Optional.empty(),
                partitions,
                invoker,
                new LambdaProcessor.Settings(5, Duration.ZERO, Duration.ZERO),
                metrics);
    }

    private List<RecordProcessor.Result> run(FunctionInvoker invoker, ProcessorRecord... records) {
        return processor(invoker, false)
                .process(List.of(records))
                .toCompletableFuture()
                .join();
    }

    private static ProcessingFailure failure(RecordProcessor.Result result) {
        assertThat(result).isInstanceOf(RecordProcessor.Result.Failed.class);
        return ((RecordProcessor.Result.Failed) result).failure();
    }

    private static List<String> texts(RecordProcessor.Result result) {
        assertThat(result).isInstanceOf(RecordProcessor.Result.Records.class);
        return ((RecordProcessor.Result.Records) result)
                .records().stream().map(LambdaProcessorTest::text).toList();
    }

    @Test
    void sendsFirehosesEventToTheFunctionAsConfigured() {
        Scripted function = new Scripted().then(answering(r -> ok(r, "x")));
        run(
                function,
                record(7, "first"),
                ProcessorRecord.source(9, 1_700_000_000_009L, bytes("second")).split(10, 2, bytes("part")));

        FunctionCall call = function.calls.get(0);
        assertThat(call.functionArn()).isEqualTo(FUNCTION);
        assertThat(call.roleArn()).contains(ROLE);
        JsonNode event = event(call);
        assertThat(event.get("invocationId").asText()).matches("[0-9a-f-]{36}");
        assertThat(event.get("deliveryStreamArn").asText())
                .isEqualTo("arn:aws:firehose:eu-west-1:123456789012:deliverystream/events");
        assertThat(event.get("region").asText()).isEqualTo("eu-west-1");
        assertThat(event.get("records")).hasSize(2);
        JsonNode first = event.get("records").get(0);
        assertThat(first.get("approximateArrivalTimestamp").asLong()).isEqualTo(1_700_000_000_007L);
        assertThat(unbase64(first.get("data"))).isEqualTo("first");
        assertThat(unbase64(event.get("records").get(1).get("data"))).isEqualTo("part");
        assertThat(List.of(
                        first.get("recordId").asText(),
                        event.get("records").get(1).get("recordId").asText()))
                .doesNotHaveDuplicates()
                .allMatch(id -> id.matches("\\d+"));
        assertThat(first.size()).isEqualTo(3);
        assertThat(first.get("recordId").asText()).isEqualTo("000000000000000000070000000000");
        assertThat(LambdaProcessor.recordId(ProcessorRecord.source(1L << 40, 0, bytes(""))
                        .split(1_000_000, 123_456, bytes(""))
                        .split(500, 499, bytes(""))))
                .isEqualTo("000000010995116277760061728499");
    }

    @Test
    void namesAKinesisSourceAndCarriesEachRecordsMetadata() {
        Scripted function = new Scripted().then(answering(r -> ok(r, "x")));
        SourceSpec kinesis = new SourceSpec.KinesisStream(
                "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks", ROLE, Optional.empty());
        SourceMetadata metadata =
                new SourceMetadata.Kinesis("shardId-000000000003", "user-17", "4954511524349098501828006771497", 2);

        sourced(function, kinesis, ProcessorRecord.source(4, 1_700_000_000_004L, bytes("click"), metadata));

        JsonNode event = event(function.calls.get(0));
        assertThat(event.get("sourceKinesisStreamArn").asText())
                .isEqualTo("arn:aws:kinesis:eu-west-1:123456789012:stream/clicks");
        JsonNode record = event.get("records").get(0);
        assertThat(unbase64(record.get("data"))).isEqualTo("click");
        assertThat(record.get("kinesisRecordMetadata"))
                .isEqualTo(JSON.createObjectNode()
                        .put("shardId", "shardId-000000000003")
                        .put("partitionKey", "user-17")
                        .put("approximateArrivalTimestamp", 1_700_000_000_004L)
                        .put("sequenceNumber", "4954511524349098501828006771497")
                        .put("subsequenceNumber", 2));
    }

    @Test
    void namesAnMskSourceAndCarriesTheValueAsKafkaRecordValue() {
        Scripted function = new Scripted()
                .then(answering(r -> JSON.createObjectNode()
                        .put("recordId", r.get("recordId").asText())
                        .put("result", "Ok")
                        .put("data", r.get("kafkaRecordValue").asText())));
        SourceSpec msk = new SourceSpec.Msk(
                "arn:aws:kafka:eu-west-1:123456789012:cluster/c/1",
                "orders",
                ROLE,
                "PRIVATE",
                Optional.empty(),
                Optional.empty());

        List<RecordProcessor.Result> results = sourced(
                function,
                msk,
                ProcessorRecord.source(5, 1_700_000_000_005L, bytes("order"), new SourceMetadata.Kafka(3, 812)));

        JsonNode event = event(function.calls.get(0));
        assertThat(event.get("sourceMSKArn").asText()).isEqualTo("arn:aws:kafka:eu-west-1:123456789012:cluster/c/1");
        assertThat(event.has("sourceKinesisStreamArn")).isFalse();
        JsonNode record = event.get("records").get(0);
        assertThat(record.has("data")).isFalse();
        assertThat(unbase64(record.get("kafkaRecordValue"))).isEqualTo("order");
        assertThat(record.get("mskRecordMetadata"))
                .isEqualTo(JSON.createObjectNode()
                        .put("offset", "812")
                        .put("partitionId", "3")
                        .put("approximateArrivalTimestamp", 1_700_000_000_005L));
        assertThat(results)
                .singleElement()
                .isInstanceOfSatisfying(
                        RecordProcessor.Result.Records.class,
                        r -> assertThat(r.records()).singleElement().satisfies(made -> {
                            assertThat(text(made)).isEqualTo("order");
                            assertThat(made.source()).isEqualTo(new SourceMetadata.Kafka(3, 812));
                        }));
    }

    private List<RecordProcessor.Result> sourced(Scripted function, SourceSpec source, ProcessorRecord record) {
        return new LambdaProcessor(
                        PARAMETERS,
                        STREAM,
                        Optional.of(source),
                        false,
                        function,
                        new LambdaProcessor.Settings(5, Duration.ZERO, Duration.ZERO),
                        metrics)
                .process(List.of(record))
                .toCompletableFuture()
                .join();
    }

    @Test
    void okReplacesTheDataDroppedLeavesNothingAndProcessingFailedFailsAlone() {
        Scripted function = new Scripted().then(answering(r -> switch (unbase64(r.get("data"))) {
            case "keep" -> ok(r, "KEPT");
            case "drop" -> result(r, "Dropped");
            default -> result(r, "ProcessingFailed");
        }));
        List<RecordProcessor.Result> results = run(function, record(1, "keep"), record(2, "drop"), record(3, "bad"));

        assertThat(texts(results.get(0))).containsExactly("KEPT");
        assertThat(texts(results.get(1))).isEmpty();
        ProcessingFailure failed = failure(results.get(2));
        assertThat(failed.errorOutputType()).isEqualTo("processing-failed");
        assertThat(failed.errorCode()).isEqualTo("Lambda.ProcessingFailedStatus");
        assertThat(failed.errorMessage()).isEqualTo("ProcessingFailed status set for record");
        assertThat(failed.attemptsMade()).isEqualTo(1);
        assertThat(failed.trailingMembers()).containsExactly(Map.entry("lambdaARN", FUNCTION));
        assertThat(function.calls).hasSize(1);
        String scrape = metrics.scrape();
        assertThat(Scrapes.streamValue(scrape, "firehose_SucceedProcessing_Records_total", "events"))
                .isEqualTo(2);
        assertThat(Scrapes.streamValue(scrape, "firehose_SucceedProcessing_Bytes_total", "events"))
                .isEqualTo(4);
        assertThat(Scrapes.streamValue(scrape, "firehose_ExecuteProcessing_Successes_total", "events"))
                .isEqualTo(1);
    }

    @Test
    void aMissingARepeatedOrAnUnreadableAnswerFailsOnlyItsRecordWithoutRetrying() {
        Scripted function = new Scripted()
                .then(answering(r -> switch (unbase64(r.get("data"))) {
                            case "missing" -> null;
                            case "twice" -> ok(r, "again");
                            case "no data" -> result(r, "Ok");
                            case "bad data" -> result(r, "Ok").put("data", "not base64!");
                            case "odd result" -> result(r, "Fine");
                            default -> ok(r, "fine");
                        })
                        .andThen(answered -> {
                            String text =
                                    new String(((Invocation.Answered) answered).payload(), StandardCharsets.UTF_8);
                            return new Invocation.Answered(text.replace(
                                            "]}",
                                            ",{\"recordId\":\"" + LambdaProcessor.recordId(record(2, ""))
                                                    + "\",\"result\":\"Ok\"," + "\"data\":\"" + base64("again")
                                                    + "\"}]}")
                                    .getBytes(StandardCharsets.UTF_8));
                        }));
        List<RecordProcessor.Result> results = run(
                function,
                record(1, "missing"),
                record(2, "twice"),
                record(3, "no data"),
                record(4, "bad data"),
                record(5, "odd result"),
                record(6, "good"));

        assertThat(failure(results.get(0)).errorCode()).isEqualTo("Lambda.MissingRecordId");
        assertThat(failure(results.get(0)).errorMessage())
                .isEqualTo("One or more record Ids were not returned. Ensure that the Lambda function returns all"
                        + " received record Ids.");
        assertThat(failure(results.get(1)).errorCode()).isEqualTo("Lambda.DuplicatedRecordId");
        assertThat(failure(results.get(2)).errorCode()).isEqualTo("Lambda.JsonProcessingException");
        assertThat(failure(results.get(3)).errorCode()).isEqualTo("Lambda.JsonProcessingException");
        assertThat(failure(results.get(4)).errorCode()).isEqualTo("Lambda.JsonProcessingException");
        assertThat(texts(results.get(5))).containsExactly("fine");
        assertThat(results.subList(0, 5))
                .allSatisfy(r -> assertThat(failure(r).attemptsMade()).isEqualTo(1));
        assertThat(function.calls).hasSize(1);
    }

    @Test
    void anUnparsableAnswerFailsEveryRecordOnceAsFinal() {
        for (String body : List.of("not json", "{\"recordz\":[]}", "[]", "")) {
            Scripted function =
                    new Scripted().then(event -> new Invocation.Answered(body.getBytes(StandardCharsets.UTF_8)));
            List<RecordProcessor.Result> results = run(function, record(1, "a"), record(2, "b"));
            assertThat(results).allSatisfy(r -> {
                assertThat(failure(r).errorCode()).isEqualTo("Lambda.JsonProcessingException");
                assertThat(failure(r).errorMessage())
                        .isEqualTo("There was an error parsing returned records from the Lambda function. Ensure that"
                                + " the returned records follow the status model required by Firehose.");
                assertThat(failure(r).attemptsMade()).isEqualTo(1);
            });
            assertThat(function.calls).hasSize(1);
        }
    }

    @Test
    void aFailedInvocationIsMadeAgainNumberOfRetriesTimesThenFailsEveryRecord() {
        Scripted function = new Scripted();
        for (int i = 0; i < 4; i++) {
            function.then(event -> new Invocation.FunctionFailed("java.lang.IllegalStateException", "boom"));
        }
        List<RecordProcessor.Result> results = run(function, record(1, "a"), record(2, "b"));

        assertThat(function.calls).hasSize(4);
        assertThat(results).allSatisfy(r -> {
            ProcessingFailure failure = failure(r);
            assertThat(failure.errorCode()).isEqualTo("Lambda.FunctionError");
            assertThat(failure.errorMessage())
                    .startsWith("The Lambda function was successfully invoked but it returned an error result.")
                    .contains("java.lang.IllegalStateException: boom");
            assertThat(failure.attemptsMade()).isEqualTo(4);
            assertThat(failure.trailingMembers()).containsEntry("lambdaARN", FUNCTION);
        });
        String scrape = metrics.scrape();
        assertThat(Scrapes.streamValue(scrape, "firehose_ExecuteProcessing_Attempts_total", "events"))
                .isEqualTo(4);
        assertThat(Scrapes.streamValue(scrape, "firehose_ExecuteProcessing_Duration_seconds_count", "events"))
                .isEqualTo(4);
    }

    @Test
    void timeoutsAndRefusalsFailWithTheirOwnCodes() {
        Scripted timingOut = new Scripted();
        Scripted throttled = new Scripted();
        for (int i = 0; i < 4; i++) {
            timingOut.then(event -> new Invocation.TimedOut());
            throttled.then(event -> new Invocation.Refused("Lambda.InvokeLimitExceeded", "HTTP 429"));
        }
        ProcessingFailure timedOut = failure(run(timingOut, record(1, "a")).get(0));
        assertThat(timedOut.errorCode()).isEqualTo("Lambda.FunctionTimedOut");
        assertThat(timedOut.errorMessage())
                .isEqualTo("The Lambda function invocation timed out. Increase the Timeout setting in the Lambda"
                        + " function.");
        assertThat(timedOut.attemptsMade()).isEqualTo(4);
        ProcessingFailure refused = failure(run(throttled, record(1, "a")).get(0));
        assertThat(refused.errorCode()).isEqualTo("Lambda.InvokeLimitExceeded");
        assertThat(refused.errorMessage()).isEqualTo("HTTP 429");
    }

    @Test
    void anInvocationThatSucceedsOnARetryDeliversAndCountsItsAttempts() {
        Scripted function = new Scripted()
                .then(event -> new Invocation.TimedOut())
                .then(event -> new Invocation.Refused("Lambda.InvokeLimitExceeded", "slow down"))
                .then(answering(
                        r -> unbase64(r.get("data")).equals("bad") ? result(r, "ProcessingFailed") : ok(r, "done")));
        List<RecordProcessor.Result> results = run(function, record(1, "a"), record(2, "bad"));

        assertThat(texts(results.get(0))).containsExactly("done");
        assertThat(failure(results.get(1)).attemptsMade()).isEqualTo(3);
        assertThat(function.calls).hasSize(3);
        assertThat(function.calls.get(0).payload())
                .isEqualTo(function.calls.get(2).payload());
    }

    @Test
    void noRetriesWhenNumberOfRetriesIsZero() {
        Scripted function = new Scripted().then(event -> new Invocation.FunctionFailed("", ""));
        LambdaProcessor once = new LambdaProcessor(
                new LambdaParameters(FUNCTION, 0, Optional.empty(), DataSize.ofMebibytes(1), Duration.ZERO),
                STREAM,
                Optional.empty(),
                false,
                function,
                new LambdaProcessor.Settings(1, Duration.ZERO, Duration.ZERO),
                metrics);
        List<RecordProcessor.Result> results =
                once.process(List.of(record(1, "a"))).toCompletableFuture().join();
        assertThat(failure(results.get(0)).attemptsMade()).isEqualTo(1);
        assertThat(failure(results.get(0)).errorMessage())
                .isEqualTo("The Lambda function was successfully invoked but it returned an error result.");
        assertThat(function.calls).hasSize(1);
        assertThat(once.buffering()).isEqualTo(new Buffering(DataSize.ofMebibytes(1), 1));
    }

    @Test
    void keepsTheFunctionsPartitionKeysOnlyForAStreamThatPartitions() {
        Function<JsonNode, Invocation> withKeys = answering(r -> {
            ObjectNode ok = ok(r, "x");
            ok.putObject("metadata")
                    .putObject("partitionKeys")
                    .put("customer", "42")
                    .put("year", "2026");
            return ok;
        });
        ProcessorRecord input = record(1, "a");
        RecordProcessor.Result partitioned = processor(new Scripted().then(withKeys), true)
                .process(List.of(input))
                .toCompletableFuture()
                .join()
                .get(0);
        assertThat(((RecordProcessor.Result.Records) partitioned)
                        .records()
                        .get(0)
                        .partitionKeys())
                .isEqualTo(PartitionKeys.NONE.withLambdaKeys(new TreeMap<>(Map.of("customer", "42", "year", "2026"))));
        RecordProcessor.Result plain = processor(new Scripted().then(withKeys), false)
                .process(List.of(input))
                .toCompletableFuture()
                .join()
                .get(0);
        assertThat(((RecordProcessor.Result.Records) plain).records().get(0).partitionKeys())
                .isEqualTo(PartitionKeys.NONE);
    }
}
