package io.sluice.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.catalog.DestinationSpec;
import io.sluice.catalog.StreamRef;
import io.sluice.common.FirehoseException;
import io.sluice.destination.http.HttpEndpointDestinationSpec;
import io.sluice.destination.s3.S3DestinationSpec;
import io.sluice.testing.LocalDestinationTypes;
import io.sluice.testing.TestStreams;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DestinationRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String S3 =
            "{\"RoleARN\":\"arn:aws:iam::123456789012:role/r\",\"BucketARN\":\"arn:aws:s3:::bucket\"}";

    @TempDir
    Path dir;

    private LocalDestinationTypes types;
    private DestinationRegistry registry;

    @BeforeEach
    void open() throws Exception {
        types = LocalDestinationTypes.in(dir);
        registry = types.registry();
    }

    @AfterEach
    void close() {
        types.close();
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private DestinationSpec http() throws Exception {
        return registry.parse(
                "HttpEndpointDestinationConfiguration",
                json("{\"EndpointConfiguration\":{\"Url\":\"https://example.com/\"},\"S3Configuration\":" + S3 + "}"));
    }

    @Test
    void refusesTwoTypesClaimingOneMember() {
        assertThatThrownBy(() -> new DestinationRegistry(List.of(types.s3(), types.s3())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("claimed by both");
    }

    @Test
    void answersForTheMembersItsTypesClaimInRegistrationOrder() {
        assertThat(registry.configurationMembers())
                .containsExactly(
                        "ExtendedS3DestinationConfiguration",
                        "S3DestinationConfiguration",
                        "HttpEndpointDestinationConfiguration");
        assertThat(registry.reads("SplunkDestinationConfiguration")).isFalse();
        assertThat(registry.updates("S3DestinationUpdate")).isTrue();
        assertThat(registry.updates("SplunkDestinationUpdate")).isFalse();
    }

    @Test
    void persistsEverySpecUnderTheFirstMemberOfItsType() throws Exception {
        DestinationSpec old = registry.parse("S3DestinationConfiguration", json(S3));
        assertThat(old).isInstanceOf(S3DestinationSpec.class);
        assertThat(registry.member(old)).isEqualTo("ExtendedS3DestinationConfiguration");
        assertThat(registry.parse(registry.member(old), registry.render(old))).isEqualTo(old);
        assertThat(registry.member(http())).isEqualTo("HttpEndpointDestinationConfiguration");
    }

    @Test
    void describesThroughTheTypeOfTheSpec() throws Exception {
        ObjectNode description = JSON.createObjectNode();
        registry.describe(registry.parse("ExtendedS3DestinationConfiguration", json(S3)), description);
        assertThat(description.properties())
                .extracting(Map.Entry::getKey)
                .containsExactly("S3DestinationDescription", "ExtendedS3DestinationDescription");
    }

    @Test
    void mergesWithinATypeAndConvertsWhereTheTargetTypeTakesOver() throws Exception {
        DestinationSpec spec = registry.parse("ExtendedS3DestinationConfiguration", json(S3));
        DestinationSpec merged = registry.update(spec, "S3DestinationUpdate", json("{\"Prefix\":\"p/\"}"));
        assertThat(((S3DestinationSpec) merged).prefix()).isPresent();
        DestinationSpec converted = registry.update(
                spec,
                "HttpEndpointDestinationUpdate",
                json("{\"EndpointConfiguration\":{\"Url\":\"https://example.com/\"},\"S3Update\":" + S3 + "}"));
        assertThat(converted).isInstanceOf(HttpEndpointDestinationSpec.class);
    }

    @Test
    void refusesAConversionTheTargetTypeDoesNotTakeOverNamingBothTypes() throws Exception {
        DestinationSpec spec = http();
        assertThatThrownBy(() -> registry.update(spec, "ExtendedS3DestinationUpdate", json("{}")))
                .isInstanceOf(FirehoseException.class)
                .hasMessage("Sluice does not support changing an HTTP endpoint destination into an S3 destination;"
                        + " create a new delivery stream instead.");
    }

    @Test
    void takesTheDeliveryPolicyFromTheTypeOfTheSpec() throws Exception {
        DeliveryPolicy policy =
                registry.policy(TestStreams.active(new StreamRef("123456789012", "us-east-1", "s"), "uid", 1, http()));
        assertThat(policy.maxRecords()).isEqualTo(10_000);
        assertThat(policy.retryBudget()).contains(Duration.ofSeconds(300));
        assertThat(policy.metrics().records().firehoseName()).isEqualTo("DeliveryToHttpEndpoint.Records");
    }
}
