package io.sluice.destination.opensearch;

import static io.sluice.testing.Streams.awaitActive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.AmazonOpenSearchServerlessDestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.AmazonOpenSearchServerlessDestinationDescription;
import software.amazon.awssdk.services.firehose.model.AmazonopensearchserviceDestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.AmazonopensearchserviceDestinationDescription;
import software.amazon.awssdk.services.firehose.model.DestinationDescription;
import software.amazon.awssdk.services.firehose.model.ElasticsearchDestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.ElasticsearchDestinationDescription;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.UpdateDestinationRequest;

/**
 * The three search destinations through Create, Describe and UpdateDestination with the AWS SDK: AWS's
 * defaults described, the rules the model cannot express, merges, the refused type changes, and the
 * catalog read back after a restart.
 */
class SearchControlPlaneIT {
    private static final String DOMAIN = "arn:aws:es:us-east-1:123456789012:domain/logs";
    private static final String BUCKET = "arn:aws:s3:::search-backup";

    private static RunningSluice sluice;
    private static FirehoseClient firehose;

    @BeforeAll
    static void start() {
        sluice = RunningSluice.start();
        firehose = sluice.client();
    }

    @AfterAll
    static void stop() {
        firehose.close();
        sluice.close();
    }

    private static void openSearch(
            String name, Consumer<AmazonopensearchserviceDestinationConfiguration.Builder> more) {
        AmazonopensearchserviceDestinationConfiguration.Builder config =
                AmazonopensearchserviceDestinationConfiguration.builder()
                        .roleARN(Streams.ROLE)
                        .indexName("logs")
                        .s3Configuration(s -> s.roleARN(Streams.ROLE).bucketARN(BUCKET));
        more.accept(config);
        firehose.createDeliveryStream(
                b -> b.deliveryStreamName(name).amazonopensearchserviceDestinationConfiguration(config.build()));
    }

    private static void elasticsearch(String name, Consumer<ElasticsearchDestinationConfiguration.Builder> more) {
        ElasticsearchDestinationConfiguration.Builder config = ElasticsearchDestinationConfiguration.builder()
                .roleARN(Streams.ROLE)
                .indexName("events")
                .s3Configuration(s -> s.roleARN(Streams.ROLE).bucketARN(BUCKET));
        more.accept(config);
        firehose.createDeliveryStream(
                b -> b.deliveryStreamName(name).elasticsearchDestinationConfiguration(config.build()));
    }

    private static void serverless(
            String name, Consumer<AmazonOpenSearchServerlessDestinationConfiguration.Builder> more) {
        AmazonOpenSearchServerlessDestinationConfiguration.Builder config =
                AmazonOpenSearchServerlessDestinationConfiguration.builder()
                        .roleARN(Streams.ROLE)
                        .indexName("vectors")
                        .s3Configuration(s -> s.roleARN(Streams.ROLE).bucketARN(BUCKET));
        more.accept(config);
        firehose.createDeliveryStream(
                b -> b.deliveryStreamName(name).amazonOpenSearchServerlessDestinationConfiguration(config.build()));
    }

    private static DestinationDescription destination(String name) {
        return firehose.describeDeliveryStream(b -> b.deliveryStreamName(name))
                .deliveryStreamDescription()
                .destinations()
                .get(0);
    }

    private static void update(String name, String version, Consumer<UpdateDestinationRequest.Builder> update) {
        firehose.updateDestination(b -> {
            b.deliveryStreamName(name)
                    .currentDeliveryStreamVersionId(version)
                    .destinationId("destinationId-000000000001");
            update.accept(b);
        });
    }

    @Test
    void describesAnOpenSearchServiceDestinationWithAwsDefaults() {
        openSearch(
                "os-defaults",
                o -> o.domainARN(DOMAIN)
                        .vpcConfiguration(v -> v.subnetIds("subnet-1", "subnet-2")
                                .securityGroupIds("sg-1")
                                .roleARN(Streams.ROLE)));
        awaitActive(firehose, "os-defaults");
        DestinationDescription destination = destination("os-defaults");
        assertThat(destination.elasticsearchDestinationDescription()).isNull();
        AmazonopensearchserviceDestinationDescription d = destination.amazonopensearchserviceDestinationDescription();
        assertThat(d.roleARN()).isEqualTo(Streams.ROLE);
        assertThat(d.domainARN()).isEqualTo(DOMAIN);
        assertThat(d.clusterEndpoint()).isNull();
        assertThat(d.indexName()).isEqualTo("logs");
        assertThat(d.typeName()).isNull();
        assertThat(d.indexRotationPeriodAsString()).isEqualTo("OneDay");
        assertThat(d.bufferingHints().sizeInMBs()).isEqualTo(5);
        assertThat(d.bufferingHints().intervalInSeconds()).isEqualTo(300);
        assertThat(d.retryOptions().durationInSeconds()).isEqualTo(300);
        assertThat(d.s3BackupModeAsString()).isEqualTo("FailedDocumentsOnly");
        assertThat(d.documentIdOptions().defaultDocumentIdFormatAsString()).isEqualTo("FIREHOSE_DEFAULT");
        assertThat(d.cloudWatchLoggingOptions().enabled()).isFalse();
        assertThat(d.processingConfiguration()).isNull();
        assertThat(d.s3DestinationDescription().bucketARN()).isEqualTo(BUCKET);
        assertThat(d.s3DestinationDescription().bufferingHints().sizeInMBs()).isEqualTo(5);
        assertThat(d.s3DestinationDescription().compressionFormatAsString()).isEqualTo("UNCOMPRESSED");
        assertThat(d.vpcConfigurationDescription().subnetIds()).containsExactly("subnet-1", "subnet-2");
        assertThat(d.vpcConfigurationDescription().securityGroupIds()).containsExactly("sg-1");
        assertThat(d.vpcConfigurationDescription().roleARN()).isEqualTo(Streams.ROLE);
        assertThat(d.vpcConfigurationDescription().vpcId()).matches("vpc-[0-9a-f]{17}");
    }

