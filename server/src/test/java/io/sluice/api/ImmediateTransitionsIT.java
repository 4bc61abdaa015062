package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.KeyType;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;

/**
 * {@code stream-transition-delay=0}, through the SDK v2 against a real server: every transition has
 * completed when the call that started it answers, so a test needs no waiting loop.
 */
class ImmediateTransitionsIT {
    private static RunningSluice sluice;
    private static FirehoseClient client;

    @BeforeAll
    static void start() {
        sluice = RunningSluice.start(config -> config.withTransitionDelay(Duration.ZERO));
        client = sluice.client();
    }

    @AfterAll
    static void stop() {
        client.close();
        sluice.close();
    }

    private static DeliveryStreamDescription describe(String name) {
        return client.describeDeliveryStream(b -> b.deliveryStreamName(name)).deliveryStreamDescription();
    }

    private static void create(String name) {
        client.createDeliveryStream(b -> b.deliveryStreamName(name)
                .extendedS3DestinationConfiguration(
                        s3 -> s3.roleARN(Streams.ROLE).bucketARN("arn:aws:s3:::immediate")));
    }

    @Test
    void aCreatedStreamIsActiveWhenCreateAnswers() {
        create("immediate-create");

        String recordId = client.putRecord(b ->
                        b.deliveryStreamName("immediate-create").record(r -> r.data(SdkBytes.fromUtf8String("first"))))
                .recordId();

        assertThat(recordId).isNotBlank();
        assertThat(describe("immediate-create").deliveryStreamStatus()).isEqualTo(DeliveryStreamStatus.ACTIVE);
    }

    @Test
    void encryptionIsEnabledAndDisabledWhenTheCallAnswers() {
        create("immediate-encryption");

        client.startDeliveryStreamEncryption(b -> b.deliveryStreamName("immediate-encryption")
                .deliveryStreamEncryptionConfigurationInput(c -> c.keyType(KeyType.AWS_OWNED_CMK)));
        DeliveryStreamEncryptionStatus enabled = describe("immediate-encryption")
                .deliveryStreamEncryptionConfiguration()
                .status();
        client.stopDeliveryStreamEncryption(b -> b.deliveryStreamName("immediate-encryption"));
        DeliveryStreamEncryptionStatus disabled = describe("immediate-encryption")
                .deliveryStreamEncryptionConfiguration()
                .status();

        assertThat(enabled).isEqualTo(DeliveryStreamEncryptionStatus.ENABLED);
        assertThat(disabled).isEqualTo(DeliveryStreamEncryptionStatus.DISABLED);
    }

    @Test
    void aDeletedStreamIsGoneWhenDeleteAnswersAndItsNameIsFreeAgain() {
        create("immediate-delete");

        client.deleteDeliveryStream(b -> b.deliveryStreamName("immediate-delete"));

        assertThatThrownBy(() -> describe("immediate-delete")).isInstanceOf(ResourceNotFoundException.class);
        assertThat(client.listDeliveryStreams(b -> {}).deliveryStreamNames()).doesNotContain("immediate-delete");
        create("immediate-delete");
        assertThat(describe("immediate-delete").deliveryStreamStatus()).isEqualTo(DeliveryStreamStatus.ACTIVE);
    }
}
