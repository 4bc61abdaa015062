package io.sluice.api;

import static io.sluice.testing.ExternalCommand.aws;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.ExternalCommand;
import io.sluice.testing.RunningSluice;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The control plane driven by the AWS CLI (botocore signing and parsing), as the README's quick start does. */
class AwsCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningSluice sluice;
    private static String endpoint;

    @BeforeAll
    static void start() {
        ExternalCommand.assumeAvailable("aws", "--version");
        sluice = RunningSluice.start();
        endpoint = sluice.endpoint().toString();
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    private static JsonNode ok(String... args) throws Exception {
        ExternalCommand.Result result = aws(endpoint, args);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout().isBlank() ? JSON.createObjectNode() : JSON.readTree(result.stdout());
    }

    @Test
    void createsDescribesTagsListsAndDeletes() throws Exception {
        JsonNode created = ok(
                "firehose",
                "create-delivery-stream",
                "--delivery-stream-name",
                "cli-stream",
                "--extended-s3-destination-configuration",
                "{\"RoleARN\":\"arn:aws:iam::000000000000:role/firehose\",\"BucketARN\":\"arn:aws:s3:::my-bucket\","
                        + "\"BufferingHints\":{\"SizeInMBs\":1,\"IntervalInSeconds\":60}}",
                "--tags",
                "Key=team,Value=data");
        assertThat(created.path("DeliveryStreamARN").asText())
                .isEqualTo("arn:aws:firehose:us-east-1:000000000000:deliverystream/cli-stream");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> ok("firehose", "describe-delivery-stream", "--delivery-stream-name", "cli-stream")
                        .path("DeliveryStreamDescription")
                        .path("DeliveryStreamStatus")
                        .asText()
                        .equals("ACTIVE"));
        JsonNode description = ok("firehose", "describe-delivery-stream", "--delivery-stream-name", "cli-stream")
                .path("DeliveryStreamDescription");
        assertThat(description.path("VersionId").asText()).isEqualTo("1");
        assertThat(description.path("CreateTimestamp").asText()).isNotEmpty();
        JsonNode s3 = description.path("Destinations").get(0).path("ExtendedS3DestinationDescription");
        assertThat(s3.path("BucketARN").asText()).isEqualTo("arn:aws:s3:::my-bucket");
        assertThat(s3.path("BufferingHints").path("SizeInMBs").asInt()).isEqualTo(1);
        assertThat(s3.path("CompressionFormat").asText()).isEqualTo("UNCOMPRESSED");

        ok("firehose", "tag-delivery-stream", "--delivery-stream-name", "cli-stream", "--tags", "Key=env,Value=dev");
        JsonNode tags = ok("firehose", "list-tags-for-delivery-stream", "--delivery-stream-name", "cli-stream");
        assertThat(tags.path("Tags").findValuesAsText("Key")).containsExactly("env", "team");

        assertThat(ok("firehose", "list-delivery-streams")
                        .path("DeliveryStreamNames")
                        .get(0)
                        .asText())
                .isEqualTo("cli-stream");

        ok("firehose", "untag-delivery-stream", "--delivery-stream-name", "cli-stream", "--tag-keys", "env");
        assertThat(ok("firehose", "list-tags-for-delivery-stream", "--delivery-stream-name", "cli-stream")
                        .path("Tags")
                        .findValuesAsText("Key"))
                .containsExactly("team");

        ok(
                "firehose",
                "update-destination",
                "--delivery-stream-name",
                "cli-stream",
                "--current-delivery-stream-version-id",
                "1",
                "--destination-id",
                "destinationId-000000000001",
                "--extended-s3-destination-update",
                "{\"CompressionFormat\":\"GZIP\"}");
        JsonNode updated = ok("firehose", "describe-delivery-stream", "--delivery-stream-name", "cli-stream")
                .path("DeliveryStreamDescription");
        assertThat(updated.path("VersionId").asText()).isEqualTo("2");
        assertThat(updated.path("Destinations")
                        .get(0)
                        .path("ExtendedS3DestinationDescription")
                        .path("CompressionFormat")
                        .asText())
                .isEqualTo("GZIP");

        ok("firehose", "start-delivery-stream-encryption", "--delivery-stream-name", "cli-stream");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> ok("firehose", "describe-delivery-stream", "--delivery-stream-name", "cli-stream")
                        .path("DeliveryStreamDescription")
                        .path("DeliveryStreamEncryptionConfiguration")
                        .path("Status")
                        .asText()
                        .equals("ENABLED"));
        ok("firehose", "stop-delivery-stream-encryption", "--delivery-stream-name", "cli-stream");

        ExternalCommand.Result put = aws(
                endpoint,
                "firehose",
                "put-record",
                "--delivery-stream-name",
                "no-such-stream",
                "--record",
                "Data=aGVsbG8=");
        assertThat(put.stderr()).contains("(ResourceNotFoundException)");

        ok("firehose", "delete-delivery-stream", "--delivery-stream-name", "cli-stream");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> aws(
                                endpoint,
                                "firehose",
                                "describe-delivery-stream",
                                "--delivery-stream-name",
                                "cli-stream")
                        .stderr()
                        .contains("ResourceNotFoundException"));
    }

    @Test
    void rejectsAWrongSecret() {
        java.util.Map<String, String> environment = new java.util.HashMap<>(ExternalCommand.awsEnvironment());
        environment.put("AWS_SECRET_ACCESS_KEY", "wrong");
        ExternalCommand.Result result = ExternalCommand.run(
                environment, null, "aws", "--endpoint-url", endpoint, "firehose", "list-delivery-streams");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("(InvalidSignatureException)");
    }

    @Test
    void reportsAwsErrorsByType() {
        ExternalCommand.Result missing =
                aws(endpoint, "firehose", "describe-delivery-stream", "--delivery-stream-name", "nope");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr())
                .contains("(ResourceNotFoundException)")
                .contains("Firehose nope under account 000000000000 not found.");

        ExternalCommand.Result invalid =
                aws(endpoint, "firehose", "describe-delivery-stream", "--delivery-stream-name", "bad name!");
        assertThat(invalid.stderr())
                .contains("(ValidationException)")
                .contains("1 validation error detected: Value 'bad name!' at 'deliveryStreamName' failed to satisfy"
                        + " constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    }
}
