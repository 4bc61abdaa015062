package io.sluice.processor;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.catalog.SourceSpec;
import io.sluice.catalog.StreamRef;
import io.sluice.lambda.FunctionCall;
import io.sluice.lambda.FunctionInvoker;
import io.sluice.lambda.Invocation;
import io.sluice.metrics.Metrics;
import io.sluice.metrics.StreamMetric;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The {@code Lambda} processor (delivery spec §6.1): each buffer of records is one synchronous invocation
 * of the function with Firehose's event (§6.1.3), whose answer says per record {@code Ok} (with new data
 * and, for dynamic partitioning, partition keys), {@code Dropped} (no trace) or {@code ProcessingFailed}
 * (§6.1.4). An answer is final however malformed (§6.1.5): records it leaves out, repeats or cannot be
 * read fail alone as {@code processing-failed} documents. An invocation that fails (function error,
 * timeout, throttling, unreachable function) is made again up to {@code NumberOfRetries} times, after a
 * growing delay; then every record of the buffer fails with the last error (§6.1.6). Publishes
 * {@code ExecuteProcessing.*} and {@code SucceedProcessing.*} (metrics spec §5).
 */
public final class LambdaProcessor implements RecordProcessor.Batched {
    /** The {@code processing-failed} document's member naming the function, spelled as AWS wrote it (§6.1.8). */
    public static final String LAMBDA_ARN_MEMBER = "lambdaARN";

    static final String PROCESSING_FAILED_STATUS = "Lambda.ProcessingFailedStatus";
    static final String MISSING_RECORD_ID = "Lambda.MissingRecordId";
    static final String DUPLICATED_RECORD_ID = "Lambda.DuplicatedRecordId";
    static final String JSON_PROCESSING = "Lambda.JsonProcessingException";
    static final String FUNCTION_ERROR = "Lambda.FunctionError";
    static final String FUNCTION_TIMED_OUT = "Lambda.FunctionTimedOut";

    private static final String MISSING_RECORD_ID_MESSAGE =
            "One or more record Ids were not returned. Ensure that the Lambda function returns all received record Ids.";
    private static final String DUPLICATED_RECORD_ID_MESSAGE = "Multiple records were returned with the same record"
            + " ID. Ensure that the Lambda function returns unique record IDs for each record.";
    private static final String JSON_PROCESSING_MESSAGE = "There was an error parsing returned records from the Lambda"
            + " function. Ensure that the returned records follow the status model required by Firehose.";
    private static final String FUNCTION_TIMED_OUT_MESSAGE =
            "The Lambda function invocation timed out. Increase the Timeout setting in the Lambda function.";

    private static final JsonFactory JSON_FACTORY = new JsonFactory();
    /**
     * Bytes of an event besides its records, and of a record besides its base64 data and source metadata
     * (a put's takes 100 with a 13-digit timestamp): bounds generous enough that the event's buffer, sized
     * from them, is not grown and copied while the event is written.
     */
    private static final int EVENT_OVERHEAD = 512;

    private static final int RECORD_OVERHEAD = 128;
    /** Bytes of a Kinesis record's metadata besides its partition key, and of a Kafka record's. */
    private static final int METADATA_OVERHEAD = 256;

    /**
     * How invocations are made: at most {@code concurrency} of one processor at once (Firehose makes up
     * to 5 per shard, §6.1.2), and the delay before the first retry, doubling up to {@code maxRetryDelay}.
     */
    public record Settings(int concurrency, Duration retryDelay, Duration maxRetryDelay) {
        public static final Settings DEFAULT = new Settings(5, Duration.ofSeconds(1), Duration.ofSeconds(30));

        public Settings {
            requireNonNull(retryDelay, "retryDelay is null");
            requireNonNull(maxRetryDelay, "maxRetryDelay is null");
            if (concurrency < 1 || retryDelay.isNegative() || maxRetryDelay.compareTo(retryDelay) < 0) {
                throw new IllegalArgumentException("bad Lambda processor settings: " + this);
            }
        }
    }

