package io.sluice.log.kafka;

import io.sluice.log.RecordLog;
import io.sluice.log.RecordLogContract;
import io.sluice.testing.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The log port's contract, kept by the Kafka log on a real broker (each test's log with topics of its own). */
class KafkaRecordLogContractTest extends RecordLogContract {
    private static Path brokerDir;
    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        brokerDir = Files.createTempDirectory("sluice-kafka-log-");
        broker = KafkaBroker.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
        io.sluice.testing.RunningSluice.deleteRecursively(brokerDir);
    }

    @Override
    protected RecordLog open(Path directory) {
        return KafkaRecordLog.open(
                settings(broker, "contract-" + UUID.randomUUID() + "."), new MemoryCommittedOffsets());
    }

    static KafkaRecordLog.Settings settings(KafkaBroker broker, String prefix) {
        return new KafkaRecordLog.Settings(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                prefix,
                Optional.of((short) 1),
                Duration.ofHours(24),
                Duration.ofSeconds(5));
    }
}
