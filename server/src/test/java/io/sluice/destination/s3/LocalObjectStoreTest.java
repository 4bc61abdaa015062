package io.sluice.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.DataSize;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalObjectStoreTest {
    @TempDir
    Path dataDir;

    private LocalObjectStore store;

    /** Distinct, predictable UUIDs. */
    static Supplier<UUID> counter() {
        AtomicLong next = new AtomicLong();
        return () -> new UUID(0, next.incrementAndGet());
    }

    @BeforeEach
    void open() throws IOException {
        store = LocalObjectStore.inDataDirectory(dataDir, counter());
    }

    private static ObjectContent bytes(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new ObjectContent.OfStream(() -> new ByteArrayInputStream(bytes), DataSize.ofBytes(bytes.length));
    }

    private static PutObject put(String bucket, String key, ObjectContent content) {
        return PutObject.of(bucket, key, content, new ObjectFormat(CompressionFormat.UNCOMPRESSED, false));
    }

    private List<Path> incoming() throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("buckets").resolve(LocalObjectStore.INCOMING))) {
            return files.toList();
        }
    }

    @Test
    void writesTheObjectUnderBucketsBucketKeyWithFoldersForSlashes() throws IOException {
        PutOutcome outcome = store.put(put("my-bucket", "2018/08/27/10/s-1-2018-08-27-10-30-00-u", bytes("hello")));

        assertThat(outcome)
                .isEqualTo(new PutOutcome.Stored(
                        "my-bucket", "2018/08/27/10/s-1-2018-08-27-10-30-00-u", DataSize.ofBytes(5)));
        Path file = dataDir.resolve("buckets/my-bucket/2018/08/27/10/s-1-2018-08-27-10-30-00-u");
        assertThat(file).hasContent("hello");
        assertThat(store.pathOf("my-bucket", "2018/08/27/10/s-1-2018-08-27-10-30-00-u"))
                .isEqualTo(file);
        assertThat(incoming()).isEmpty();
    }

    /** Staged files are written directly here (the temporary folder takes direct I/O), then linked. */
    @ParameterizedTest
    @ValueSource(ints = {0, 4095, 262_144, 1_000_003})
    void aStagedFileBecomesTheObjectByteForByte(int size) throws IOException {
        byte[] body = new byte[size];
        new Random(size).nextBytes(body);
        Path staging = Files.createDirectories(dataDir.resolve("staging"));
        Path staged = staging.resolve("object");
        try (OutputStream out = store.createStaged(staged)) {
            for (int offset = 0; offset < size; offset += 32 * 1024) {
                out.write(body, offset, Math.min(32 * 1024, size - offset));
            }
        }
        assertThat(store.put(put("b", "staged", ObjectContent.of(staged))))
                .isEqualTo(new PutOutcome.Stored("b", "staged", DataSize.ofBytes(size)));
        assertThat(Files.readAllBytes(store.pathOf("b", "staged"))).isEqualTo(body);
        try (Stream<Path> left = Files.list(staging)) {
            assertThat(left).as("the probe for direct I/O is gone").containsExactly(staged);
        }
    }

    @Test
    void copiesFileContentAndReplacesAnExistingObject() throws IOException {
        Path first = Files.writeString(dataDir.resolve("first"), "first body");
        Path second = Files.writeString(dataDir.resolve("second"), "second");
        assertThat(store.put(put("b", "k", ObjectContent.of(first)))).isInstanceOf(PutOutcome.Stored.class);
        assertThat(store.put(put("b", "k", ObjectContent.of(second))))
                .isEqualTo(new PutOutcome.Stored("b", "k", DataSize.ofBytes(6)));
        assertThat(store.pathOf("b", "k")).hasContent("second");
        assertThat(second).exists();
    }

    @Test
    void storesAnEncodedObjectThatReadsBack() throws IOException {
        Path body = dataDir.resolve("body.gz");
        ObjectFormat format = new ObjectFormat(CompressionFormat.GZIP, true);
        try (ObjectEncoder encoder = ObjectEncoder.open(
                format, Files.newOutputStream(body), UUID::randomUUID, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))) {
            encoder.append("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
            encoder.append("{\"a\":2}".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(store.put(PutObject.of("b", "k.gz", ObjectContent.of(body), format)))
                .isInstanceOf(PutOutcome.Stored.class);
        assertThat(ObjectEncoderTest.decode(CompressionFormat.GZIP, Files.readAllBytes(store.pathOf("b", "k.gz"))))
                .asString(StandardCharsets.UTF_8)
                .isEqualTo("{\"a\":1}\n{\"a\":2}\n");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"../escape", "a/../../escape", "/absolute", "a//b", "a/./b", ".", "..", "folder/", "nul\0byte"})
    void refusesKeysAFileSystemCannotHoldAsPermanentFailures(String key) throws IOException {
        PutOutcome outcome = store.put(put("b", key, bytes("x")));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        PutOutcome.PermanentFailure.class,
                        f -> assertThat(f.errorCode()).isEqualTo("S3.InvalidKey"));
        assertThat(dataDir.resolve("escape")).doesNotExist();
        assertThat(dataDir.resolve("buckets/escape")).doesNotExist();
        assertThatThrownBy(() -> store.pathOf("b", key)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", ".incoming", "a/b", " ", "-x", "a\\b", "nul\0"})
    void refusesBucketNamesThatAreNotPlainFolderNames(String bucket) {
        PutOutcome outcome = store.put(new PutObject(
                bucket,
                "k",
                bytes("x"),
                ObjectFormat.CONTENT_TYPE,
                java.util.Optional.empty(),
                java.util.Optional.empty()));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        PutOutcome.PermanentFailure.class,
                        f -> assertThat(f.errorCode()).isEqualTo("S3.InvalidBucketName"));
    }

    @Test
    void refusesKeysLongerThanS3AllowsAndSegmentsLongerThanAFileName() {
        String longKey = "a/".repeat(512) + "b";
        assertThat(store.put(put("b", longKey, bytes("x"))))
                .isInstanceOfSatisfying(
                        PutOutcome.PermanentFailure.class,
                        f -> assertThat(f.errorCode()).isEqualTo("S3.KeyTooLongError"));
        assertThat(store.put(put("b", "x".repeat(256), bytes("x"))))
                .isInstanceOfSatisfying(
                        PutOutcome.PermanentFailure.class,
                        f -> assertThat(f.errorCode()).isEqualTo("S3.InvalidKey"));
        assertThat(store.put(put("b", "é".repeat(127), bytes("x")))).isInstanceOf(PutOutcome.Stored.class);
    }

    @Test
    void keyCollidingWithAFolderOrAFileIsAPermanentFailure() {
        assertThat(store.put(put("b", "a/b", bytes("x")))).isInstanceOf(PutOutcome.Stored.class);

        assertThat(store.put(put("b", "a", bytes("y"))))
                .isInstanceOfSatisfying(
                        PutOutcome.PermanentFailure.class,
                        f -> assertThat(f.errorCode()).isEqualTo("S3.InvalidKey"));
        assertThat(store.put(put("b", "a/b/c", bytes("y"))))
                .isInstanceOfSatisfying(
                        PutOutcome.PermanentFailure.class,
                        f -> assertThat(f.errorCode()).isEqualTo("S3.InvalidKey"));
        assertThat(store.pathOf("b", "a/b")).hasContent("x");
    }

    @Test
    void contentFailingMidwayLeavesNoObjectAndNoTemporaryFile() throws IOException {
        ObjectContent failing = new ObjectContent.OfStream(
                () -> new InputStream() {
                    private int served;

                    @Override
                    public int read() throws IOException {
                        if (served++ < 1000) {
                            return 'x';
                        }
                        throw new IOException("log segment unreadable");
                    }
                },
                DataSize.ofBytes(5000));

        PutOutcome outcome = store.put(put("b", "k", failing));

        assertThat(outcome).isInstanceOfSatisfying(PutOutcome.RetryableFailure.class, f -> {
            assertThat(f.errorCode()).isEqualTo("S3.InternalError");
            assertThat(f.message()).contains("log segment unreadable");
        });
        assertThat(dataDir.resolve("buckets/b/k")).doesNotExist();
        assertThat(incoming()).isEmpty();
    }

    @Test
    void contentShorterThanAnnouncedIsRetryableAndStoresNothing() throws IOException {
        ObjectContent shortBody =
                new ObjectContent.OfStream(() -> new ByteArrayInputStream(new byte[10]), DataSize.ofBytes(11));

        assertThat(store.put(put("b", "k", shortBody)))
                .isInstanceOfSatisfying(
                        PutOutcome.RetryableFailure.class,
                        f -> assertThat(f.errorCode()).isEqualTo("S3.IncompleteBody"));
        assertThat(dataDir.resolve("buckets/b/k")).doesNotExist();
        assertThat(incoming()).isEmpty();
    }

    @Test
    void temporaryFilesOfACrashAreDeletedWhenTheStoreIsMade() throws IOException {
        Path leftover = Files.writeString(
                dataDir.resolve("buckets").resolve(LocalObjectStore.INCOMING).resolve("dead.tmp"), "partial");

        LocalObjectStore.inDataDirectory(dataDir, counter()).close();

        assertThat(leftover).doesNotExist();
    }

    @Test
    void putAfterCloseIsRefused() {
        store.close();
        assertThatThrownBy(() -> store.put(put("b", "k", bytes("x")))).isInstanceOf(IllegalStateException.class);
    }
}
