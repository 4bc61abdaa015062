package io.sluice.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.PutRecordsReader.PutRecords;
import io.sluice.api.model.ServiceModel;
import io.sluice.common.DataSize;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PutRecordsReaderTest {
    private final PutRecordsReader reader =
            new PutRecordsReader(ServiceModel.firehose(), ApiJson.mapper(DataSize.ofMebibytes(8)));

    /**
     * {@code json} at the start of a longer array, as a reused one is: bytes past the body's length are
     * garbage that must not be read.
     */
    private static RequestBody body(String json) {
        byte[] text = json.getBytes(UTF_8);
        byte[] array = Arrays.copyOf(text, text.length + 64);
        Arrays.fill(array, text.length, array.length, (byte) '}');
        return new RequestBody(array, text.length);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    @Test
    void strictDecoderAgreesWithTheJdkOnEveryLength() {
        SplittableRandom random = new SplittableRandom(7);
        for (int length = 0; length < 200; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            byte[] text = ("xx" + Base64.getEncoder().encodeToString(data) + "yy").getBytes(UTF_8);
            assertThat(bytes(PutRecordsReader.decode(text, 2, text.length - 4))).isEqualTo(data);
        }
    }

    @Test
    void strictDecoderLeavesDoubtfulTextToTheValidator() {
        for (String text : List.of("abc", "ab=c", "a===", "ab c", "YQ==YQ==", "YR==", "YWJ=", "ab\ncd", "é==")) {
            byte[] bytes = text.getBytes(UTF_8);
            assertThat(PutRecordsReader.decode(bytes, 0, bytes.length)).as(text).isNull();
        }
    }

    @Test
    void escapedBase64IsLeftToTheValidator() {
        PutRecords put =
                reader.read(true, body("{\"DeliveryStreamName\":\"s\",\"Records\":[{\"Data\":\"YWJj\\/w==\"}]}"));
        assertThat(put.records()).extracting(PutRecordsReaderTest::bytes).containsExactly(new byte[] {'a', 'b', 'c', -1
        });
    }

    @Test
    void readsBatchesWithUnknownMembersInAnyOrder() {
        PutRecords put = reader.read(
                true,
                body(
                        "{\"Records\":[{\"Data\":\"YQ==\",\"Extra\":[1,{\"x\":2}]},{\"Data\":\"\"}],\"Other\":null,\"DeliveryStreamName\":\"s\"}"));
        assertThat(put.streamName()).isEqualTo("s");
        assertThat(put.records())
                .extracting(PutRecordsReaderTest::bytes)
                .containsExactly("a".getBytes(UTF_8), new byte[0]);
        assertThat(put.totalBytes()).isEqualTo(1);
    }

    @Test
    void doubtfulBodiesGetTheValidatorsErrors() {
        assertError(
                "{\"DeliveryStreamName\":\"s\",\"Records\":[{\"Data\":\"abc\"}]}",
                ErrorCode.SERIALIZATION,
                "Base64 encoded length is expected a multiple of 4 bytes but found: 3");
        assertError(
                "{\"DeliveryStreamName\":\"s\",\"Records\":[]}",
                ErrorCode.VALIDATION,
                "Member must have length greater than or equal to 1");
        assertError("{\"DeliveryStreamName\":\"s\",\"Records\":[null]}", ErrorCode.VALIDATION, "records.1.member");
        assertError(
                "{\"Records\":[{\"Data\":\"YQ==\"}]}",
                ErrorCode.VALIDATION,
                "Value null at 'deliveryStreamName' failed to satisfy constraint: Member must not be null");
        assertError("{\"DeliveryStreamName\":\"s\",\"Records\":{}}", ErrorCode.SERIALIZATION, "");
        assertError("{\"DeliveryStreamName\":\"s\",\"Records\":[{\"Data\":\"YQ==\"}]} x", ErrorCode.SERIALIZATION, "");
        assertError("[]", ErrorCode.SERIALIZATION, "");
    }

    private void assertError(String body, ErrorCode code, String message) {
        assertThatThrownBy(() -> reader.read(true, body(body)))
                .isInstanceOfSatisfying(
                        FirehoseException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContaining(message);
    }
}
