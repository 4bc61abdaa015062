package io.sluice.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The aggregate format built here with protobuf's writer, field by field as the KPL's {@code
 * messages.proto} declares it; {@code KinesisSourceIT} de-aggregates records that AWS's own aggregation
 * library made.
 */
class KplAggregatesTest {
    private static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};

    @Test
    void splitsAnAggregateIntoItsRecordsWithTheirPartitionKeys() throws Exception {
        byte[] message = aggregate(List.of("key-a", "key-b"), new long[] {1, 0, 1}, "one", "two", "three");

        List<KplAggregates.UserRecord> records = KplAggregates.deaggregate(ByteBuffer.wrap(framed(message)), "outer");

        assertThat(records)
                .extracting(KplAggregates.UserRecord::partitionKey)
                .containsExactly("key-b", "key-a", "key-b");
        assertThat(records).extracting(r -> text(r.data())).containsExactly("one", "two", "three");
    }

    @Test
    void passesThroughARecordThatIsNoAggregate() {
        ByteBuffer plain = ByteBuffer.wrap("just a record".getBytes(StandardCharsets.UTF_8));

        List<KplAggregates.UserRecord> records = KplAggregates.deaggregate(plain, "pk");

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.partitionKey()).isEqualTo("pk");
            assertThat(text(r.data())).isEqualTo("just a record");
        });
    }

    @Test
    void passesThroughAnAggregateWhoseDigestIsWrong() throws Exception {
        byte[] framed = framed(aggregate(List.of("k"), new long[] {0}, "x"));
        framed[framed.length - 1] ^= 1;

        assertThat(KplAggregates.deaggregate(ByteBuffer.wrap(framed), "pk"))
                .singleElement()
                .satisfies(r -> assertThat(r.data()).isEqualTo(ByteBuffer.wrap(framed)));
    }

    @Test
    void passesThroughAnAggregateNamingAPartitionKeyTheTableLacks() throws Exception {
        byte[] framed = framed(aggregate(List.of("k"), new long[] {3}, "x"));

        assertThat(KplAggregates.deaggregate(ByteBuffer.wrap(framed), "pk"))
                .singleElement()
                .satisfies(r -> assertThat(r.partitionKey()).isEqualTo("pk"));
    }

    @Test
    void passesThroughAnAggregateWhoseProtobufIsTruncated() throws Exception {
        byte[] message = aggregate(List.of("k"), new long[] {0}, "some data");
        byte[] truncated = java.util.Arrays.copyOf(message, message.length - 3);

        assertThat(KplAggregates.deaggregate(ByteBuffer.wrap(framed(truncated)), "pk"))
                .singleElement()
                .satisfies(r -> assertThat(r.data().remaining()).isEqualTo(framed(truncated).length));
    }

    @Test
    void readsOnlyTheBufferBetweenPositionAndLimit() throws Exception {
        byte[] framed = framed(aggregate(List.of("k"), new long[] {0}, "inside"));
        ByteBuffer padded = ByteBuffer.allocate(framed.length + 10);
        padded.position(5);
        padded.put(framed);
        padded.position(5).limit(5 + framed.length);

        assertThat(KplAggregates.deaggregate(padded, "pk"))
                .extracting(r -> text(r.data()))
                .containsExactly("inside");
        assertThat(padded.position()).isEqualTo(5);
    }

    private static byte[] aggregate(List<String> keys, long[] keyIndexes, String... data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (String key : keys) {
            out.writeString(1, key);
        }
        for (int i = 0; i < data.length; i++) {
            ByteArrayOutputStream recordBytes = new ByteArrayOutputStream();
            CodedOutputStream record = CodedOutputStream.newInstance(recordBytes);
            record.writeUInt64(1, keyIndexes[i]);
            record.writeBytes(3, com.google.protobuf.ByteString.copyFromUtf8(data[i]));
            record.flush();
            out.writeByteArray(3, recordBytes.toByteArray());
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] framed(byte[] message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(MAGIC);
        out.write(message);
        out.write(MessageDigest.getInstance("MD5").digest(message));
        return out.toByteArray();
    }

    private static String text(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
