package io.sluice.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Creating streams and finding delivered objects, for delivery tests. */
public final class Streams {
    public static final String ROLE = "arn:aws:iam::123456789012:role/firehose";

    private Streams() {}

    /** Creates an extended S3 stream to {@code bucket} and waits until it is ACTIVE. */
    public static void createS3(
            FirehoseClient client,
            String name,
            String bucket,
            Consumer<ExtendedS3DestinationConfiguration.Builder> configure) {
        ExtendedS3DestinationConfiguration.Builder s3 =
                ExtendedS3DestinationConfiguration.builder().roleARN(ROLE).bucketARN("arn:aws:s3:::" + bucket);
        configure.accept(s3);
        client.createDeliveryStream(b -> b.deliveryStreamName(name).extendedS3DestinationConfiguration(s3.build()));
        awaitActive(client, name);
    }

    public static void awaitActive(FirehoseClient client, String name) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> client.describeDeliveryStream(b -> b.deliveryStreamName(name))
                                .deliveryStreamDescription()
                                .deliveryStreamStatus()
                        == DeliveryStreamStatus.ACTIVE);
    }

    /**
     * Waits until a stream another node created is known here and ACTIVE (a node learns of it within moments:
     * until then it answers ResourceNotFoundException).
     */
    public static void awaitActiveFromAnotherNode(FirehoseClient client, String name) {
        await().atMost(Duration.ofSeconds(20))
                .ignoreException(ResourceNotFoundException.class)
                .until(() -> client.describeDeliveryStream(b -> b.deliveryStreamName(name))
                                .deliveryStreamDescription()
                                .deliveryStreamStatus()
                        == DeliveryStreamStatus.ACTIVE);
    }

    /** Every object file under {@code <data-dir>/buckets/<bucket>}, sorted by key. */
    public static List<Path> localObjects(Path dataDir, String bucket) {
        Path root = dataDir.resolve("buckets").resolve(bucket);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts one record holding {@code text}, which must be accepted. */
    public static void put(FirehoseClient client, String stream, String text) {
        client.putRecord(b -> b.deliveryStreamName(stream).record(r -> r.data(SdkBytes.fromUtf8String(text))));
    }

    /**
     * Every object of {@code bucket} on an S3 service, concatenated in key order. An object listed but
     * not yet readable (s3proxy lists objects still being written) is left out: callers poll.
     */
    public static String objectsText(S3Client s3, String bucket) {
        StringBuilder text = new StringBuilder();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            try {
                text.append(s3.getObjectAsBytes(b -> b.bucket(bucket).key(object.key()))
                        .asUtf8String());
            } catch (NoSuchKeyException stillBeingWritten) {
                // appears complete on a later poll
            }
        }
        return text.toString();
    }

    /**
     * The lines of the objects of {@code bucket} in the local store, by the key folder they are under
     * (the key up to its last {@code /}), each folder's in key order.
     */
    public static Map<String, List<String>> linesByFolder(Path dataDir, String bucket) {
        Map<String, List<String>> lines = new TreeMap<>();
        for (Path object : localObjects(dataDir, bucket)) {
            String key = key(dataDir, bucket, object);
            String folder = key.substring(0, key.lastIndexOf('/') + 1);
            try {
                lines.computeIfAbsent(folder, f -> new ArrayList<>())
                        .addAll(Files.readString(object, StandardCharsets.UTF_8)
                                .lines()
                                .toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    /** The object key of a file in the local store. */
    public static String key(Path dataDir, String bucket, Path file) {
        return dataDir.resolve("buckets").resolve(bucket).relativize(file).toString();
    }
}
