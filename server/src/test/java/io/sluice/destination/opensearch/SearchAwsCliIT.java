package io.sluice.destination.opensearch;

import static io.sluice.testing.ExternalCommand.aws;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.BulkReceiver;
import io.sluice.testing.ExternalCommand;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/**
 * The README's worked example for search clusters, with the AWS CLI (botocore) and a receiver of the bulk
 * API in place of the local OpenSearch: {@code opensearch-endpoint} serves the stream's domain ARN.
 */
class SearchAwsCliIT {
    private static void ok(String endpoint, String... args) {
        ExternalCommand.Result result = aws(endpoint, args);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
    }

    @Test
    void indexesTheReadmesRecordsIntoTheDailyIndex() throws Exception {
        ExternalCommand.assumeAvailable("aws", "--version");
        try (BulkReceiver receiver = BulkReceiver.start();
                RunningSluice sluice = RunningSluice.start(config -> SearchDeliveryIT.withClusters(
                        config,
                        new SearchClustersConfig(
                                Optional.of(new SearchClustersConfig.Cluster(
                                        receiver.url(), SearchClustersConfig.Authentication.NONE, Optional.empty())),
                                Map.of(),
                                Map.of(),
                                Optional.empty(),
                                SearchClustersConfig.Signing.DEFAULT,
                                Duration.ofSeconds(5))))) {
            String endpoint = sluice.endpoint().toString();
            ok(
                    endpoint,
                    "firehose",
                    "create-delivery-stream",
                    "--delivery-stream-name",
                    "to-search",
                    "--amazonopensearchservice-destination-configuration",
                    "{\"RoleARN\":\"arn:aws:iam::000000000000:role/firehose\","
                            + "\"DomainARN\":\"arn:aws:es:us-east-1:000000000000:domain/local\",\"IndexName\":\"app-logs\","
                            + "\"BufferingHints\":{\"SizeInMBs\":1,\"IntervalInSeconds\":0},"
                            + "\"S3Configuration\":{\"RoleARN\":\"arn:aws:iam::000000000000:role/firehose\","
                            + "\"BucketARN\":\"arn:aws:s3:::search-failures\"}}");
            try (FirehoseClient firehose = sluice.client()) {
                Streams.awaitActive(firehose, "to-search");
            }
            List<String> put = new ArrayList<>(List.of("firehose", "put-record-batch"));
            ExternalCommand.Result version = ExternalCommand.run(Map.of(), null, "aws", "--version");
            if (!(version.stdout() + version.stderr()).startsWith("aws-cli/1.")) {
                // AWS CLI v2 reads blobs as base64 unless told otherwise; v1 sends text as it is
                put.addAll(List.of("--cli-binary-format", "raw-in-base64-out"));
            }
            put.addAll(List.of(
                    "--delivery-stream-name",
                    "to-search",
                    "--records",
                    "[{\"Data\":\"{\\\"level\\\":\\\"error\\\",\\\"message\\\":\\\"disk full\\\"}\"},"
                            + " {\"Data\":\"{\\\"level\\\":\\\"info\\\",\\\"message\\\":\\\"started\\\"}\"}]"));
            ok(endpoint, put.toArray(String[]::new));
            String index = "app-logs-" + LocalDate.now(ZoneOffset.UTC);
            await().atMost(SearchDeliveryIT.WAIT)
                    .until(() -> receiver.index(index).size() == 2);
            assertThat(receiver.index(index).values())
                    .containsExactlyInAnyOrder(
                            "{\"level\":\"error\",\"message\":\"disk full\"}",
                            "{\"level\":\"info\",\"message\":\"started\"}");
            assertThat(receiver.index(index).keySet())
                    .allSatisfy(id -> assertThat(id).matches("[0-9a-f]{16}\\.[01]\\.0"));
        }
    }
}
