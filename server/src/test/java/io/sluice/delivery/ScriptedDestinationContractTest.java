package io.sluice.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.sluice.catalog.BufferingHints;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DestinationSpec;
import io.sluice.catalog.HttpEndpointDestinationSpec;
import io.sluice.catalog.S3DestinationSpec;
import io.sluice.common.DataSize;
import io.sluice.destination.DeliveryOutcome;
import io.sluice.destination.Destination;
import io.sluice.testing.DestinationContract;
import io.sluice.testing.Specs;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** The destination contract, kept by the engine's scripted in-memory destination (per-record answers included). */
class ScriptedDestinationContractTest extends DestinationContract {
    @Override
    protected Peer peer() {
        ScriptedDestination destination = new ScriptedDestination();
        return new Peer() {
            @Override
            public DestinationSpec spec(Setup setup) {
                BufferingHints hints = new BufferingHints(DataSize.ofMebibytes(1), Duration.ZERO);
                return new HttpEndpointDestinationSpec(
                        new HttpEndpointDestinationSpec.Endpoint(
                                URI.create("https://scripted.invalid/"), Optional.empty(), Optional.empty()),
                        hints,
                        setup.retryBudget(),
                        HttpEndpointDestinationSpec.ContentEncoding.NONE,
                        List.of(),
                        setup.backupAll()
                                ? HttpEndpointDestinationSpec.BackupMode.ALL_DATA
                                : HttpEndpointDestinationSpec.BackupMode.FAILED_DATA_ONLY,
                        Specs.s3(hints),
                        Optional.empty(),
                        S3DestinationSpec.CloudWatchLogging.DISABLED,
                        Optional.empty());
            }

            @Override
            public Destination destination(DeliveryStream stream) {
                return destination;
            }

            @Override
            public void fail() {
                destination.answer(batch -> new DeliveryOutcome.Retry("Test.Down", "down"));
            }

            @Override
            public void recover() {
                destination.answer(batch -> DeliveryOutcome.DELIVERED);
            }

            @Override
            public List<String> received() {
                return destination.deliveredRecords();
            }

            @Override
            public boolean givesUp() {
                return true;
            }

            @Override
            public boolean refuseOnly(String refused) {
                destination.answer(batch -> {
                    SortedMap<Integer, DeliveryOutcome.Failure> failures = new TreeMap<>();
                    for (int i = 0; i < batch.records.size(); i++) {
                        if (new String(batch.records.get(i), UTF_8).equals(refused)) {
                            failures.put(i, new DeliveryOutcome.Retry("Test.Busy", "busy"));
                        }
                    }
                    return failures.isEmpty() ? DeliveryOutcome.DELIVERED : new DeliveryOutcome.Partial(failures);
                });
                return true;
            }

            @Override
            public String deliveredRecordsMetric() {
                return "DeliveryToHttpEndpoint.Records";
            }

            @Override
            public void close() {}
        };
    }
}
