package io.sluice.destination.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.catalog.DestinationSpec;
import io.sluice.common.DataSize;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.DestinationType;
import io.sluice.destination.s3.S3DestinationSpec;
import io.sluice.testing.DestinationContract;
import io.sluice.testing.Specs;
import io.sluice.testing.TestProcessors;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The destination contract, kept by the HTTP endpoint destination against a receiver written to the protocol. */
class HttpEndpointDestinationContractTest extends DestinationContract {
    @Override
    protected Peer peer() throws Exception {
        FirehoseReceiver receiver = FirehoseReceiver.start(
                new FirehoseReceiver.Expected(STREAM.arn(), Optional.of("contract-key"), Map.of(), false));
        HttpEndpointTransport transport = HttpEndpointTransport.create(
                new HttpEndpointTransport.Config(Duration.ofSeconds(10), Optional.empty()));
        return new Peer() {
            @Override
            public DestinationSpec spec(Setup setup) {
                BufferingHints hints = new BufferingHints(DataSize.ofMebibytes(1), Duration.ZERO);
                return new HttpEndpointDestinationSpec(
                        new HttpEndpointDestinationSpec.Endpoint(
                                URI.create(receiver.url()), Optional.empty(), Optional.of("contract-key")),
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
            public DestinationType<?> type() {
                return new HttpEndpointDestinationType(
                        transport, dir, TestProcessors.withoutFunctions(), Clock.systemUTC(), UUID::randomUUID);
            }

            @Override
            public void fail() {
                receiver.answer(FirehoseReceiver.Answer.STATUS_503);
            }

            @Override
            public void recover() {
                receiver.answer(FirehoseReceiver.Answer.OK);
            }

            @Override
            public List<String> received() {
                return receiver.acceptedRecords();
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
                return "DeliveryToHttpEndpoint.Records";
            }

            @Override
            public void close() {
                try {
                    assertThat(receiver.violations())
                            .as("requests outside the protocol")
                            .isEmpty();
                    receiver.close();
                } finally {
                    transport.close();
                }
            }
        };
    }
}
