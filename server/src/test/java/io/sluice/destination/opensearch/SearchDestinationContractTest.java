package io.sluice.destination.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.catalog.DestinationSpec;
import io.sluice.common.DataSize;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.DestinationType;
import io.sluice.destination.s3.S3DestinationSpec;
import io.sluice.testing.BulkReceiver;
import io.sluice.testing.DestinationContract;
import io.sluice.testing.Specs;
import io.sluice.testing.TestProcessors;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The destination contract, kept by the bulk destination against a receiver written to the {@code _bulk} API. */
class SearchDestinationContractTest extends DestinationContract {
    private static final String DOMAIN = "arn:aws:es:us-east-1:123456789012:domain/contract";

    @Override
    protected Peer peer() throws Exception {
        BulkReceiver receiver = BulkReceiver.start();
        SearchClusters clusters = SearchClusters.open(
                new SearchClustersConfig(
                        Optional.empty(),
                        Map.of(
                                DOMAIN,
                                new SearchClustersConfig.Cluster(
                                        receiver.url(), SearchClustersConfig.Authentication.NONE, Optional.empty())),
                        Map.of(),
                        Optional.empty(),
                        SearchClustersConfig.Signing.DEFAULT,
                        Duration.ofSeconds(10)),
                Clock.systemUTC());
        return new Peer() {
            @Override
            public DestinationSpec spec(Setup setup) {
                BufferingHints hints = new BufferingHints(DataSize.ofMebibytes(1), Duration.ZERO);
                return new SearchDestinationSpec(
                        SearchFlavor.OPENSEARCH_SERVICE,
                        "arn:aws:iam::123456789012:role/r",
                        new SearchDestinationSpec.Cluster.Domain(DOMAIN),
                        "contract",
                        Optional.empty(),
                        IndexRotation.NO_ROTATION,
                        SearchDestinationSpec.DocumentIdFormat.FIREHOSE_DEFAULT,
                        hints,
                        setup.retryBudget(),
                        setup.backupAll()
                                ? SearchDestinationSpec.BackupMode.ALL_DOCUMENTS
                                : SearchDestinationSpec.BackupMode.FAILED_DOCUMENTS_ONLY,
                        Specs.s3(hints),
                        Optional.empty(),
                        S3DestinationSpec.CloudWatchLogging.DISABLED,
                        Optional.empty());
            }

            @Override
            public DestinationType<?> type() {
                return new SearchDestinationType(
                        clusters, dir, TestProcessors.withoutFunctions(), WeekNumbering.US, UUID::randomUUID);
            }

            @Override
            public void fail() {
                receiver.answerEveryRequest(503);
            }

            @Override
            public void recover() {
                receiver.answerEveryRequest(200);
                receiver.answerItems(BulkReceiver.ItemAnswer.OK);
            }

            @Override
            public List<String> received() {
                return receiver.sources();
            }

            @Override
            public boolean givesUp() {
                return true;
            }

            @Override
            public boolean refuseOnly(String refused) {
                receiver.answerItems((document, attempt) -> document.source().equals(refused)
                        ? Optional.of(BulkReceiver.ItemError.tooManyRequests())
                        : Optional.empty());
                return true;
            }

            @Override
            public String deliveredRecordsMetric() {
                return "DeliveryToAmazonOpenSearchService.Records";
            }

            @Override
            public String record(String name) {
                return "{\"record\":\"" + name + "\"}";
            }

            @Override
            public void close() {
                try {
                    assertThat(receiver.violations())
                            .as("requests outside the bulk API")
                            .isEmpty();
                    receiver.close();
                } finally {
                    clusters.close();
                }
            }
        };
    }
}
