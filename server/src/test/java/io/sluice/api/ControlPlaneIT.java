package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.api.auth.Credential;
import io.sluice.testing.RunningSluice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.CompressionFormat;
import software.amazon.awssdk.services.firehose.model.ConcurrentModificationException;
import software.amazon.awssdk.services.firehose.model.CreateDeliveryStreamRequest;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.DestinationDescription;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.KeyType;
import software.amazon.awssdk.services.firehose.model.LimitExceededException;
import software.amazon.awssdk.services.firehose.model.ListDeliveryStreamsResponse;
import software.amazon.awssdk.services.firehose.model.ListTagsForDeliveryStreamResponse;
import software.amazon.awssdk.services.firehose.model.ResourceInUseException;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;
import software.amazon.awssdk.services.firehose.model.Tag;

/** Every control-plane operation and its errors, driven through the AWS SDK for Java v2. */
class ControlPlaneIT {
    private static final String ROLE = "arn:aws:iam::123456789012:role/firehose";
    private static final String BUCKET = "arn:aws:s3:::sluice-bucket";

    private static RunningSluice sluice;
    private static FirehoseClient firehose;

    @BeforeAll
    static void start() {
        sluice = RunningSluice.start(c -> c.withCredentials(List.of(
                new Credential("test", "test", "000000000000"), new Credential("other", "secret", "111111111111"))));
        firehose = sluice.client();
    }

    @AfterAll
    static void stop() {
        firehose.close();
        sluice.close();
    }

    private static ExtendedS3DestinationConfiguration.Builder s3() {
        return ExtendedS3DestinationConfiguration.builder().roleARN(ROLE).bucketARN(BUCKET);
    }

    private static String create(String name) {
        return create(name, b -> {});
    }

    private static String create(String name, Consumer<CreateDeliveryStreamRequest.Builder> extra) {
        CreateDeliveryStreamRequest.Builder request = CreateDeliveryStreamRequest.builder()
                .deliveryStreamName(name)
                .extendedS3DestinationConfiguration(s3().build());
        extra.accept(request);
        return firehose.createDeliveryStream(request.build()).deliveryStreamARN();
    }

    private static DeliveryStreamDescription describe(String name) {
        return firehose.describeDeliveryStream(b -> b.deliveryStreamName(name)).deliveryStreamDescription();
    }