    @Test
    void describesAnElasticsearchDestinationAsConfigured() {
        elasticsearch(
                "es-configured",
                e -> e.clusterEndpoint("https://search.example:9200")
                        .typeName("_doc")
                        .indexRotationPeriod("OneWeek")
                        .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))
                        .retryOptions(r -> r.durationInSeconds(0))
                        .s3BackupMode("AllDocuments")
                        .documentIdOptions(o -> o.defaultDocumentIdFormat("NO_DOCUMENT_ID"))
                        .processingConfiguration(p -> p.enabled(true)
                                .processors(pr -> pr.type("Lambda")
                                        .parameters(pa -> pa.parameterName("LambdaArn")
                                                .parameterValue("arn:aws:lambda:us-east-1:123456789012:function:f")))));
        awaitActive(firehose, "es-configured");
        DestinationDescription destination = destination("es-configured");
        assertThat(destination.amazonopensearchserviceDestinationDescription()).isNull();
        ElasticsearchDestinationDescription d = destination.elasticsearchDestinationDescription();
        assertThat(d.clusterEndpoint()).isEqualTo("https://search.example:9200");
        assertThat(d.domainARN()).isNull();
        assertThat(d.typeName()).isEqualTo("_doc");
        assertThat(d.indexRotationPeriodAsString()).isEqualTo("OneWeek");
        assertThat(d.bufferingHints().sizeInMBs()).isEqualTo(1);
        assertThat(d.bufferingHints().intervalInSeconds()).isZero();
        assertThat(d.retryOptions().durationInSeconds()).isZero();
        assertThat(d.s3BackupModeAsString()).isEqualTo("AllDocuments");
        assertThat(d.documentIdOptions().defaultDocumentIdFormatAsString()).isEqualTo("NO_DOCUMENT_ID");
        assertThat(d.processingConfiguration().processors().get(0).parameters())
                .extracting(p -> p.parameterNameAsString() + "=" + p.parameterValue())
                .contains("RoleArn=" + Streams.ROLE, "NumberOfRetries=3", "BufferSizeInMBs=1");
        assertThat(d.vpcConfigurationDescription()).isNull();
    }

    @Test
    void describesAServerlessDestinationWithoutTheMembersItLacks() {
        serverless("aoss", s -> s.collectionEndpoint("https://abc123.us-east-1.aoss.amazonaws.com"));
        awaitActive(firehose, "aoss");
        AmazonOpenSearchServerlessDestinationDescription d =
                destination("aoss").amazonOpenSearchServerlessDestinationDescription();
        assertThat(d.collectionEndpoint()).isEqualTo("https://abc123.us-east-1.aoss.amazonaws.com");
        assertThat(d.indexName()).isEqualTo("vectors");
        assertThat(d.bufferingHints().sizeInMBs()).isEqualTo(5);
        assertThat(d.bufferingHints().intervalInSeconds()).isEqualTo(300);
        assertThat(d.retryOptions().durationInSeconds()).isEqualTo(300);
        assertThat(d.s3BackupModeAsString()).isEqualTo("FailedDocumentsOnly");
        assertThat(d.s3DestinationDescription().bucketARN()).isEqualTo(BUCKET);
    }

    @Test
    void requiresExactlyOneClusterLocation() {
        assertThatThrownBy(() -> openSearch("os-neither", o -> {}))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Either DomainARN or ClusterEndpoint must be specified.");
        assertThatThrownBy(() ->
                        elasticsearch("es-both", e -> e.domainARN(DOMAIN).clusterEndpoint("https://search.example")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Only one of DomainARN or ClusterEndpoint may be specified.");
        assertThatThrownBy(() -> serverless("aoss-none", s -> {}))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(
                        "CollectionEndpoint is required for an Amazon OpenSearch Serverless destination.");
        assertThatThrownBy(() ->
                        openSearch("os-half-hints", o -> o.domainARN(DOMAIN).bufferingHints(h -> h.sizeInMBs(3))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("both SizeInMBs and IntervalInSeconds");
    }

    @Test
    void refusesProcessorsThatAreForS3AndFeaturesThatWouldDoNothing() {
        assertThatThrownBy(() -> openSearch(
                        "os-delimiter",
                        o -> o.domainARN(DOMAIN)
                                .processingConfiguration(
                                        p -> p.enabled(true).processors(pr -> pr.type("AppendDelimiterToRecord")))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Processor type AppendDelimiterToRecord is not supported by Sluice for Amazon"
                        + " OpenSearch Service destinations");
        assertThatThrownBy(() -> openSearch(
                        "os-logging",
                        o -> o.domainARN(DOMAIN)
                                .cloudWatchLoggingOptions(
                                        c -> c.enabled(true).logGroupName("g").logStreamName("s"))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("CloudWatch");
    }

    @Test
    void updatesMergeMemberByMemberAndSwapTheClusterLocation() {
        openSearch(
                "os-updated",
                o -> o.domainARN(DOMAIN)
                        .typeName("_doc")
                        .retryOptions(r -> r.durationInSeconds(60))
                        .s3BackupMode("AllDocuments"));
        awaitActive(firehose, "os-updated");
        update(
                "os-updated",
                "1",
                b -> b.amazonopensearchserviceDestinationUpdate(u -> u.clusterEndpoint("https://search.example")
                        .indexName("logs-v2")
                        .typeName("")
                        .indexRotationPeriod("OneHour")
                        .documentIdOptions(o -> o.defaultDocumentIdFormat("NO_DOCUMENT_ID"))
                        .s3Update(s -> s.prefix("failed/"))));
        AmazonopensearchserviceDestinationDescription d =
                destination("os-updated").amazonopensearchserviceDestinationDescription();
        assertThat(d.domainARN()).isNull();
        assertThat(d.clusterEndpoint()).isEqualTo("https://search.example");
        assertThat(d.indexName()).isEqualTo("logs-v2");
        assertThat(d.typeName()).isEmpty();
        assertThat(d.indexRotationPeriodAsString()).isEqualTo("OneHour");
        assertThat(d.documentIdOptions().defaultDocumentIdFormatAsString()).isEqualTo("NO_DOCUMENT_ID");
        assertThat(d.retryOptions().durationInSeconds()).isEqualTo(60);
        assertThat(d.s3BackupModeAsString()).isEqualTo("AllDocuments");
        assertThat(d.s3DestinationDescription().prefix()).isEqualTo("failed/");
        assertThat(d.s3DestinationDescription().bucketARN()).isEqualTo(BUCKET);

        update("os-updated", "2", b -> b.amazonopensearchserviceDestinationUpdate(u -> u.domainARN(DOMAIN)));
        d = destination("os-updated").amazonopensearchserviceDestinationDescription();
        assertThat(d.domainARN()).isEqualTo(DOMAIN);
        assertThat(d.clusterEndpoint()).isNull();
        assertThat(d.indexName()).isEqualTo("logs-v2");
    }

    @Test
    void refusesChangingTheDestinationTypeToOrFromASearchDestination() {
        openSearch("os-fixed", o -> o.domainARN(DOMAIN));
        awaitActive(firehose, "os-fixed");
        assertThatThrownBy(() -> update(
                        "os-fixed",
                        "1",
                        b -> b.httpEndpointDestinationUpdate(
                                u -> u.endpointConfiguration(e -> e.url("https://receiver.example/"))
                                        .s3Update(s -> s.roleARN(Streams.ROLE).bucketARN(BUCKET)))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(
                        "Changing the destination type to or from an Amazon OpenSearch Service destination is not"
                                + " supported.");
        assertThatThrownBy(
                        () -> update("os-fixed", "1", b -> b.elasticsearchDestinationUpdate(u -> u.indexName("other"))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(
                        "Changing the destination type to or from an Amazon OpenSearch Service destination is not"
                                + " supported.");

        Streams.createS3(firehose, "s3-fixed", "search-backup", s -> {});
        assertThatThrownBy(() -> update(
                        "s3-fixed",
                        "1",
                        b -> b.amazonOpenSearchServerlessDestinationUpdate(
                                u -> u.collectionEndpoint("https://abc.us-east-1.aoss.amazonaws.com")
                                        .indexName("i"))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(
                        "Changing the destination type to or from an Amazon OpenSearch Serverless destination is not"
                                + " supported.");
    }

    @Test
    void keepsEveryFlavorAcrossARestart() {
        openSearch("os-kept", o -> o.clusterEndpoint("https://search.example").typeName("t"));
        elasticsearch("es-kept", e -> e.domainARN(DOMAIN).indexRotationPeriod("NoRotation"));
        serverless("aoss-kept", s -> s.collectionEndpoint("https://abc.us-east-1.aoss.amazonaws.com"));
        for (String name : new String[] {"os-kept", "es-kept", "aoss-kept"}) {
            awaitActive(firehose, name);
        }
        DestinationDescription os = destination("os-kept");
        DestinationDescription es = destination("es-kept");
        DestinationDescription aoss = destination("aoss-kept");
        sluice.restart();
        firehose.close();
        firehose = sluice.client();
        assertThat(destination("os-kept")).isEqualTo(os);
        assertThat(destination("es-kept")).isEqualTo(es);
        assertThat(destination("aoss-kept")).isEqualTo(aoss);
    }
}
