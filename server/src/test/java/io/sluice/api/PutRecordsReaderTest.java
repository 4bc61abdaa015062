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
import java.util.ArrayList;
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

    /** Every place a closing quote can fall in the scanner's 32- and 8-byte steps, at every alignment. */
    @Test
    void recordsOfEveryLengthAreFoundWhereverTheirClosingQuoteFalls() {
        SplittableRandom random = new SplittableRandom(32);
        for (int pad = 0; pad < 8; pad++) {
            List<byte[]> data = new ArrayList<>();
            StringBuilder json = new StringBuilder(" ".repeat(pad) + "{\"DeliveryStreamName\":\"s\",\"Records\":[");
            for (int length = 0; length <= 120; length++) {
                byte[] record = new byte[length];
                random.nextBytes(record);
                data.add(record);
                json.append(length == 0 ? "" : ",")
                        .append("{\"Data\":\"")
                        .append(Base64.getEncoder().encodeToString(record))
                        .append("\"}");
            }
            RequestBody body = body(json.append("]}").toString());

            assertThat(PutRecordsScanner.scan(body, true)).isNotNull();
            assertThat(reader.read(true, body).records())
                    .map(PutRecordsReaderTest::bytes)
                    .containsExactlyElementsOf(data);
        }
    }

    @Test
    void aStringThatRunsToTheEndOfTheBodyIsNotRecognisedWhateverFollowsInTheArray() {
        String json = "{\"DeliveryStreamName\":\"s\",\"Record\":{\"Data\":\"" + "QUJD".repeat(20);
        byte[] text = json.getBytes(UTF_8);
        byte[] array = Arrays.copyOf(text, text.length + 64);
        Arrays.fill(array, text.length, array.length, (byte) '"');

        assertThat(PutRecordsScanner.scan(new RequestBody(array, text.length), false))
                .isNull();
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

    /**
     * Bodies near the shape the scanner recognises, and many ways off it: the fast path must give exactly
     * what the validator's path gives (the same records, or the same error), whichever path answers.
     */
    @Test
    void fastPathAnswersAsTheValidatorDoesForGeneratedBodies() {
        SplittableRandom random = new SplittableRandom(16);
        int recognised = 0;
        for (int n = 0; n < 3000; n++) {
            boolean batch = random.nextBoolean();
            String json = generatedBody(random, batch);
            RequestBody body = body(json);
            Object fast = outcome(() -> reader.read(batch, body));
            Object validated = outcome(() -> reader.validatedRead(batch, body));
            assertThat(fast).as("batch %s, body %s", batch, json).isEqualTo(validated);
            if (PutRecordsScanner.scan(body, batch) != null) {
                recognised++;
            }
        }
        assertThat(recognised).as("bodies the scanner recognised").isBetween(300, 2700);
    }

    private static Object outcome(java.util.function.Supplier<PutRecords> read) {
        try {
            PutRecords put = read.get();
            return List.of(
                    put.streamName(),
                    put.totalBytes(),
                    put.records().stream()
                            .map(PutRecordsReaderTest::bytes)
                            .map(Arrays::toString)
                            .toList());
        } catch (FirehoseException e) {
            return e.code() + ": " + e.getMessage();
        }
    }

    private static String generatedBody(SplittableRandom random, boolean batch) {
        int flaw = random.nextInt(24);
        List<String> records = new java.util.ArrayList<>();
        int count = flaw == 0 ? 0 : 1 + random.nextInt(4);
        for (int r = 0; r < count; r++) {
            byte[] data = new byte[random.nextInt(7)];
            random.nextBytes(data);
            String text = Base64.getEncoder().encodeToString(data);
            text = switch (flaw) {
                case 1 -> text.replace("/", "\\/");
                case 2 -> text + "A";
                case 3 -> text.isEmpty() ? "=" : text.substring(1);
                case 4 -> text.replace("=", "");
                case 5 -> text.endsWith("==") ? text.substring(0, text.length() - 3) + "B==" : text;
                case 6 -> text.replace('+', '-');
                default -> text;
            };
            String value = flaw == 7 ? "null" : flaw == 8 ? "12" : "\"" + text + "\"";
            String extra = flaw == 9 ? ws(random) + "," + ws(random) + "\"Extra\":[1,{\"x\":2}]" : "";
            String dataKey = flaw == 10 ? "\"D\\u0061ta\"" : "\"Data\"";
            records.add("{" + ws(random) + dataKey + ws(random) + ":" + ws(random) + value + extra + ws(random) + "}");
        }
        String name = switch (flaw) {
            case 11 -> "\"a\\u0062\"";
            case 12 -> "\"bad name\"";
            case 13 -> "\"\"";
            case 14 -> "7";
            default -> "\"s-" + random.nextInt(3) + "\"";
        };
        String recordsKey =
                flaw == 15 ? (batch ? "\"Record\"" : "\"Records\"") : (batch ? "\"Records\"" : "\"Record\"");
        String recordsValue = batch
                ? "[" + ws(random) + String.join(ws(random) + "," + ws(random), records) + ws(random) + "]"
                : records.isEmpty() ? "{}" : records.get(0);
        List<String> members = new java.util.ArrayList<>(List.of(
                "\"DeliveryStreamName\"" + ws(random) + ":" + ws(random) + name,
                recordsKey + ws(random) + ":" + ws(random) + recordsValue));
        if (flaw == 16) {
            members.add("\"DeliveryStreamName\":\"other\"");
        }
        if (flaw == 17) {
            members.add("\"Other\":null");
        }
        if (random.nextBoolean()) {
            java.util.Collections.reverse(members);
        }
        String json = ws(random) + "{" + ws(random) + String.join(ws(random) + "," + ws(random), members) + ws(random)
                + "}" + ws(random);
        return switch (flaw) {
            case 18 -> json + "x";
            case 19 -> json.substring(0, random.nextInt(json.length()));
            case 20 -> json.replace("}", "]");
            case 21 -> "[" + json + "]";
            default -> json;
        };
    }

    private static String ws(SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0 -> " ";
            case 1 -> "\n\t ";
            case 2 -> "\r\n";
            default -> "";
        };
    }
}
