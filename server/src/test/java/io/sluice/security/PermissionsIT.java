package io.sluice.security;

import static io.sluice.security.SecuredSluice.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.ExternalCommand;
import io.sluice.testing.Streams;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * Per-key permissions through the real API, with the AWS SDK and the AWS CLI: allowed and denied
 * actions, wildcards in actions and resources, explicit deny, list filtering, AWS's error shape, and the
 * audit log's lines.
 */
class PermissionsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SecuredSluice sluice;
    private static FirehoseClient admin;
    private static FirehoseClient producer;
    private static FirehoseClient open;

    @BeforeAll
    static void start() {
        sluice = SecuredSluice.start();
        admin = sluice.client("ADMIN", "admin-secret");
        producer = sluice.client("PRODUCER", "producer-secret");
        open = sluice.client("OPEN", "open-secret");
        for (String name : List.of("orders-eu", "orders-us", "orders-secret-ledger", "billing")) {
            Streams.createS3(admin, name, "bucket-" + name, s -> {});
        }
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            List.of(admin, producer, open).forEach(FirehoseClient::close);
            sluice.close();
        }
    }

    private static String denial(String user, String action, String stream) {
        return "User: arn:aws:iam::" + ACCOUNT + ":user/" + user + " is not authorized to perform: firehose:" + action
                + " on resource: arn:aws:firehose:us-east-1:" + ACCOUNT + ":deliverystream/" + stream;
    }

    private static void assertDenied(Executable call, String message) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(FirehoseException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
        });
    }

    private static void put(FirehoseClient client, String stream) {
        Streams.put(client, stream, "{\"order\":1}\n");
    }

    @Test
    void aProducerPutsAndDescribesOnlyWhatItsWildcardsAllow() {
        put(producer, "orders-eu");
        producer.putRecordBatch(b -> b.deliveryStreamName("orders-us")
                .records(Record.builder().data(SdkBytes.fromUtf8String("x\n")).build()));
        assertThat(producer.describeDeliveryStream(b -> b.deliveryStreamName("orders-us"))
                        .deliveryStreamDescription()
                        .deliveryStreamName())
                .isEqualTo("orders-us");

        assertDenied(() -> put(producer, "billing"), denial("orders-producer", "PutRecord", "billing"));
        assertDenied(
                () -> producer.describeDeliveryStream(b -> b.deliveryStreamName("billing")),
                denial("orders-producer", "DescribeDeliveryStream", "billing"));
    }

    @Test
    void aProducerCannotManageStreamsEvenThoseItWritesTo() {
        assertDenied(
                () -> producer.deleteDeliveryStream(b -> b.deliveryStreamName("orders-eu")),
                denial("orders-producer", "DeleteDeliveryStream", "orders-eu"));
        assertDenied(
                () -> producer.createDeliveryStream(b -> b.deliveryStreamName("orders-new")
                        .extendedS3DestinationConfiguration(
                                s -> s.roleARN(Streams.ROLE).bucketARN("arn:aws:s3:::b"))),
                denial("orders-producer", "CreateDeliveryStream", "orders-new"));
        assertDenied(
                () -> producer.tagDeliveryStream(b ->
                        b.deliveryStreamName("orders-eu").tags(t -> t.key("k").value("v"))),
                denial("orders-producer", "TagDeliveryStream", "orders-eu"));
        assertThat(admin.describeDeliveryStream(b -> b.deliveryStreamName("orders-eu"))
                        .deliveryStreamDescription()
                        .deliveryStreamName())
                .isEqualTo("orders-eu");
    }

    @Test
    void anExplicitDenyWinsOverAWildcardAllow() {
        assertDenied(
                () -> put(producer, "orders-secret-ledger"),
                denial("orders-producer", "PutRecord", "orders-secret-ledger"));
        assertDenied(
                () -> producer.describeDeliveryStream(b -> b.deliveryStreamName("orders-secret-ledger")),
                denial("orders-producer", "DescribeDeliveryStream", "orders-secret-ledger"));
        put(admin, "orders-secret-ledger");
    }

    @Test
    void listsOnlyTheStreamsTheKeyMaySee() {
        assertThat(producer.listDeliveryStreams(b -> {}).deliveryStreamNames())
                .containsExactly("orders-eu", "orders-us");
        assertThat(producer.listDeliveryStreams(b -> b.limit(1)).hasMoreDeliveryStreams())
                .isTrue();
        assertThat(admin.listDeliveryStreams(b -> {}).deliveryStreamNames())
                .contains("billing", "orders-eu", "orders-secret-ledger", "orders-us");
    }

    @Test
    void aKeyWithoutStatementsMayDoEverythingInItsAccount() {
        Streams.createS3(open, "open-stream", "open-bucket", s -> {});
        put(open, "billing");
        open.deleteDeliveryStream(b -> b.deliveryStreamName("open-stream"));
    }

    @Test
    void aResourceWildcardOverRegionsAllowsEveryRegion() {
        try (FirehoseClient westAdmin = sluice.client("ADMIN", "admin-secret", Region.US_WEST_2);
                FirehoseClient westProducer = sluice.client("PRODUCER", "producer-secret", Region.US_WEST_2)) {
            Streams.createS3(westAdmin, "orders-west", "west-bucket", s -> {});
            put(westProducer, "orders-west");
            // The producer may list us-east-1's streams only: in us-west-2 it sees none.
            assertThat(westProducer.listDeliveryStreams(b -> {}).deliveryStreamNames())
                    .isEmpty();
            assertThat(westAdmin.listDeliveryStreams(b -> {}).deliveryStreamNames())
                    .containsExactly("orders-west");
        }
    }

    @Test
    void theAwsCliSeesAwsErrorAndItsAllowedCalls() throws Exception {
        ExternalCommand.assumeAvailable("aws", "--version");
        Map<String, String> environment = new HashMap<>(ExternalCommand.awsEnvironment());
        environment.put("AWS_ACCESS_KEY_ID", "PRODUCER");
        environment.put("AWS_SECRET_ACCESS_KEY", "producer-secret");
        String endpoint = sluice.endpoint().toString();

        ExternalCommand.Result denied = ExternalCommand.run(
                environment,
                null,
                "aws",
                "--endpoint-url",
                endpoint,
                "firehose",
                "delete-delivery-stream",
                "--delivery-stream-name",
                "orders-us");
        assertThat(denied.exitCode())
                .as("exit code of a service error (CLI v1: 255, v2: 254)")
                .isIn(254, 255);
        assertThat(denied.stderr())
                .contains("An error occurred (AccessDeniedException) when calling the DeleteDeliveryStream operation: "
                        + denial("orders-producer", "DeleteDeliveryStream", "orders-us"));

        ExternalCommand.Result listed = ExternalCommand.run(
                environment, null, "aws", "--endpoint-url", endpoint, "firehose", "list-delivery-streams");
        assertThat(listed.exitCode()).as(listed.stderr()).isZero();
        JsonNode names = JSON.readTree(listed.stdout()).path("DeliveryStreamNames");
        assertThat(names.toString()).isEqualTo("[\"orders-eu\",\"orders-us\"]");
    }

    @Test
    void theAuditLogHasALinePerControlPlaneCallAndDeniedPut() throws Exception {
        Streams.createS3(admin, "audited", "audited-bucket", s -> {});
        String version = admin.describeDeliveryStream(b -> b.deliveryStreamName("audited"))
                .deliveryStreamDescription()
                .versionId();
        String destination = admin.describeDeliveryStream(b -> b.deliveryStreamName("audited"))
                .deliveryStreamDescription()
                .destinations()
                .get(0)
                .destinationId();
        admin.updateDestination(b -> b.deliveryStreamName("audited")
                .currentDeliveryStreamVersionId(version)
                .destinationId(destination)
                .extendedS3DestinationUpdate(u -> u.prefix("updated/")));
        admin.deleteDeliveryStream(b -> b.deliveryStreamName("audited"));
        assertDenied(() -> put(producer, "audited"), denial("orders-producer", "PutRecord", "audited"));
        put(producer, "orders-eu");

        List<JsonNode> lines = sluice.auditLines().stream()
                .map(PermissionsIT::json)
                .filter(line -> line.path("stream").asText().equals("audited"))
                .toList();
        assertThat(lines)
                .extracting(line -> line.path("action").asText() + " "
                        + line.path("outcome").asText())
                .containsSubsequence(
                        "firehose:CreateDeliveryStream Success",
                        "firehose:UpdateDestination Success",
                        "firehose:DeleteDeliveryStream Success",
                        "firehose:PutRecord Denied")
                .doesNotContain("firehose:PutRecord Success");
        JsonNode create = lines.get(0);
        assertThat(create.path("accessKeyId").asText()).isEqualTo("ADMIN");
        assertThat(create.path("principal").asText()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/platform-admin");
        assertThat(create.path("account").asText()).isEqualTo(ACCOUNT);
        assertThat(create.path("region").asText()).isEqualTo("us-east-1");
        assertThat(create.path("sourceAddress").asText()).isEqualTo("127.0.0.1");
        assertThat(create.path("requestId").asText()).hasSize(36);
        assertThat(create.path("time").asText()).endsWith("Z");
        assertThat(create.path("errorCode").isNull()).isTrue();
        JsonNode denied = lines.getLast();
        assertThat(denied.path("accessKeyId").asText()).isEqualTo("PRODUCER");
        assertThat(denied.path("errorCode").asText()).isEqualTo("AccessDeniedException");
        assertThat(String.join("\n", sluice.auditLines()))
                .doesNotContain("producer-secret")
                .doesNotContain("admin-secret");
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
