package io.sluice.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.testing.ExternalCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyInputStream;
import org.xerial.snappy.SnappyOutputStream;

/** Every container is read back by a reader that shares no code with the encoder. */
class ObjectEncoderTest {
    private static final UUID ENTRY = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-06T07:08:09Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** Random binary records with empty ones among them, and one over several Snappy blocks. */
    private static List<byte[]> records(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] record = new byte[i % 17 == 0 ? 0 : random.nextInt(1, 3000)];
            random.nextBytes(record);
            records.add(record);
        }
        byte[] large = new byte[300 * 1024 + 7];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (random.nextInt(8) == 0 ? random.nextInt(256) : 'a' + i % 13);
        }
        records.add(100, large);
        return records;
    }

    private static byte[] concatenated(List<byte[]> records, boolean delimited) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] record : records) {
            out.writeBytes(record);
            if (delimited) {
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    private static byte[] encode(ObjectFormat format, List<byte[]> records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectEncoder encoder = ObjectEncoder.open(format, out, () -> ENTRY, CLOCK)) {
            for (byte[] record : records) {
                encoder.append(record);
            }
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** Runs {@code command}, its standard output going to a file whose bytes are returned. */
    private byte[] stdoutOf(String... command) throws IOException, InterruptedException {
        Path out = dir.resolve("stdout-" + UUID.randomUUID());
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
        return Files.readAllBytes(out);
    }

    @ParameterizedTest
    @EnumSource(CompressionFormat.class)
    void reportsSizesCountsAndHeaders(CompressionFormat compression) throws IOException {
        List<byte[]> records = records(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ObjectEncoder encoder = ObjectEncoder.open(new ObjectFormat(compression, true), out, () -> ENTRY, CLOCK);
        for (byte[] record : records) {
            encoder.append(record);
        }
        encoder.close();
        assertThat(encoder.records()).isEqualTo(records.size());
        assertThat(encoder.uncompressedSize().bytes()).isEqualTo(concatenated(records, true).length);
        assertThat(encoder.encodedSize().bytes()).isEqualTo(out.size());
        assertThat(encoder.contentType()).isEqualTo("application/octet-stream");
        assertThat(encoder.contentEncoding())
                .isEqualTo(
                        switch (compression) {
                            case UNCOMPRESSED -> Optional.empty();
                            case GZIP -> Optional.of("gzip");
                            case ZIP -> Optional.of("zip");
                            case SNAPPY -> Optional.of("snappy-java");
                            case HADOOP_SNAPPY -> Optional.of("hadoop-snappy");
                        });
    }

    @Test
    void uncompressedIsTheRecordsByteForByte() throws IOException {
        List<byte[]> records = records(2);
        assertThat(encode(new ObjectFormat(CompressionFormat.UNCOMPRESSED, false), records))
                .isEqualTo(concatenated(records, false));
        assertThat(encode(new ObjectFormat(CompressionFormat.UNCOMPRESSED, true), records))
                .isEqualTo(concatenated(records, true));
    }

    @Test
    void gzipIsOneGzipStreamReadByTheJdkAndByGzip() throws Exception {
        List<byte[]> records = records(3);
        byte[] body = encode(new ObjectFormat(CompressionFormat.GZIP, true), records);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            assertThat(in.readAllBytes()).isEqualTo(concatenated(records, true));
        }
        ExternalCommand.assumeAvailable("gzip", "--version");
        Path file = write("body.gz", body);
        assertThat(stdoutOf("gzip", "-dc", file.toString())).isEqualTo(concatenated(records, true));
        assertThat(stdoutOf("gzip", "-l", file.toString())).isNotEmpty();
    }

    @Test
    void gzipHasExactlyOneMemberAndNothingAfterIt() throws Exception {
        List<byte[]> records = records(4);
        byte[] body = encode(new ObjectFormat(CompressionFormat.GZIP, false), records);
        assertThat(Byte.toUnsignedInt(body[0])).isEqualTo(0x1f);
        assertThat(Byte.toUnsignedInt(body[1])).isEqualTo(0x8b);
        assertThat(body[2]).as("deflate").isEqualTo((byte) 8);
        assertThat(body[3]).as("no optional header fields").isZero();
        Inflater inflater = new Inflater(true);
        inflater.setInput(body, 10, body.length - 10);
        byte[] buffer = new byte[64 * 1024];
        long inflated = 0;
        while (!inflater.finished()) {
            inflated += inflater.inflate(buffer);
        }
        assertThat(inflater.getRemaining()).as("CRC32 and ISIZE only").isEqualTo(8);
        inflater.end();
        int length = concatenated(records, false).length;
        assertThat(inflated).isEqualTo(length);
        assertThat(ByteBuffer.wrap(body, body.length - 4, 4)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .getInt())
                .isEqualTo(length);
    }

    @Test
    void gzipDeflatesAtTheChosenLevel() throws IOException {
        List<byte[]> records = records(6);
        byte[] body = encode(new ObjectFormat(CompressionFormat.GZIP, false), records);
        byte[] deflated = Arrays.copyOfRange(body, 10, body.length - 8);
        byte[] input = concatenated(records, false);
        assertThat(deflated).isEqualTo(rawDeflate(input, ObjectEncoder.DEFLATE_LEVEL));
        assertThat(deflated).isNotEqualTo(rawDeflate(input, Deflater.DEFAULT_COMPRESSION));
    }

    private static byte[] rawDeflate(byte[] input, int level) {
        Deflater deflater = new Deflater(level, true);
        deflater.setInput(input);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    @Test
    void zipHasOneDeflatedEntryNamedByAUuid() throws Exception {
        List<byte[]> records = records(5);
        byte[] body = encode(new ObjectFormat(CompressionFormat.ZIP, false), records);
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(body))) {
            ZipEntry entry = zip.getNextEntry();
            assertThat(entry).isNotNull();
            assertThat(entry.getName()).isEqualTo(ENTRY.toString());
            assertThat(entry.getMethod()).isEqualTo(ZipEntry.DEFLATED);
            assertThat(zip.readAllBytes()).isEqualTo(concatenated(records, false));
            assertThat(zip.getNextEntry()).isNull();
        }
        ExternalCommand.assumeAvailable("unzip", "-v");
        Path file = write("body.zip", body);
        assertThat(stdoutOf("unzip", "-p", file.toString())).isEqualTo(concatenated(records, false));
        assertThat(new String(stdoutOf("unzip", "-Z1", file.toString()), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(ENTRY + "\n");
        stdoutOf("unzip", "-tq", file.toString());
    }

    @Test
    void snappyIsSnappyJavasStreamFormat() throws IOException {
        List<byte[]> records = records(6);
        byte[] body = encode(new ObjectFormat(CompressionFormat.SNAPPY, true), records);
        assertThat(java.util.Arrays.copyOf(body, 16))
                .isEqualTo(new byte[] {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1});
        try (InputStream in = new SnappyInputStream(new ByteArrayInputStream(body))) {
            assertThat(in.readAllBytes()).isEqualTo(concatenated(records, true));
        }
        assertThat(decodeSnappyJavaBlocks(body)).isEqualTo(concatenated(records, true));
    }

    @Test
    void snappyBytesDependOnlyOnTheConcatenation() throws IOException {
        List<byte[]> records = records(7);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        try (SnappyOutputStream out = new SnappyOutputStream(whole)) {
            out.write(concatenated(records, false));
        }
        assertThat(encode(new ObjectFormat(CompressionFormat.SNAPPY, false), records))
                .isEqualTo(whole.toByteArray());
    }

    /** snappy-java's stream, read by hand: 16-byte header, then [BE compressed length][raw block]. */
    private static byte[] decodeSnappyJavaBlocks(byte[] body) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        in.skipNBytes(16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (in.available() > 0) {
            byte[] block = new byte[in.readInt()];
            in.readFully(block);
            out.writeBytes(Snappy.uncompress(block));
        }
        return out.toByteArray();
    }

    @Test
    void hadoopSnappyIsHadoopsBlockFormat() throws IOException {
        List<byte[]> records = records(8);
        byte[] body = encode(new ObjectFormat(CompressionFormat.HADOOP_SNAPPY, true), records);
        assertThat(decodeHadoopBlocks(body)).isEqualTo(concatenated(records, true));
        int firstBlockLength = ByteBuffer.wrap(body, 0, 4).getInt();
        assertThat(firstBlockLength).isEqualTo(32 * 1024);
    }

    /**
     * Hadoop's {@code BlockDecompressorStream} by hand: per block a BE uncompressed length, then
     * [BE compressed length][raw Snappy] chunks until that many bytes are out.
     */
    private static byte[] decodeHadoopBlocks(byte[] body) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int uncompressed;
            try {
                uncompressed = in.readInt();
            } catch (EOFException end) {
                return out.toByteArray();
            }
            int produced = 0;
            while (produced < uncompressed) {
                byte[] chunk = new byte[in.readInt()];
                in.readFully(chunk);
                byte[] plain = Snappy.uncompress(chunk);
                out.writeBytes(plain);
                produced += plain.length;
            }
            assertThat(produced).isEqualTo(uncompressed);
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionFormat.class)
    void emptyRecordsRoundTrip(CompressionFormat compression) throws Exception {
        List<byte[]> records = List.of(new byte[0], new byte[0], new byte[0]);
        byte[] plain = decode(compression, encode(new ObjectFormat(compression, true), records));
        assertThat(plain).isEqualTo(new byte[] {'\n', '\n', '\n'});
        assertThat(decode(compression, encode(new ObjectFormat(compression, false), records)))
                .isEmpty();
    }

    @ParameterizedTest
    @EnumSource(CompressionFormat.class)
    void largeRecordsRoundTrip(CompressionFormat compression) throws Exception {
        SplittableRandom random = new SplittableRandom(9);
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] record = new byte[1000 * 1024];
            random.nextBytes(record);
            records.add(record);
        }
        assertThat(decode(compression, encode(new ObjectFormat(compression, false), records)))
                .isEqualTo(concatenated(records, false));
    }

    @ParameterizedTest
    @EnumSource(CompressionFormat.class)
    void readOnlyBuffersEncodeExactlyAsArraysAcrossTheRecordBuffer(CompressionFormat compression) throws IOException {
        List<byte[]> records = records(7);
        ObjectFormat format = new ObjectFormat(compression, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectEncoder encoder = ObjectEncoder.open(format, out, () -> ENTRY, CLOCK)) {
            for (byte[] record : records) {
                encoder.append(ByteBuffer.wrap(record).asReadOnlyBuffer());
            }
        }
        assertThat(out.toByteArray()).isEqualTo(encode(format, records));
        assertThat(decode(compression, out.toByteArray())).isEqualTo(concatenated(records, true));
    }

    @Test
    void byteBuffersAppendTheirRemainingBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer direct = ByteBuffer.allocateDirect(20_000);
        for (int i = 0; i < 20_000; i++) {
            direct.put((byte) i);
        }
        direct.flip().position(3);
        ByteBuffer heap = ByteBuffer.wrap("xxhello".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 2, 5);
        try (ObjectEncoder encoder =
                ObjectEncoder.open(new ObjectFormat(CompressionFormat.UNCOMPRESSED, true), out, () -> ENTRY, CLOCK)) {
            encoder.append(direct);
            encoder.append(heap.slice());
            assertThat(direct.hasRemaining()).isFalse();
            assertThat(encoder.records()).isEqualTo(2);
            assertThat(encoder.uncompressedSize().bytes()).isEqualTo(19_997 + 1 + 5 + 1);
        }
        byte[] body = out.toByteArray();
        assertThat(body).hasSize(19_997 + 1 + 5 + 1);
        assertThat(body[0]).isEqualTo((byte) 3);
        assertThat(new String(body, 19_998, 6, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("hello\n");
    }

    @Test
    void appendAfterCloseFails() throws IOException {
        ObjectEncoder encoder = ObjectEncoder.open(
                new ObjectFormat(CompressionFormat.GZIP, false), new ByteArrayOutputStream(), () -> ENTRY, CLOCK);
        encoder.close();
        encoder.close();
        assertThatThrownBy(() -> encoder.append(new byte[1])).isInstanceOf(IOException.class);
    }

    /** Decodes with the independent JDK or snappy-java reader of each format. */
    static byte[] decode(CompressionFormat compression, byte[] body) throws IOException {
        return switch (compression) {
            case UNCOMPRESSED -> body;
            case GZIP -> {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    yield in.readAllBytes();
                }
            }
            case ZIP -> {
                try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(body))) {
                    assertThat(in.getNextEntry()).isNotNull();
                    byte[] plain = in.readAllBytes();
                    assertThat(in.getNextEntry()).isNull();
                    yield plain;
                }
            }
            case SNAPPY -> {
                try (InputStream in = new SnappyInputStream(new ByteArrayInputStream(body))) {
                    yield in.readAllBytes();
                }
            }
            case HADOOP_SNAPPY -> decodeHadoopBlocks(body);
        };
    }
}
