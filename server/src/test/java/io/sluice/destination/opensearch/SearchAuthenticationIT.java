package io.sluice.destination.opensearch;

import static io.sluice.testing.Streams.awaitActive;
import static io.sluice.testing.Streams.localObjects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.aws.AccessKeys;
import io.sluice.aws.RoleAssumption;
import io.sluice.destination.opensearch.SearchClustersConfig.Authentication;
import io.sluice.destination.opensearch.SearchClustersConfig.Cluster;
import io.sluice.testing.BulkReceiver;
import io.sluice.testing.MotoServer;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/**
 * How Sluice authenticates to clusters: HTTP basic authentication to a self-hosted one, and SigV4 for the
 * flavor's service ({@code es}, {@code aoss}), checked by a receiver that signs every request again with
 * the AWS SDK; with the stream's role assumed through STS (moto's) when the settings say so.
 */
class SearchAuthenticationIT {
    private static final String SECURED = "arn:aws:es:us-east-1:123456789012:domain/secured";
    private static final String WRONG = "arn:aws:es:us-east-1:123456789012:domain/wrong";
    private static final String SIGNED = "arn:aws:es:eu-west-1:123456789012:domain/signed";
    private static final String COLLECTION = "https://vectors.eu-west-1.aoss.amazonaws.com";
    private static final String ROLE = "arn:aws:iam::111111111111:role/firehose";

    private static SearchClustersConfig clusters(
            Map<String, Cluster> domains, Map<URI, Cluster> endpoints, SearchClustersConfig.Signing signing) {
        return new SearchClustersConfig(
                Optional.empty(), domains, endpoints, Optional.empty(), signing, Duration.ofSeconds(5));
    }

    @Test
    void sendsBasicAuthenticationAndWritesWhatTheClusterRefusesToTheErrorOutput() throws Exception {
        try (BulkReceiver receiver = BulkReceiver.start(new BulkReceiver.Security.Basic("firehose", "pw"));
                RunningSluice sluice = RunningSluice.start(config -> SearchDeliveryIT.withClusters(
                        config,
                        clusters(
                                Map.of(
                                        SECURED,
                                        new Cluster(
                                                receiver.url(),
                                                new Authentication.Basic("firehose", "pw"),
                                                Optional.empty()),
                                        WRONG,
                                        new Cluster(
                                                receiver.url(),
                                                new Authentication.Basic("firehose", "guess"),
                                                Optional.empty())),
                                Map.of(),
                                SearchClustersConfig.Signing.DEFAULT)));
                FirehoseClient firehose = sluice.client()) {
            SearchDeliveryIT.createOpenSearch(
                    firehose,
                    "secured",
                    "secured-errors",
                    o -> o.domainARN(SECURED).indexRotationPeriod("NoRotation"));
            SearchDeliveryIT.createOpenSearch(
                    firehose,
                    "wrong",
                    "wrong-errors",
                    o -> o.domainARN(WRONG)
                            .indexRotationPeriod("NoRotation")
                            .retryOptions(r -> r.durationInSeconds(1)));
            List<String> sent = SearchDeliveryIT.put(firehose, "secured", SearchDeliveryIT.documents("secured", 5));
            SearchDeliveryIT.put(firehose, "wrong", SearchDeliveryIT.documents("wrong", 2));
            await().atMost(SearchDeliveryIT.WAIT)
                    .until(() -> receiver.index("secured").size() == sent.size());
            await().atMost(SearchDeliveryIT.WAIT)
                    .until(() -> !localObjects(sluice.dataDir(), "wrong-errors").isEmpty());
            assertThat(receiver.index("wrong")).isEmpty();
            List<JsonNode> failed = SearchDeliveryIT.errorDocuments(
                    sluice.dataDir(), "wrong-errors", "AmazonOpenSearchService-failed/");
            assertThat(failed)
                    .hasSize(2)
                    .allSatisfy(d -> assertThat(d.get("errorCode").asText()).isEqualTo("401"));
            assertThat(receiver.violations())
                    .isNotEmpty()
                    .allSatisfy(v -> assertThat(v).startsWith("basic authentication missing or wrong"));
        }
    }

