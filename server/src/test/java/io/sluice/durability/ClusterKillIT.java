package io.sluice.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.SluiceCluster;
import io.sluice.testing.Streams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A node of a three-node cluster killed with SIGKILL while all three take puts and deliver: the survivors
 * take its streams over within seconds (its leases expire), and every record any node acknowledged is
 * delivered at least once, without the dead node coming back.
 */
class ClusterKillIT {
    private static final List<String> STREAMS = List.of("cluster-a", "cluster-b", "cluster-c", "cluster-d");
    private static final long SEED = 1_717L;
    private static final Load.Shape SHAPE = new Load.Shape(50, 200, 1_000, Duration.ofMillis(5));

    @Test
    void everyAcknowledgedRecordIsDeliveredAfterANodeIsKilledUnderLoad() throws Exception {
        try (SluiceCluster cluster = SluiceCluster.start(3);
                S3Client bucket = cluster.s3().client()) {
            try (FirehoseClient firehose = cluster.node(0).client()) {
                for (String stream : STREAMS) {
                    Streams.createS3(
                            firehose,
                            stream,
                            SluiceCluster.BUCKET,
                            s -> s.prefix(stream + "/")
                                    .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
                }
            }
            for (int i = 1; i < cluster.size(); i++) {
                try (FirehoseClient firehose = cluster.node(i).client()) {
                    for (String stream : STREAMS) {
                        Streams.awaitActiveFromAnotherNode(firehose, stream);
                    }
                }
            }
            Ledger ledger = new Ledger();
            List<Load> loads = new ArrayList<>();
            try {
                for (int node = 0; node < cluster.size(); node++) {
                    List<Ledger.Producer> producers = new ArrayList<>();
                    for (String stream : STREAMS) {
                        producers.add(ledger.producer(stream, node));
                    }
                    loads.add(Load.start(cluster.node(node).endpoint(), producers, SHAPE, SEED + node));
                }
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(300))
                        .until(() ->
                                StoredIds.inBucket(bucket, SluiceCluster.BUCKET).size() > 2_000);
                cluster.node(0).kill();
                int acknowledgedAtKill = ledger.acknowledgedCount();
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(300))
                        .until(() -> ledger.acknowledgedCount() > acknowledgedAtKill + 2_000);
            } finally {
                loads.forEach(Load::close);
            }
            List<String> acknowledged = ledger.acknowledged();
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() ->
                            new HashSet<>(StoredIds.inBucket(bucket, SluiceCluster.BUCKET)).containsAll(acknowledged));
            assertThat(StoredIds.inBucket(bucket, SluiceCluster.BUCKET)).allMatch(ledger::sent, "was sent");
        }
    }
}
