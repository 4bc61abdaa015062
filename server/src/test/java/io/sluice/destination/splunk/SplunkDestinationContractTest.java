package io.sluice.destination.splunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.catalog.DestinationSpec;
import io.sluice.common.DataSize;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.DestinationType;
import io.sluice.destination.http.HttpEndpointTransport;
import io.sluice.destination.s3.S3DestinationSpec;
import io.sluice.metrics.Metrics;
import io.sluice.testing.DestinationContract;
import io.sluice.testing.HecReceiver;
import io.sluice.testing.Specs;
import io.sluice.testing.TestProcessors;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The destination contract, kept by the HEC destination against a receiver written to Splunk's HEC
 * protocol, with acknowledgements: raw records, one line each.
 */
class SplunkDestinationContractTest extends DestinationContract {
    private static final String TOKEN = "contract-token";

    @Override
    protected Peer peer() throws Exception {
        HecReceiver receiver = HecReceiver.start();
        receiver.addToken(TOKEN);
        HttpEndpointTransport transport =
                HttpEndpointTransport.create(new HttpEndpointTransport.Config(Duration.ofSeconds(5), Optional.empty()));
        return new Peer() {
            @Override
            public DestinationSpec spec(Setup setup) {
                BufferingHints hints = new BufferingHints(DataSize.ofMebibytes(1), Duration.ZERO);
                return new SplunkDestinationSpec(
                        receiver.url(),
                        SplunkDestinationSpec.EndpointType.RAW,
                        TOKEN,
                        SplunkDestinationSpec.MIN_ACKNOWLEDGMENT_TIMEOUT,
                        setup.retryBudget(),
                        setup.backupAll()
                                ? SplunkDestinationSpec.BackupMode.ALL_EVENTS
                                : SplunkDestinationSpec.BackupMode.FAILED_EVENTS_ONLY,
                        Specs.s3(hints),
                        Optional.empty(),
                        S3DestinationSpec.CloudWatchLogging.DISABLED,
                        hints);
            }

            @Override
            public DestinationType<?> type() {
                return new SplunkDestinationType(
                        transport,
                        Duration.ofSeconds(2),
                        dir,
                        TestProcessors.withoutFunctions(),
                        new Metrics(),
                        Clock.systemUTC(),
                        UUID::randomUUID);
            }

            @Override
            public void fail() {
                receiver.answerAll(503, 9, "Server is busy");
            }

            @Override
            public void recover() {
                receiver.answerNormally();
            }

            /** The acknowledged raw lines, each ended by the newline its record had. */
            @Override
            public List<String> received() {
                return receiver.acknowledgedEvents().stream()
                        .map(line -> line + "\n")
                        .toList();
            }

            @Override
            public boolean givesUp() {
                return true;
            }

            @Override
            public boolean refuseOnly(String refused) {
                return false;
            }

            @Override
            public String deliveredRecordsMetric() {
                return "DeliveryToSplunk.Records";
            }

            @Override
            public String record(String name) {
                return name + "\n";
            }

            @Override
            public void close() {
                try {
                    assertThat(receiver.violations())
                            .as("requests outside HEC's protocol")
                            .isEmpty();
                    receiver.close();
                } finally {
                    transport.close();
                }
            }
        };
    }
}