    @Test
    void signsForTheFlavorsServiceInTheClustersRegion() throws Exception {
        try (BulkReceiver es = BulkReceiver.start(
                        new BulkReceiver.Security.SigV4("AKIDSLUICE", "sluice-secret", "es", "eu-west-1"));
                BulkReceiver aoss = BulkReceiver.start(
                        new BulkReceiver.Security.SigV4("AKIDSLUICE", "sluice-secret", "aoss", "eu-west-1"));
                RunningSluice sluice = RunningSluice.start(config -> SearchDeliveryIT.withClusters(
                        config,
                        clusters(
                                Map.of(
                                        SIGNED,
                                        new Cluster(es.url(), new Authentication.SigV4("eu-west-1"), Optional.empty())),
                                Map.of(
                                        URI.create(COLLECTION),
                                        new Cluster(
                                                aoss.url().resolve("/collection"),
                                                new Authentication.SigV4("eu-west-1"),
                                                Optional.empty())),
                                new SearchClustersConfig.Signing(
                                        Optional.of(AccessKeys.of("AKIDSLUICE", "sluice-secret")),
                                        new RoleAssumption(RoleAssumption.Mode.NEVER, Optional.empty())))));
                FirehoseClient firehose = sluice.client()) {
            firehose.createDeliveryStream(b -> b.deliveryStreamName("signed-es")
                    .elasticsearchDestinationConfiguration(e -> e.roleARN(Streams.ROLE)
                            .domainARN(SIGNED)
                            .indexName("signed")
                            .indexRotationPeriod("NoRotation")
                            .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))
                            .s3Configuration(c -> c.roleARN(Streams.ROLE).bucketARN("arn:aws:s3:::signed-errors"))));
            firehose.createDeliveryStream(b -> b.deliveryStreamName("signed-aoss")
                    .amazonOpenSearchServerlessDestinationConfiguration(s -> s.roleARN(Streams.ROLE)
                            .collectionEndpoint(COLLECTION)
                            .indexName("vectors")
                            .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))
                            .s3Configuration(c -> c.roleARN(Streams.ROLE).bucketARN("arn:aws:s3:::signed-errors"))));
            awaitActive(firehose, "signed-es");
            awaitActive(firehose, "signed-aoss");
            SearchDeliveryIT.put(firehose, "signed-es", SearchDeliveryIT.documents("es", 4));
            SearchDeliveryIT.put(firehose, "signed-aoss", SearchDeliveryIT.documents("aoss", 3));
            await().atMost(SearchDeliveryIT.WAIT)
                    .until(() -> es.index("signed").size() == 4
                            && aoss.index("vectors").size() == 3);
            assertThat(es.violations()).isEmpty();
            assertThat(aoss.violations()).isEmpty();
            assertThat(es.requests().get(0).headers().get("authorization"))
                    .contains("Credential=AKIDSLUICE/")
                    .contains("/eu-west-1/es/aws4_request");
            assertThat(aoss.requests().get(0).headers().get("authorization")).contains("/eu-west-1/aoss/aws4_request");
        }
    }

    @Test
    void signsAsTheStreamsRoleAssumedThroughSts() throws Exception {
        MotoServer.assumeAvailable();
        try (MotoServer moto = MotoServer.start();
                BulkReceiver receiver = BulkReceiver.start();
                RunningSluice sluice = RunningSluice.start(config -> SearchDeliveryIT.withClusters(
                        config,
                        clusters(
                                Map.of(
                                        SIGNED,
                                        new Cluster(
                                                receiver.url(),
                                                new Authentication.SigV4("eu-west-1"),
                                                Optional.empty())),
                                Map.of(),
                                new SearchClustersConfig.Signing(
                                        Optional.of(AccessKeys.of(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)),
                                        new RoleAssumption(
                                                RoleAssumption.Mode.ALWAYS, Optional.of(moto.endpoint()))))));
                FirehoseClient firehose = sluice.client()) {
            SearchDeliveryIT.createOpenSearch(
                    firehose,
                    "assumed",
                    "assumed-errors",
                    o -> o.roleARN(ROLE).domainARN(SIGNED).indexRotationPeriod("NoRotation"));
            SearchDeliveryIT.put(firehose, "assumed", SearchDeliveryIT.documents("assumed", 2));
            await().atMost(SearchDeliveryIT.WAIT)
                    .until(() -> receiver.index("assumed").size() == 2);
            Map<String, String> headers = receiver.requests().get(0).headers();
            assertThat(headers).containsKey("x-amz-security-token");
            assertThat(headers.get("authorization"))
                    .contains("/eu-west-1/es/aws4_request")
                    .doesNotContain("Credential=" + MotoServer.ACCESS_KEY + "/");
        }
    }
}
