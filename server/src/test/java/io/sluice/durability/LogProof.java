package io.sluice.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What the record log of a stopped Sluice must hold after damage. */
final class LogProof {
    private LogProof() {}

    /**
     * Per stream: every acknowledged record exactly once, each producer's acknowledged records in the
     * order they were acknowledged, no record twice, and nothing that was never sent. Unacknowledged
     * records may or may not be there.
     */
    static void everyAcknowledgedRecordOnceInOrder(Path dataDir, Ledger ledger, List<String> streams)
            throws IOException {
        for (String stream : streams) {
            List<String> stored = StoredIds.inLog(dataDir, stream);
            assertThat(new HashSet<>(stored))
                    .as("records of %s stored more than once", stream)
                    .hasSameSizeAs(stored);
            assertThat(stored).allMatch(ledger::sent, "was sent by a producer of " + stream);
            for (Ledger.Producer producer : ledger.producers()) {
                if (!producer.stream().equals(stream)) {
                    continue;
                }
                List<String> acknowledged = producer.acknowledgedIds();
                Set<String> wanted = new HashSet<>(acknowledged);
                assertThat(stored.stream().filter(wanted::contains).toList())
                        .as("acknowledged records of a producer of %s, in log order", stream)
                        .containsExactlyElementsOf(acknowledged);
            }
        }
    }
}
