package io.sluice.destination.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.LambdaInvokeServer;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Scrapes;
import io.sluice.testing.Streams;
import io.sluice.testing.TransformationAnswer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DynamicPartitioningConfiguration;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * Dynamic partitioning by the keys a Lambda function returns (delivery spec §7.3, §7.4), through the API
 * with the AWS SDK: the configuration's rules, Describe, and records delivered under their keys.
 */
class DynamicPartitioningIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String FUNCTION = LambdaInvokeServer.arn("us-east-1", "route");
    /** The {@code active-partitions-limit} setting of the Sluice under test. */
    private static final int ACTIVE_PARTITIONS_LIMIT = 3;

    private static LambdaInvokeServer lambda;
    private static RunningSluice sluice;
    private static FirehoseClient firehose;

    @BeforeAll
    static void start() {
        lambda = LambdaInvokeServer.start().function("route", DynamicPartitioningIT::route);
        sluice = RunningSluice.start(config -> config.withDelivery(config.delivery()
                .withFunctions(lambda.asDefaultEndpoint())
                .withActivePartitionsLimit(ACTIVE_PARTITIONS_LIMIT)));
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

    /** Keeps each JSON record and returns its {@code customer} as a partition key, when it has one. */
    private static LambdaInvokeServer.Reply route(JsonNode event) {
        ObjectNode answer = TransformationAnswer.to(event, TransformationAnswer::ok);
        for (JsonNode record : answer.get("records")) {
            String data = new String(
                    java.util.Base64.getDecoder().decode(record.get("data").asText()), UTF_8);
            try {
                JsonNode customer = JSON.readTree(data).path("customer");
                if (customer.isTextual()) {
                    ((ObjectNode) record)
                            .putObject("metadata")
                            .putObject("partitionKeys")
                            .put("customer", customer.asText());
                }
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return LambdaInvokeServer.Reply.Ok.json(answer);
    }

    private static void partitioned(ExtendedS3DestinationConfiguration.Builder s3) {
        s3.prefix("customer=!{partitionKeyFromLambda:customer}/")
                .errorOutputPrefix("errors/!{firehose:error-output-type}/")
                .bufferingHints(h -> h.sizeInMBs(64).intervalInSeconds(1))
                .dynamicPartitioningConfiguration(d -> d.enabled(true))
                .processingConfiguration(p -> p.enabled(true)
                        .processors(
                                pr -> pr.type("Lambda")
                                        .parameters(pa ->
                                                pa.parameterName("LambdaArn").parameterValue(FUNCTION)),
                                pr -> pr.type("AppendDelimiterToRecord")));
    }

    private static void create(String stream, Consumer<ExtendedS3DestinationConfiguration.Builder> configure) {
        ExtendedS3DestinationConfiguration.Builder s3 = ExtendedS3DestinationConfiguration.builder()
                .roleARN(Streams.ROLE)
                .bucketARN("arn:aws:s3:::" + stream);
        configure.accept(s3);
        firehose.createDeliveryStream(b -> b.deliveryStreamName(stream).extendedS3DestinationConfiguration(s3.build()));
    }

    /** Lines of the objects of {@code bucket} by the key folder they are under; checks the objects' names. */
    private static Map<String, List<String>> linesByFolder(String bucket) {
        for (Path object : Streams.localObjects(sluice.dataDir(), bucket)) {
            String key = Streams.key(sluice.dataDir(), bucket, object);
            assertThat(key.substring(key.lastIndexOf('/') + 1)).startsWith(bucket + "-1-");
        }
        return Streams.linesByFolder(sluice.dataDir(), bucket);
    }

    @Test
    void deliversEachRecordUnderItsOwnKeysAndFailsRecordsWithoutThem() throws Exception {
        create("routed", DynamicPartitioningIT::partitioned);
        Streams.awaitActive(firehose, "routed");
        List<Record> records = new ArrayList<>();
        for (String data : List.of(
                "{\"customer\":\"a\",\"n\":1}",
                "{\"customer\":\"b\",\"n\":2}",
                "{\"customer\":\"a\",\"n\":3}",
                "{\"n\":4}")) {
            records.add(Record.builder().data(SdkBytes.fromUtf8String(data)).build());
        }
        firehose.putRecordBatch(b -> b.deliveryStreamName("routed").records(records));

        await().atMost(WAIT).until(() -> linesByFolder("routed").size() >= 3);
        Map<String, List<String>> folders = linesByFolder("routed");
        assertThat(folders)
                .containsEntry("customer=a/", List.of("{\"customer\":\"a\",\"n\":1}", "{\"customer\":\"a\",\"n\":3}"))
                .containsEntry("customer=b/", List.of("{\"customer\":\"b\",\"n\":2}"));
        List<String> failed = folders.get("errors/processing-failed/");
        assertThat(failed).hasSize(1);
        JsonNode document = JSON.readTree(failed.get(0));
        assertThat(document.get("errorCode").asText()).isEqualTo("DynamicPartitioning.MissingPartitionKey");
        assertThat(new String(
                        java.util.Base64.getDecoder()
                                .decode(document.get("rawData").asText()),
                        UTF_8))
                .isEqualTo("{\"n\":4}");

        String scrape = Scrapes.scrape(sluice.endpoint());
        assertThat(Scrapes.streamValue(scrape, "firehose_PartitionCount", "routed"))
                .isBetween(1.0, 2.0);
        assertThat(Scrapes.streamValue(scrape, "firehose_PartitionCountExceeded", "routed"))
                .isZero();
        assertThat(Scrapes.streamValue(scrape, "firehose_DeliveryToS3_ObjectCount_total", "routed"))
                .isEqualTo(2);
        assertThat(Scrapes.streamValue(scrape, "firehose_ActivePartitionsLimit", "routed"))
                .isEqualTo(ACTIVE_PARTITIONS_LIMIT);
        assertThat(Scrapes.streamValue(scrape, "firehose_PerPartitionThroughput_count", "routed"))
                .isEqualTo(2);
        assertThat(Scrapes.streamValue(scrape, "firehose_PerPartitionThroughput_max", "routed"))
                .isPositive();

        DynamicPartitioningConfiguration described = firehose.describeDeliveryStream(
                        b -> b.deliveryStreamName("routed"))
                .deliveryStreamDescription()
                .destinations()
                .get(0)
                .extendedS3DestinationDescription()
                .dynamicPartitioningConfiguration();
        assertThat(described.enabled()).isTrue();
        assertThat(described.retryOptions().durationInSeconds()).isEqualTo(300);
    }

    @Test
    void refusesWhatAwsRefuses() {
        assertThatThrownBy(() -> create("no-error-prefix", s3 -> {
                    partitioned(s3);
                    s3.errorOutputPrefix(null);
                }))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("ErrorOutputPrefix cannot be null or empty when dynamic partitioning is enabled");
        assertThatThrownBy(() -> create("zero-interval", s3 -> {
                    partitioned(s3);
                    s3.bufferingHints(h -> h.sizeInMBs(64).intervalInSeconds(0));
                }))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("buffering interval of 0 seconds");
        assertThatThrownBy(() -> create("no-keys", s3 -> {
                    partitioned(s3);
                    s3.prefix("data/");
                }))
                .hasMessageContaining(
                        "Prefix must contain at least one partitionKeyFromQuery or partitionKeyFromLambda");
        assertThatThrownBy(() -> create("no-lambda", s3 -> {
                    partitioned(s3);
                    s3.processingConfiguration(p -> p.enabled(false));
                }))
                .hasMessageContaining("need an enabled Lambda processor");
        assertThatThrownBy(() -> create("query-keys", s3 -> {
                    partitioned(s3);
                    s3.prefix("year=!{partitionKeyFromQuery:year}/");
                }))
                .hasMessageContaining("need an enabled MetadataExtraction processor");
        assertThatThrownBy(() -> create("unused-query-key", s3 -> {
                    byQuery(s3);
                    s3.prefix("customer=!{partitionKeyFromQuery:customer}/");
                }))
                .hasMessageContaining("you must use all specified dynamic partitioning key values");
        assertThatThrownBy(() -> create("unknown-query-key", s3 -> {
                    byQuery(s3);
                    s3.prefix("customer=!{partitionKeyFromQuery:customer}/year=!{partitionKeyFromQuery:year}/"
                            + "x=!{partitionKeyFromQuery:x}/");
                }))
                .hasMessageContaining("!{partitionKeyFromQuery:x}, which the MetadataExtractionQuery does not produce");
        assertThatThrownBy(() -> create("bad-query", s3 -> {
                    byQuery(s3);
                    s3.processingConfiguration(p -> p.enabled(true)
                            .processors(pr -> pr.type("MetadataExtraction")
                                    .parameters(
                                            pa -> pa.parameterName("MetadataExtractionQuery")
                                                    .parameterValue("{customer: .customer"),
                                            pa -> pa.parameterName("JsonParsingEngine")
                                                    .parameterValue("JQ-1.6"))));
                }))
                .hasMessageContaining("MetadataExtractionQuery is not a valid jq 1.6 program");
        assertThatThrownBy(() -> create("extraction-without-partitioning", s3 -> {
                    byQuery(s3);
                    s3.prefix("data/").dynamicPartitioningConfiguration(d -> d.enabled(false));
                }))
                .hasMessageContaining("A MetadataExtraction processor needs dynamic partitioning");
        assertThatThrownBy(() -> create("keys-without-partitioning", s3 -> {
                    partitioned(s3);
                    s3.dynamicPartitioningConfiguration(d -> d.enabled(false));
                }))
                .hasMessageContaining("when dynamic partitioning is not enabled");
    }

    /** Partitioned by a jq query: the customer, and the year of an epoch-seconds timestamp. */
    private static void byQuery(ExtendedS3DestinationConfiguration.Builder s3) {
        s3.prefix("customer=!{partitionKeyFromQuery:customer}/year=!{partitionKeyFromQuery:year}/")
                .errorOutputPrefix("errors/!{firehose:error-output-type}/")
                .bufferingHints(h -> h.sizeInMBs(64).intervalInSeconds(1))
                .dynamicPartitioningConfiguration(d -> d.enabled(true))
                .processingConfiguration(p -> p.enabled(true)
                        .processors(
                                pr -> pr.type("MetadataExtraction")
                                        .parameters(
                                                pa -> pa.parameterName("MetadataExtractionQuery")
                                                        .parameterValue(
                                                                "{customer: .customer, year: .ts | strftime(\"%Y\")}"),
                                                pa -> pa.parameterName("JsonParsingEngine")
                                                        .parameterValue("JQ-1.6")),
                                pr -> pr.type("AppendDelimiterToRecord")));
    }

    @Test
    void partitionsByAJqQueryAndFailsRecordsItCannotRead() throws Exception {
        create("queried", DynamicPartitioningIT::byQuery);
        Streams.awaitActive(firehose, "queried");
        List<Record> records = new ArrayList<>();
        for (String data : List.of(
                "{\"customer\":\"a\",\"ts\":1425599507}",
                "{\"customer\":\"b\",\"ts\":1767225600}",
                "not json",
                "{\"customer\":null,\"ts\":1}")) {
            records.add(Record.builder().data(SdkBytes.fromUtf8String(data)).build());
        }
        firehose.putRecordBatch(b -> b.deliveryStreamName("queried").records(records));

        await().atMost(WAIT)
                .until(() -> linesByFolder("queried")
                                        .getOrDefault("errors/processing-failed/", List.of())
                                        .size()
                                >= 2
                        && linesByFolder("queried").size() >= 3);
        Map<String, List<String>> folders = linesByFolder("queried");
        assertThat(folders)
                .containsEntry("customer=a/year=2015/", List.of("{\"customer\":\"a\",\"ts\":1425599507}"))
                .containsEntry("customer=b/year=2026/", List.of("{\"customer\":\"b\",\"ts\":1767225600}"));
        assertThat(folders.get("errors/processing-failed/"))
                .extracting(line -> JSON.readTree(line).get("errorCode").asText())
                .containsExactlyInAnyOrder(
                        "DynamicPartitioning.NonJsonRecord", "DynamicPartitioning.MetadataExtractionFailed");
        assertThat(Scrapes.streamValue(
                        Scrapes.scrape(sluice.endpoint()), "firehose_JQProcessing_Duration_seconds_count", "queried"))
                .isEqualTo(4);
    }

    @Test
    void sendsRecordsBeyondTheActivePartitionLimitToTheErrorOutput() throws Exception {
        create("crowded", DynamicPartitioningIT::partitioned);
        Streams.awaitActive(firehose, "crowded");
        List<Record> records = new ArrayList<>();
        for (String customer : List.of("a", "b", "c", "d", "a", "e")) {
            records.add(Record.builder()
                    .data(SdkBytes.fromUtf8String("{\"customer\":\"" + customer + "\"}"))
                    .build());
        }
        firehose.putRecordBatch(b -> b.deliveryStreamName("crowded").records(records));

        await().atMost(WAIT).until(() -> linesByFolder("crowded").size() == 4);
        Map<String, List<String>> folders = linesByFolder("crowded");
        assertThat(folders.keySet())
                .containsExactly("customer=a/", "customer=b/", "customer=c/", "errors/activePartitionExceeded/");
        assertThat(folders.get("customer=a/")).hasSize(2);
        assertThat(folders.get("errors/activePartitionExceeded/"))
                .extracting(line -> JSON.readTree(line).get("errorCode").asText())
                .containsExactly(
                        "DynamicPartitioning.ActivePartitionsLimitExceeded",
                        "DynamicPartitioning.ActivePartitionsLimitExceeded");
        String scrape = Scrapes.scrape(sluice.endpoint());
        assertThat(Scrapes.streamValue(scrape, "firehose_PartitionCount", "crowded"))
                .isEqualTo(ACTIVE_PARTITIONS_LIMIT);
        assertThat(Scrapes.streamValue(scrape, "firehose_PartitionCountExceeded", "crowded"))
                .isEqualTo(1);
    }

    @Test
    void canBeNeitherEnabledLaterNorDisabled() {
        create("plain-then-partitioned", s3 -> s3.prefix("data/"));
        create("partitioned-then-plain", DynamicPartitioningIT::partitioned);
        Streams.awaitActive(firehose, "plain-then-partitioned");
        Streams.awaitActive(firehose, "partitioned-then-plain");
        assertThatThrownBy(() -> update("plain-then-partitioned", DynamicPartitioningIT::partitionedUpdate))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith(
                        "Dynamic partitioning cannot be enabled on a delivery stream created without it.");
        assertThatThrownBy(() -> update(
                        "partitioned-then-plain",
                        u -> u.prefix("data/").dynamicPartitioningConfiguration(d -> d.enabled(false))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("Dynamic partitioning cannot be disabled once it is enabled.");
    }

    private static void partitionedUpdate(
            software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationUpdate.Builder update) {
        update.prefix("customer=!{partitionKeyFromLambda:customer}/")
                .errorOutputPrefix("errors/!{firehose:error-output-type}/")
                .bufferingHints(h -> h.sizeInMBs(64).intervalInSeconds(1))
                .dynamicPartitioningConfiguration(d -> d.enabled(true))
                .processingConfiguration(p -> p.enabled(true)
                        .processors(pr -> pr.type("Lambda")
                                .parameters(pa -> pa.parameterName("LambdaArn").parameterValue(FUNCTION))));
    }

    private static void update(
            String stream,
            Consumer<software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationUpdate.Builder> change) {
        String version = firehose.describeDeliveryStream(b -> b.deliveryStreamName(stream))
                .deliveryStreamDescription()
                .versionId();
        firehose.updateDestination(b -> b.deliveryStreamName(stream)
                .currentDeliveryStreamVersionId(version)
                .destinationId("destinationId-000000000001")
                .extendedS3DestinationUpdate(change));
    }
}
