package io.sluice.processor;

import static io.sluice.testing.CloudWatchLogsPayloads.gzip;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.DataSize;
import io.sluice.common.FirehoseException;
import io.sluice.testing.RecordingSink;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class DecompressionTest {
    private static RecordingSink run(Decompression processor, byte[]... records) throws Exception {
        RecordingSink sink = new RecordingSink();
        ProcessorChain chain = ProcessorChain.of(List.of(processor));
        for (int i = 0; i < records.length; i++) {
            chain.accept(ProcessorRecord.source(i, 0, ByteBuffer.wrap(records[i])), sink);
        }
        chain.flush(sink);
        return sink;
    }

    private static RecordingSink run(byte[]... records) throws Exception {
        return run(new Decompression(Decompression.DEFAULT_LIMIT), records);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            bytes.writeBytes(part);
        }
        return bytes.toByteArray();
    }

    @Test
    void gunzipsEachRecordJoiningConcatenatedMembers() throws Exception {
        byte[] large = new byte[300_000];
        new java.util.Random(7).nextBytes(large);
        RecordingSink sink = run(
                gzip("hello".getBytes(UTF_8)),
                concat(gzip("one,".getBytes(UTF_8)), gzip(new byte[0]), gzip("two".getBytes(UTF_8))),
                gzip(large),
                gzip(new byte[0]));
        assertThat(sink.failed()).isEmpty();
        assertThat(sink.passed()).hasSize(4);
        assertThat(sink.texts().subList(0, 2)).containsExactly("hello", "one,two");
        assertThat(sink.passed().get(2).data()).isEqualTo(large);
        assertThat(sink.passed().get(3).data()).isEmpty();
        assertThat(sink.passed()).extracting(RecordingSink.Passed::subsequence).containsOnly(0);
    }

    @Test
    void readsHeadersWithEveryOptionalField() throws Exception {
        byte[] plain = gzip("body".getBytes(UTF_8));
        // FEXTRA (2 bytes), FNAME, FCOMMENT and FHCRC set; the deflate data and trailer as gzip wrote them
        byte[] header = {0x1f, (byte) 0x8b, 8, 0x1e, 0, 0, 0, 0, 0, (byte) 0xff, 2, 0, 'x', 'y', 'n', 0, 'c', 0, 0, 0};
        byte[] full = concat(header, Arrays.copyOfRange(plain, 10, plain.length));
        assertThat(run(full).texts()).containsExactly("body");
    }

    @Test
    void failsWhatIsNotWholeGzipWithTheRecordAsReceived() throws Exception {
        byte[] good = gzip("some log data, long enough to compress".repeat(20).getBytes(UTF_8));
        byte[] corrupt = good.clone();
        corrupt[20] ^= 0x55;
        byte[] badCrc = good.clone();
        badCrc[good.length - 8] ^= 1;
        List<byte[]> bad = List.of(
                new byte[0],
                "{\"not\":\"gzip\"}".getBytes(UTF_8),
                Arrays.copyOf(good, 5),
                Arrays.copyOf(good, good.length / 2),
                Arrays.copyOf(good, good.length - 3),
                corrupt,
                badCrc,
                concat(good, "trailing".getBytes(UTF_8)),
                concat(good, new byte[] {0x1f, (byte) 0x8b}));
        RecordingSink sink = run(bad.toArray(byte[][]::new));
        assertThat(sink.passed()).isEmpty();
        assertThat(sink.failed()).hasSize(bad.size());
        for (int i = 0; i < bad.size(); i++) {
            RecordingSink.Failed failed = sink.failed().get(i);
            assertThat(failed.position()).isEqualTo(i);
            assertThat(failed.data()).isEqualTo(bad.get(i));
            assertThat(failed.failure().errorOutputType()).isEqualTo("decompression-failed");
            assertThat(failed.failure().errorCode()).isEqualTo(Decompression.INVALID_DATA);
            assertThat(failed.failure().attemptsMade()).isEqualTo(1);
            assertThat(failed.failure().trailingMembers()).isEmpty();
        }
        assertThat(sink.failed())
                .extracting(f -> f.failure().errorMessage())
                .startsWith(
                        "The record is empty, not gzip.",
                        "The record is not gzip: it does not start with the gzip magic bytes 1f 8b.",
                        "The gzip data is truncated in a member's header.",
                        "The gzip data is truncated.",
                        "The gzip data is truncated in a member's trailer.");
        assertThat(sink.failed().get(6).failure().errorMessage())
                .isEqualTo("The gzip data is corrupt: its CRC-32 or length does not match its trailer.");
    }

    @Test
    void refusesARecordThatInflatesBeyondTheLimit() throws Exception {
        byte[] bomb = gzip(new byte[11 * 1024 * 1024]);
        assertThat(bomb.length).isLessThan(20_000);
        RecordingSink sink = run(bomb, gzip("after".getBytes(UTF_8)));
        assertThat(sink.failed()).singleElement().satisfies(f -> {
            assertThat(f.data()).isEqualTo(bomb);
            assertThat(f.failure().errorCode()).isEqualTo(Decompression.TOO_LARGE);
            assertThat(f.failure().errorMessage())
                    .isEqualTo("The record decompresses to more than 10485760 bytes, the limit.");
        });
        assertThat(sink.texts()).containsExactly("after");

        Decompression small = new Decompression(DataSize.ofBytes(10));
        RecordingSink edges = run(
                small,
                gzip("0123456789".getBytes(UTF_8)),
                gzip("0123456789a".getBytes(UTF_8)),
                concat(gzip("01234".getBytes(UTF_8)), gzip("567890".getBytes(UTF_8))));
        assertThat(edges.texts()).containsExactly("0123456789");
        assertThat(edges.failed())
                .extracting(f -> f.failure().errorCode())
                .containsExactly(Decompression.TOO_LARGE, Decompression.TOO_LARGE);
    }

    @Test
    void takesOnlyGzip() {
        assertThatCode(() ->
                        Decompression.check(new ProcessorSpec("Decompression", Map.of("CompressionFormat", "GZIP"))))
                .doesNotThrowAnyException();
        assertThatCode(() -> Decompression.check(new ProcessorSpec("Decompression", Map.of())))
                .doesNotThrowAnyException();
        assertThatThrownBy(() ->
                        Decompression.check(new ProcessorSpec("Decompression", Map.of("CompressionFormat", "ZIP"))))
                .isInstanceOf(FirehoseException.class)
                .hasMessage("Processor parameter CompressionFormat of processor type Decompression must be GZIP: ZIP");
        assertThatThrownBy(() -> Decompression.check(new ProcessorSpec("Decompression", Map.of("Delimiter", "Cg=="))))
                .isInstanceOf(FirehoseException.class)
                .hasMessage("Processor parameter Delimiter is not supported for processor type Decompression; the"
                        + " supported parameters are CompressionFormat.");
    }

    @Test
    void streamsWrittenByTheJdkRoundTrip() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes, 512, true)) {
            for (int i = 0; i < 1000; i++) {
                gzip.write(("line " + i + "\n").getBytes(UTF_8));
                if (i % 100 == 0) {
                    gzip.flush();
                }
            }
        }
        assertThat(run(bytes.toByteArray()).texts())
                .singleElement()
                .satisfies(text -> assertThat(text.lines()).hasSize(1000));
    }
}
