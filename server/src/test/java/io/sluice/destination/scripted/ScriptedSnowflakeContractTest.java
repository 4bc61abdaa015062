package io.sluice.destination.scripted;

import io.sluice.catalog.DestinationSpec;
import io.sluice.common.DataSize;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.DestinationType;
import io.sluice.testing.DestinationContract;
import io.sluice.testing.Specs;
import io.sluice.testing.Streams;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The destination contract, kept by the destination registered only in the tests (Snowflake-shaped, in
 * memory), which also answers per record.
 */
class ScriptedSnowflakeContractTest extends DestinationContract {
    @Override
    protected Peer peer() {
        MemoryDestination.Sink sink = new MemoryDestination.Sink();
        return new Peer() {
            @Override
            public DestinationSpec spec(Setup setup) {
                BufferingHints hints = new BufferingHints(DataSize.ofMebibytes(1), Duration.ZERO);
                return new SnowflakeSpec(
                        "https://contract.snowflakecomputing.com",
                        Optional.empty(),
                        "contract",
                        "public",
                        "records",
                        Streams.ROLE,
                        hints,
                        setup.retryBudget(),
                        setup.backupAll(),
                        Specs.s3(hints));
            }

            @Override
            public DestinationType<?> type() {
                return new ScriptedSnowflakeType(sink);
            }

            @Override
            public void fail() {
                sink.fail();
            }

            @Override
            public void recover() {
                sink.recover();
            }

            @Override
            public List<String> received() {
                return sink.texts(STREAM.name());
            }

            @Override
            public boolean givesUp() {
                return true;
            }

            @Override
            public boolean refuseOnly(String refused) {
                sink.refuse(refused);
                return true;
            }

            @Override
            public String deliveredRecordsMetric() {
                return ScriptedSnowflakeType.METRICS.records().firehoseName();
            }

            @Override
            public void close() {}
        };
    }
}
