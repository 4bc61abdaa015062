package io.sluice.destination.s3;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.sluice.catalog.DestinationSpec;
import io.sluice.common.DataSize;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.DeliveryPolicy;
import io.sluice.destination.DestinationType;
import io.sluice.processor.Processing;
import io.sluice.processor.ProcessorSpec;
import io.sluice.testing.DestinationContract;
import io.sluice.testing.Specs;
import io.sluice.testing.TestProcessors;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The destination contract, kept by the S3 destination against s3proxy, an S3-compatible server. */
class S3DestinationContractTest extends DestinationContract {
    private static final String BUCKET = "contract";

    @Override
    protected Peer peer() throws Exception {
        S3ProxyServer server = S3ProxyServer.start();
        S3Client client = server.client();
        client.createBucket(b -> b.bucket(BUCKET));
        SdkObjectStore store = new SdkObjectStore(S3StoreConfig.of(server.endpointConfig()));
        return new Peer() {
            @Override
            public DestinationSpec spec(Setup setup) {
                BufferingHints hints = new BufferingHints(DataSize.ofMebibytes(1), Duration.ZERO);
                return new S3DestinationSpec(
                        "arn:aws:iam::123456789012:role/r",
                        "arn:aws:s3:::" + BUCKET,
                        Optional.empty(),
                        Optional.empty(),
                        hints,
                        CompressionFormat.UNCOMPRESSED,
                        S3DestinationSpec.CloudWatchLogging.DISABLED,
                        Optional.of(new Processing(
                                Optional.of(true),
                                List.of(new ProcessorSpec(ProcessorSpec.APPEND_DELIMITER_TO_RECORD, Map.of())))),
                        setup.backupAll(),
                        setup.backupAll() ? Optional.of(Specs.s3(hints)) : Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty());
            }

            @Override
            public DestinationType<?> type() {
                return new S3DestinationType(
                        store,
                        dir,
                        TestProcessors.withoutFunctions(),
                        DeliveryPolicy.DEFAULT_MAX_PARTITIONS,
                        Clock.systemUTC(),
                        UUID::randomUUID);
            }

            @Override
            public void fail() throws Exception {
                server.stop();
            }

            @Override
            public void recover() throws Exception {
                server.restart();
            }

            // The records of every object, objects in the order they were stored.
            @Override
            public List<String> received() {
                List<String> records = new ArrayList<>();
                client.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
                        .sorted(Comparator.comparing(S3Object::lastModified).thenComparing(S3Object::key))
                        .forEach(object -> {
                            String text = client.getObjectAsBytes(
                                            b -> b.bucket(BUCKET).key(object.key()))
                                    .asString(UTF_8);
                            records.addAll(text.lines().toList());
                        });
                return records;
            }

            @Override
            public boolean givesUp() {
                return false;
            }

            @Override
            public boolean refuseOnly(String refused) {
                return false;
            }

            @Override
            public String deliveredRecordsMetric() {
                return "DeliveryToS3.Records";
            }

            @Override
            public void close() throws Exception {
                store.close();
                client.close();
                server.close();
            }
        };
    }
}