    private final LambdaParameters parameters;
    private final StreamRef stream;
    private final Optional<SourceSpec> source;
    private final boolean keepsPartitionKeys;
    private final FunctionInvoker invoker;
    private final Settings settings;
    private final Metrics metrics;

    /**
     * @param keepsPartitionKeys whether the answer's {@code metadata.partitionKeys} become the records'
     *     Lambda partition keys (the stream partitions dynamically); otherwise they are ignored, as on AWS
     * @param source what the stream reads, if not puts: its events name it and carry each record's metadata
     */
    public LambdaProcessor(
            LambdaParameters parameters,
            StreamRef stream,
            Optional<SourceSpec> source,
            boolean keepsPartitionKeys,
            FunctionInvoker invoker,
            Settings settings,
            Metrics metrics) {
        this.parameters = requireNonNull(parameters, "parameters is null");
        this.stream = requireNonNull(stream, "stream is null");
        this.source = requireNonNull(source, "source is null");
        this.keepsPartitionKeys = keepsPartitionKeys;
        this.invoker = requireNonNull(invoker, "invoker is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    @Override
    public Buffering buffering() {
        return new Buffering(parameters.bufferSize(), settings.concurrency());
    }

    @Override
    public CompletionStage<List<Result>> process(List<ProcessorRecord> records) {
        FunctionCall call = new FunctionCall(parameters.lambdaArn(), parameters.roleArn(), event(records));
        return attempt(call, records, 1);
    }

    private CompletionStage<List<Result>> attempt(FunctionCall call, List<ProcessorRecord> records, int attempt) {
        long started = System.nanoTime();
        return invoker.invoke(call).thenCompose(invocation -> {
            metrics.record(
                    StreamMetric.EXECUTE_PROCESSING_DURATION, stream, Duration.ofNanos(System.nanoTime() - started));
            metrics.add(StreamMetric.EXECUTE_PROCESSING_ATTEMPTS, stream, 1);
            if (invocation instanceof Invocation.Answered answered) {
                metrics.add(StreamMetric.EXECUTE_PROCESSING_SUCCESSES, stream, 1);
                return CompletableFuture.completedFuture(answer(records, answered.payload(), attempt));
            }
            if (attempt <= parameters.numberOfRetries()) {
                return CompletableFuture.supplyAsync(
                                () -> null,
                                CompletableFuture.delayedExecutor(
                                        retryDelay(attempt).toMillis(), TimeUnit.MILLISECONDS))
                        .thenCompose(ignored -> attempt(call, records, attempt + 1));
            }
            ProcessingFailure failure = failure(invocation, attempt);
            return CompletableFuture.completedFuture(records.stream()
                    .<Result>map(r -> new Result.Failed(failure))
                    .toList());
        });
    }

    private Duration retryDelay(int attempt) {
        Duration delay = settings.retryDelay().multipliedBy(1L << Math.min(attempt - 1, 20));
        return delay.compareTo(settings.maxRetryDelay()) > 0 ? settings.maxRetryDelay() : delay;
    }

    /** The failure every record of a buffer gets when its last invocation failed with {@code invocation}. */
    private ProcessingFailure failure(Invocation invocation, int attempts) {
        return switch (invocation) {
            case Invocation.FunctionFailed failed -> failure(FUNCTION_ERROR, functionErrorMessage(failed), attempts);
            case Invocation.TimedOut timedOut -> failure(FUNCTION_TIMED_OUT, FUNCTION_TIMED_OUT_MESSAGE, attempts);
            case Invocation.Refused refused -> failure(refused.errorCode(), refused.message(), attempts);
            case Invocation.Answered answered -> throw new IllegalArgumentException("an answer is no failure");
        };
    }

    private static String functionErrorMessage(Invocation.FunctionFailed failed) {
        String message = "The Lambda function was successfully invoked but it returned an error result.";
        if (failed.errorType().isEmpty() && failed.errorMessage().isEmpty()) {
            return message;
        }
        return message + " " + (failed.errorType() + ": " + failed.errorMessage()).strip();
    }

    private ProcessingFailure failure(String code, String message, int attempts) {
        SequencedMap<String, String> trailing = new LinkedHashMap<>();
        trailing.put(LAMBDA_ARN_MEMBER, parameters.lambdaArn());
        return new ProcessingFailure(ProcessingFailure.PROCESSING_FAILED, code, message, attempts, trailing);
    }

    /** The id of {@code record} in the event: unique within it, and the same every time it is processed. */
    static String recordId(ProcessorRecord record) {
        StringBuilder id = new StringBuilder(30);
        zeroPadded(id, Long.toString(record.position()), 20);
        zeroPadded(id, Integer.toString(record.subsequence()), 10);
        return id.toString();
    }

    private static void zeroPadded(StringBuilder out, String digits, int width) {
        out.repeat('0', Math.max(0, width - digits.length())).append(digits);
    }

    /**
     * Firehose's event (§6.1.3): a stream reading a Kinesis data stream names it and adds each record's
     * {@code kinesisRecordMetadata}; one reading an MSK topic names the cluster, carries each record's data
     * as {@code kafkaRecordValue} and adds its {@code mskRecordMetadata}.
     */
    private byte[] event(List<ProcessorRecord> records) {
        long size = EVENT_OVERHEAD;
        for (ProcessorRecord record : records) {
            size += RECORD_OVERHEAD + (record.data().remaining() + 2L) / 3 * 4 + metadataSize(record.source());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(size, FunctionCall.MAX_PAYLOAD_BYTES));
        try (JsonGenerator json = JSON_FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("invocationId", UUID.randomUUID().toString());
            json.writeStringField("deliveryStreamArn", stream.arn());
            json.writeStringField("region", stream.region());
            if (source.isPresent()) {
                json.writeStringField(
                        source.get() instanceof SourceSpec.Msk ? "sourceMSKArn" : "sourceKinesisStreamArn",
                        source.get().sourceArn());
            }
            json.writeArrayFieldStart("records");
            for (ProcessorRecord record : records) {
                json.writeStartObject();
                json.writeStringField("recordId", recordId(record));
                json.writeNumberField("approximateArrivalTimestamp", record.arrivalMillis());
                json.writeFieldName(record.source() instanceof SourceMetadata.Kafka ? "kafkaRecordValue" : "data");
                writeBase64(json, record.data());
                writeMetadata(json, record);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** At most the bytes {@link #writeMetadata} writes, but for partition keys full of escapes. */
    private static long metadataSize(SourceMetadata source) {
        return switch (source) {
            case SourceMetadata.Put put -> 0;
            case SourceMetadata.Kinesis kinesis ->
                METADATA_OVERHEAD + 3L * kinesis.partitionKey().length();
            case SourceMetadata.Kafka kafka -> METADATA_OVERHEAD;
        };
    }

    /** What the record's source said of it, in the member its source's events carry it in. */
    private static void writeMetadata(JsonGenerator json, ProcessorRecord record) throws IOException {
        switch (record.source()) {
            case SourceMetadata.Put put -> {}
            case SourceMetadata.Kinesis kinesis -> {
                json.writeObjectFieldStart("kinesisRecordMetadata");
                json.writeStringField("shardId", kinesis.shardId());
                json.writeStringField("partitionKey", kinesis.partitionKey());
                json.writeNumberField("approximateArrivalTimestamp", record.arrivalMillis());
                json.writeStringField("sequenceNumber", kinesis.sequenceNumber());
                json.writeNumberField("subsequenceNumber", kinesis.subsequenceNumber());
                json.writeEndObject();
            }
            case SourceMetadata.Kafka kafka -> {
                json.writeObjectFieldStart("mskRecordMetadata");
                json.writeStringField("offset", Long.toString(kafka.offset()));
                json.writeStringField("partitionId", Integer.toString(kafka.partition()));
                json.writeNumberField("approximateArrivalTimestamp", record.arrivalMillis());
                json.writeEndObject();
            }
        }
    }

    /**
     * {@code data} as a base64 string. Encoded by the JDK, whose encoder the JIT turns into vector
     * instructions (Jackson's own, a byte at a time, took a third of the processor's CPU), then written
     * as it is: base64 needs no escapes.
     */
    private static void writeBase64(JsonGenerator json, ByteBuffer data) throws IOException {
        ByteBuffer encoded = Base64.getEncoder().encode(data.duplicate());
        json.writeRawUTF8String(encoded.array(), encoded.arrayOffset(), encoded.remaining());
    }

    /** One result per record of {@code payload}, the function's answer (§6.1.4, §6.1.5). */
    private List<Result> answer(List<ProcessorRecord> records, byte[] payload, int attempts) {
        Optional<Map<String, List<LambdaAnswer.Element>>> answered = LambdaAnswer.read(payload);
        if (answered.isEmpty()) {
            ProcessingFailure unreadable = failure(JSON_PROCESSING, JSON_PROCESSING_MESSAGE, attempts);
            return records.stream()
                    .<Result>map(r -> new Result.Failed(unreadable))
                    .toList();
        }
        Map<String, List<LambdaAnswer.Element>> byId = answered.get();
        List<Result> results = new ArrayList<>(records.size());
        long succeeded = 0;
        long bytes = 0;
        for (ProcessorRecord record : records) {
            List<LambdaAnswer.Element> answers = byId.getOrDefault(recordId(record), List.of());
            Result result;
            if (answers.isEmpty()) {
                result = new Result.Failed(failure(MISSING_RECORD_ID, MISSING_RECORD_ID_MESSAGE, attempts));
            } else if (answers.size() > 1) {
                result = new Result.Failed(failure(DUPLICATED_RECORD_ID, DUPLICATED_RECORD_ID_MESSAGE, attempts));
            } else {
                result = result(record, answers.get(0), attempts);
            }
            if (result instanceof Result.Records made) {
                succeeded++;
                bytes += made.records().stream()
                        .mapToLong(r -> r.data().remaining())
                        .sum();
            }
            results.add(result);
        }
        metrics.add(StreamMetric.SUCCEED_PROCESSING_RECORDS, stream, succeeded);
        metrics.add(StreamMetric.SUCCEED_PROCESSING_BYTES, stream, bytes);
        return results;
    }

    private Result result(ProcessorRecord record, LambdaAnswer.Element answer, int attempts) {
        return switch (answer.result().orElse("")) {
            case "Ok" -> ok(record, answer, attempts);
            case "Dropped" -> new Result.Records(List.of());
            case "ProcessingFailed" ->
                new Result.Failed(
                        failure(PROCESSING_FAILED_STATUS, "ProcessingFailed status set for record", attempts));
            default -> new Result.Failed(failure(JSON_PROCESSING, JSON_PROCESSING_MESSAGE, attempts));
        };
    }

    private Result ok(ProcessorRecord record, LambdaAnswer.Element answer, int attempts) {
        Optional<ByteBuffer> decoded = answer.data().decoded();
        if (decoded.isEmpty()) {
            return new Result.Failed(failure(JSON_PROCESSING, JSON_PROCESSING_MESSAGE, attempts));
        }
        ProcessorRecord transformed = record.withData(decoded.get());
        JsonNode keys = answer.metadata().path("partitionKeys");
        if (keepsPartitionKeys && keys.isObject()) {
            SortedMap<String, String> fromLambda = new TreeMap<>();
            keys.properties()
                    .forEach(key -> fromLambda.put(key.getKey(), key.getValue().asText()));
            transformed = transformed.withPartitionKeys(record.partitionKeys().withLambdaKeys(fromLambda));
        }
        return new Result.Records(List.of(transformed));
    }
}