    private static DeliveryStreamDescription awaitActive(String name) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> describe(name).deliveryStreamStatus() == DeliveryStreamStatus.ACTIVE);
        return describe(name);
    }

    @Test
    void createsStreamThatBecomesActiveWithAwsDefaultsFilledIn() {
        Instant before = Instant.now().minusSeconds(1);
        String arn = create("defaults");
        assertThat(arn).isEqualTo("arn:aws:firehose:us-east-1:000000000000:deliverystream/defaults");
        assertThat(describe("defaults").deliveryStreamStatus()).isEqualTo(DeliveryStreamStatus.CREATING);

        DeliveryStreamDescription d = awaitActive("defaults");
        assertThat(d.deliveryStreamARN()).isEqualTo(arn);
        assertThat(d.versionId()).isEqualTo("1");
        assertThat(d.deliveryStreamType()).isEqualTo(DeliveryStreamType.DIRECT_PUT);
        assertThat(d.createTimestamp()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
        assertThat(d.lastUpdateTimestamp()).isNull();
        assertThat(d.hasMoreDestinations()).isFalse();
        assertThat(d.deliveryStreamEncryptionConfiguration().status())
                .isEqualTo(DeliveryStreamEncryptionStatus.DISABLED);
        assertThat(d.destinations()).hasSize(1);
        DestinationDescription destination = d.destinations().get(0);
        assertThat(destination.destinationId()).isEqualTo("destinationId-000000000001");
        var extended = destination.extendedS3DestinationDescription();
        assertThat(extended.roleARN()).isEqualTo(ROLE);
        assertThat(extended.bucketARN()).isEqualTo(BUCKET);
        assertThat(extended.bufferingHints().sizeInMBs()).isEqualTo(5);
        assertThat(extended.bufferingHints().intervalInSeconds()).isEqualTo(300);
        assertThat(extended.compressionFormat()).isEqualTo(CompressionFormat.UNCOMPRESSED);
        assertThat(extended.encryptionConfiguration().noEncryptionConfigAsString())
                .isEqualTo("NoEncryption");
        assertThat(extended.cloudWatchLoggingOptions().enabled()).isFalse();
        assertThat(extended.s3BackupModeAsString()).isEqualTo("Disabled");
        assertThat(destination.s3DestinationDescription().bucketARN()).isEqualTo(BUCKET);
        assertThat(destination.s3DestinationDescription().bufferingHints().sizeInMBs())
                .isEqualTo(5);
    }

    @Test
    void rejectsBadSignaturesAndUnknownKeys() {
        try (FirehoseClient wrongSecret = sluice.client(Region.US_EAST_1, "test", "not-the-secret");
                FirehoseClient unknownKey = sluice.client(Region.US_EAST_1, "AKIDUNKNOWN", "secret")) {
            assertThatThrownBy(() -> wrongSecret.listDeliveryStreams(b -> {}))
                    .isInstanceOfSatisfying(
                            FirehoseException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException"))
                    .hasMessageStartingWith(
                            "The request signature we calculated does not match the signature you" + " provided.");
            assertThatThrownBy(() -> unknownKey.listDeliveryStreams(b -> {}))
                    .isInstanceOfSatisfying(
                            FirehoseException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"))
                    .hasMessageStartingWith("The security token included in the request is invalid.");
        }
    }

    @Test
    void reportsEveryConstraintAnOverLongNameBreaks() {
        String name = "!".repeat(70);
        assertThatThrownBy(() -> create(name)).isInstanceOfSatisfying(FirehoseException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
            assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("2 validation errors detected: Value '" + name
                            + "' at 'deliveryStreamName' failed to satisfy constraint: Member must have"
                            + " length less than or equal to 64; Value '" + name
                            + "' at 'deliveryStreamName' failed to satisfy constraint: Member must satisfy"
                            + " regular expression pattern: [a-zA-Z0-9_.-]+");
        });
    }

    @Test
    void rejectsDuplicateNames() {
        create("duplicate");
        assertThatThrownBy(() -> create("duplicate"))
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("Firehose duplicate under accountId 000000000000 already exists");
    }

    @Test
    void requiresExactlyOneDestination() {
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName("none")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("Exactly one destination configuration is supported for a Firehose");
        assertThatThrownBy(() -> create(
                        "two",
                        b -> b.s3DestinationConfiguration(s -> s.roleARN(ROLE).bucketARN(BUCKET))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("Exactly one destination configuration is supported for a Firehose");
    }

    @Test
    void rejectsDestinationsSluiceDoesNotDeliverTo() {
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName("snowflake")
                        .snowflakeDestinationConfiguration(f -> f.accountUrl("https://acme.snowflakecomputing.com")
                                .database("events")
                                .schema("public")
                                .table("clicks")
                                .roleARN(ROLE)
                                .s3Configuration(s -> s.roleARN(ROLE).bucketARN(BUCKET)))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Sluice does not deliver to Snowflake destinations yet"
                        + " (SnowflakeDestinationConfiguration)");
    }

    @Test
    void rejectsSourceConfigurationThatDoesNotMatchTheType() {
        assertThatThrownBy(() -> create(
                        "mismatch",
                        b -> b.kinesisStreamSourceConfiguration(
                                k -> k.kinesisStreamARN("arn:aws:kinesis:us-east-1:123456789012:stream/s")
                                        .roleARN(ROLE))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("KinesisStreamSourceConfiguration can only be specified");
    }

    @Test
    void appliesThePrefixRulesInAwsWords() {
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName("prefix")
                        .extendedS3DestinationConfiguration(
                                s3().prefix("logs/!{timestamp:yyyy}/").build())))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("Ths supplied prefix(es) do not satisfy the following constraint:"
                        + " ErrorOutputPrefix cannot be null or empty when Prefix contains expressions");
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName("prefix")
                        .extendedS3DestinationConfiguration(s3().prefix("!{firehose:error-output-type}")
                                .errorOutputPrefix("e/")
                                .build())))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Prefix cannot contain !{firehose:error-output-type}");
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName("prefix")
                        .extendedS3DestinationConfiguration(s3().prefix("a/!{nope:x}/")
                                .errorOutputPrefix("e/!{firehose:error-output-type}/")
                                .build())))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Unknown expression namespace 'nope'");
        String arn = firehose.createDeliveryStream(b -> b.deliveryStreamName("prefix-ok")
                        .extendedS3DestinationConfiguration(s3().prefix("logs/year=!{timestamp:yyyy}/")
                                .errorOutputPrefix("errors/!{firehose:error-output-type}/")
                                .build()))
                .deliveryStreamARN();
        assertThat(arn).endsWith("/prefix-ok");
        assertThat(describe("prefix-ok")
                        .destinations()
                        .get(0)
                        .extendedS3DestinationDescription()
                        .prefix())
                .isEqualTo("logs/year=!{timestamp:yyyy}/");
    }

    @Test
    void requiresBothBufferingHintsOrNeither() {
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName("hints")
                        .extendedS3DestinationConfiguration(
                                s3().bufferingHints(h -> h.sizeInMBs(1)).build())))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("BufferingHints must specify both SizeInMBs and IntervalInSeconds");
    }

    @Test
    void rejectsFeaturesSluiceDoesNotImplement() {
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName("parquet")
                        .extendedS3DestinationConfiguration(s3().dataFormatConversionConfiguration(d -> d.enabled(true)
                                        .schemaConfiguration(
                                                sc -> sc.databaseName("db").tableName("t"))
                                        .inputFormatConfiguration(i -> i.deserializer(de -> de.openXJsonSerDe(o -> {})))
                                        .outputFormatConfiguration(o -> o.serializer(se -> se.parquetSerDe(pq -> {}))))
                                .build())))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(
                        "Record format conversion (DataFormatConversionConfiguration) is not supported by Sluice yet.");
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName("dp")
                        .extendedS3DestinationConfiguration(s3().dynamicPartitioningConfiguration(d -> d.enabled(true))
                                .errorOutputPrefix("e/!{firehose:error-output-type}/")
                                .build())))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(
                        "Prefix must contain at least one partitionKeyFromQuery or partitionKeyFromLambda");
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName("cw")
                        .extendedS3DestinationConfiguration(s3().cloudWatchLoggingOptions(
                                        c -> c.enabled(true).logGroupName("g").logStreamName("s"))
                                .build())))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("CloudWatch Logs error logging is not supported");
    }

    @Test
    void listsNamesInOrderWithPaging() {
        FirehoseClient other = sluice.client(Region.EU_WEST_1, "test", "test");
        try (other) {
            for (String name : List.of("list-c", "list-a", "list-b")) {
                other.createDeliveryStream(
                        b -> b.deliveryStreamName(name).extendedS3DestinationConfiguration(s3().build()));
            }
            ListDeliveryStreamsResponse first = other.listDeliveryStreams(b -> b.limit(2));
            assertThat(first.deliveryStreamNames()).containsExactly("list-a", "list-b");
            assertThat(first.hasMoreDeliveryStreams()).isTrue();
            ListDeliveryStreamsResponse rest =
                    other.listDeliveryStreams(b -> b.limit(2).exclusiveStartDeliveryStreamName("list-b"));
            assertThat(rest.deliveryStreamNames()).containsExactly("list-c");
            assertThat(rest.hasMoreDeliveryStreams()).isFalse();
            assertThat(other.listDeliveryStreams(b -> b.exclusiveStartDeliveryStreamName("list-aa"))
                            .deliveryStreamNames())
                    .containsExactly("list-b", "list-c");
            assertThat(other.listDeliveryStreams(b -> b.deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE))
                            .deliveryStreamNames())
                    .isEmpty();
            assertThat(other.listDeliveryStreams(b -> b.deliveryStreamType(DeliveryStreamType.DIRECT_PUT))
                            .deliveryStreamNames())
                    .hasSize(3);
        }
        assertThat(firehose.listDeliveryStreams(b -> b.limit(10000)).deliveryStreamNames())
                .doesNotContain("list-a", "list-b", "list-c");
    }

    @Test
    void namespacesStreamsByAccount() {
        create("per-account");
        try (FirehoseClient other = sluice.client(Region.US_EAST_1, "other", "secret")) {
            assertThatThrownBy(() -> other.describeDeliveryStream(b -> b.deliveryStreamName("per-account")))
                    .isInstanceOf(ResourceNotFoundException.class)
                    .hasMessageStartingWith("Firehose per-account under account 111111111111 not found.");
        }
    }

    @Test
    void deletesThroughDeletingAndRejectsDeleteWhileCreating() {
        create("delete-me");
        assertThatThrownBy(() -> firehose.deleteDeliveryStream(b -> b.deliveryStreamName("delete-me")))
                .isInstanceOf(ResourceInUseException.class);
        awaitActive("delete-me");
        firehose.deleteDeliveryStream(b -> b.deliveryStreamName("delete-me"));
        assertThat(describe("delete-me").deliveryStreamStatus()).isEqualTo(DeliveryStreamStatus.DELETING);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThatThrownBy(() -> describe("delete-me"))
                        .isInstanceOf(ResourceNotFoundException.class)
                        .hasMessageStartingWith("Firehose delete-me under account 000000000000 not found."));
        assertThatThrownBy(() -> firehose.deleteDeliveryStream(
                        b -> b.deliveryStreamName("delete-me").allowForceDelete(true)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void tagsAtCreateTagUntagAndPage() {
        create("tagged", b -> b.tags(Tag.builder().key("team").value("data").build()));
        awaitActive("tagged");
        firehose.tagDeliveryStream(b -> b.deliveryStreamName("tagged")
                .tags(
                        Tag.builder().key("env").value("prod").build(),
                        Tag.builder().key("team").value("ops").build()));
        ListTagsForDeliveryStreamResponse all = firehose.listTagsForDeliveryStream(b -> b.deliveryStreamName("tagged"));
        assertThat(all.tags())
                .extracting(Tag::key, Tag::value)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("env", "prod"),
                        org.assertj.core.groups.Tuple.tuple("team", "ops"));
        assertThat(all.hasMoreTags()).isFalse();
        ListTagsForDeliveryStreamResponse page = firehose.listTagsForDeliveryStream(
                b -> b.deliveryStreamName("tagged").limit(1));
        assertThat(page.tags()).extracting(Tag::key).containsExactly("env");
        assertThat(page.hasMoreTags()).isTrue();
        assertThat(firehose.listTagsForDeliveryStream(
                                b -> b.deliveryStreamName("tagged").exclusiveStartTagKey("env"))
                        .tags())
                .extracting(Tag::key)
                .containsExactly("team");
        firehose.untagDeliveryStream(b -> b.deliveryStreamName("tagged").tagKeys("env", "no-such-key"));
        assertThat(firehose.listTagsForDeliveryStream(b -> b.deliveryStreamName("tagged"))
                        .tags())
                .extracting(Tag::key)
                .containsExactly("team");
    }

    @Test
    void limitsTagsToFifty() {
        create("many-tags");
        awaitActive("many-tags");
        List<Tag> fifty = IntStream.range(0, 50)
                .mapToObj(i -> Tag.builder().key("k" + i).value("v").build())
                .toList();
        firehose.tagDeliveryStream(b -> b.deliveryStreamName("many-tags").tags(fifty));
        assertThatThrownBy(() -> firehose.tagDeliveryStream(b -> b.deliveryStreamName("many-tags")
                        .tags(Tag.builder().key("one-more").value("v").build())))
                .isInstanceOf(LimitExceededException.class);
        firehose.tagDeliveryStream(b -> b.deliveryStreamName("many-tags")
                .tags(Tag.builder().key("k0").value("replaced").build()));
    }

    @Test
    void togglesEncryptionThroughIntermediateStates() {
        create("sse");
        awaitActive("sse");
        firehose.startDeliveryStreamEncryption(b -> b.deliveryStreamName("sse"));
        assertThat(describe("sse").deliveryStreamEncryptionConfiguration().status())
                .isEqualTo(DeliveryStreamEncryptionStatus.ENABLING);
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        describe("sse").deliveryStreamEncryptionConfiguration().status()
                                == DeliveryStreamEncryptionStatus.ENABLED);
        assertThat(describe("sse").deliveryStreamEncryptionConfiguration().keyType())
                .isEqualTo(KeyType.AWS_OWNED_CMK);
        firehose.stopDeliveryStreamEncryption(b -> b.deliveryStreamName("sse"));
        assertThat(describe("sse").deliveryStreamEncryptionConfiguration().status())
                .isEqualTo(DeliveryStreamEncryptionStatus.DISABLING);
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        describe("sse").deliveryStreamEncryptionConfiguration().status()
                                == DeliveryStreamEncryptionStatus.DISABLED);
        assertThatThrownBy(() -> firehose.startDeliveryStreamEncryption(b -> b.deliveryStreamName("sse")
                        .deliveryStreamEncryptionConfigurationInput(e -> e.keyType(KeyType.CUSTOMER_MANAGED_CMK))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("KeyARN is required when KeyType is CUSTOMER_MANAGED_CMK");
    }

    @Test
    void limitsEncryptionTogglesPerDay() {
        create("toggles");
        awaitActive("toggles");
        List<FirehoseException> failures = new ArrayList<>();
        for (int i = 0; i < 26 && failures.isEmpty(); i++) {
            boolean start = i % 2 == 0;
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                var status = describe("toggles")
                        .deliveryStreamEncryptionConfiguration()
                        .status();
                return status == DeliveryStreamEncryptionStatus.ENABLED
                        || status == DeliveryStreamEncryptionStatus.DISABLED;
            });
            try {
                if (start) {
                    firehose.startDeliveryStreamEncryption(b -> b.deliveryStreamName("toggles"));
                } else {
                    firehose.stopDeliveryStreamEncryption(b -> b.deliveryStreamName("toggles"));
                }
            } catch (LimitExceededException e) {
                failures.add(e);
                assertThat(i).isEqualTo(25);
            }
        }
        assertThat(failures).hasSize(1);
    }

    @Test
    void updatesDestinationWithVersionCheckAndMerge() {
        create(
                "update",
                b -> b.extendedS3DestinationConfiguration(s3().prefix("before/")
                        .compressionFormat(CompressionFormat.GZIP)
                        .build()));
        awaitActive("update");
        assertThatThrownBy(() -> firehose.updateDestination(b -> b.deliveryStreamName("update")
                        .currentDeliveryStreamVersionId("7")
                        .destinationId("destinationId-000000000001")
                        .extendedS3DestinationUpdate(u -> u.prefix("after/"))))
                .isInstanceOf(ConcurrentModificationException.class)
                .hasMessageContaining("current version id: 1")
                .hasMessageContaining("specified version id: 7");
        String hugeVersion = "9".repeat(50);
        assertThatThrownBy(() -> firehose.updateDestination(b -> b.deliveryStreamName("update")
                        .currentDeliveryStreamVersionId(hugeVersion)
                        .destinationId("destinationId-000000000001")
                        .extendedS3DestinationUpdate(u -> u.prefix("after/"))))
                .isInstanceOf(ConcurrentModificationException.class)
                .hasMessageContaining("specified version id: " + hugeVersion);
        assertThatThrownBy(() -> firehose.updateDestination(b -> b.deliveryStreamName("update")
                        .currentDeliveryStreamVersionId("1")
                        .destinationId("destinationId-000000000009")
                        .extendedS3DestinationUpdate(u -> u.prefix("after/"))))
                .isInstanceOf(InvalidArgumentException.class);

        firehose.updateDestination(b -> b.deliveryStreamName("update")
                .currentDeliveryStreamVersionId("1")
                .destinationId("destinationId-000000000001")
                .extendedS3DestinationUpdate(u -> u.prefix("after/")));
        DeliveryStreamDescription d = describe("update");
        assertThat(d.versionId()).isEqualTo("2");
        assertThat(d.lastUpdateTimestamp()).isNotNull();
        var s3 = d.destinations().get(0).extendedS3DestinationDescription();
        assertThat(s3.prefix()).isEqualTo("after/");
        assertThat(s3.compressionFormat()).isEqualTo(CompressionFormat.GZIP);

        assertThatThrownBy(() -> firehose.updateDestination(b -> b.deliveryStreamName("update")
                        .currentDeliveryStreamVersionId("2")
                        .destinationId("destinationId-000000000001")
                        .amazonopensearchserviceDestinationUpdate(u -> u.indexName("i"))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("OpenSearch");
        assertThat(describe("update").versionId()).isEqualTo("2");
    }

    @Test
    void limitsStreamsPerAccountAndRegion() {
        try (RunningSluice small = RunningSluice.start(c -> c.withStreamLimit(2));
                FirehoseClient client = small.client()) {
            for (String name : List.of("one", "two")) {
                client.createDeliveryStream(
                        b -> b.deliveryStreamName(name).extendedS3DestinationConfiguration(s3().build()));
            }
            assertThatThrownBy(() -> client.createDeliveryStream(
                            b -> b.deliveryStreamName("three").extendedS3DestinationConfiguration(s3().build())))
                    .isInstanceOf(LimitExceededException.class)
                    .hasMessageContaining("quota of 2");
            try (FirehoseClient west = small.client(Region.US_WEST_2, "test", "test")) {
                west.createDeliveryStream(
                        b -> b.deliveryStreamName("three").extendedS3DestinationConfiguration(s3().build()));
            }
        }
    }

    @Test
    void keepsTheCatalogAcrossRestarts() {
        try (RunningSluice own = RunningSluice.start()) {
            FirehoseClient client = own.client();
            client.createDeliveryStream(b -> b.deliveryStreamName("durable")
                    .extendedS3DestinationConfiguration(s3().prefix("p/").build())
                    .tags(Tag.builder().key("k").value("v").build()));
            own.restart();
            FirehoseClient again = own.client();
            var d = again.describeDeliveryStream(b -> b.deliveryStreamName("durable"))
                    .deliveryStreamDescription();
            assertThat(d.deliveryStreamStatus()).isEqualTo(DeliveryStreamStatus.ACTIVE);
            assertThat(d.destinations()
                            .get(0)
                            .extendedS3DestinationDescription()
                            .prefix())
                    .isEqualTo("p/");
            assertThat(again.listTagsForDeliveryStream(b -> b.deliveryStreamName("durable"))
                            .tags())
                    .extracting(Tag::key)
                    .containsExactly("k");
            client.close();
            again.close();
        }
    }
}
