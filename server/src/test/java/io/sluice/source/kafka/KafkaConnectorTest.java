package io.sluice.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DeliveryStreamStatus;
import io.sluice.catalog.DeliveryStreamType;
import io.sluice.catalog.SourceSpec;
import io.sluice.log.StreamKey;
import io.sluice.log.journal.JournalLog;
import io.sluice.log.journal.LogConfig;
import io.sluice.log.journal.LogListener;
import io.sluice.metrics.Metrics;
import io.sluice.source.FileCheckpoints;
import io.sluice.source.SourceContext;
import io.sluice.source.SourceSink;
import io.sluice.testing.TestStreams;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConnectorTest {
    private static final String MAPPED = "arn:aws:kafka:us-east-1:123456789012:cluster/mapped/1111";
    private static final String UNMAPPED = "arn:aws:kafka:us-east-1:123456789012:cluster/unmapped/2222";
    private static final String ROLE = "arn:aws:iam::123456789012:role/firehose";

    @TempDir
    Path dir;

    private static SourceSpec.Msk msk(String clusterArn) {
        return new SourceSpec.Msk(clusterArn, "topic", ROLE, "PRIVATE", Optional.empty(), Optional.of(Instant.now()));
    }

    @Test
    void readsMskSourcesOnly() {
        KafkaConnector connector = new KafkaConnector(KafkaClusters.NONE);
        assertThat(connector.reads(msk(MAPPED))).isTrue();
        assertThat(connector.reads(new SourceSpec.KinesisStream(
                        "arn:aws:kinesis:us-east-1:123456789012:stream/s", ROLE, Optional.empty())))
                .isFalse();
    }

    /** The reader fails (Sources logs it once and retries), naming the ARN and the settings that would map it. */
    @Test
    void aClusterNoSettingNamesFailsTheReadSayingWhatToSet() throws Exception {
        KafkaConnector connector =
                new KafkaConnector(new KafkaClusters(Optional.empty(), Map.of(MAPPED, "127.0.0.1:9092"), Map.of()));
        DeliveryStream plain = TestStreams.plain("unmapped");
        DeliveryStream stream = new DeliveryStream(
                plain.ref(),
                plain.uid(),
                DeliveryStreamType.MSK_AS_SOURCE,
                DeliveryStreamStatus.ACTIVE,
                1,
                plain.createTimestamp(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(msk(UNMAPPED)),
                plain.destination(),
                plain.encryption(),
                plain.tags());
        try (JournalLog log =
                JournalLog.open(LogConfig.defaults(dir.resolve("log")), Clock.systemUTC(), LogListener.NONE)) {
            SourceContext context = new SourceContext(
                    stream,
                    new SourceSink(log, new StreamKey(stream.uid())),
                    new FileCheckpoints(dir.resolve("sources"), stream.uid()),
                    new Metrics(),
                    Clock.systemUTC());
            assertThatThrownBy(() -> connector.read(context))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(UNMAPPED)
                    .hasMessageContaining("'msk-bootstrap-servers'")
                    .hasMessageContaining("'msk-cluster.<label>.arn'");
        }
    }
}
