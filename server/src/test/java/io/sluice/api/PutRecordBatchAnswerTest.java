package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PutRecordBatchAnswerTest {
    private static final String UID = "6f1c0b9e-3d2a-4c8f-9b7e-0a1d2c3e4f50";

    @Test
    void writesWhatAJsonGeneratorWrites() throws IOException {
        assertSame(500, 500, false, 0);
        assertSame(500, 497, true, 123_456_789L);
        assertSame(3, 0, false, 7);
        assertSame(1, 1, false, Long.MAX_VALUE);
    }

    @Test
    void idsAreTheUidAndOffsetInBase64urlAcrossAChangeOfTheHighBytes() {
        long first = (1L << 48) - 2;
        String answer = new String(PutRecordBatchAnswer.write(UID, 4, 4, false, first), StandardCharsets.US_ASCII);
        for (int i = 0; i < 4; i++) {
            assertThat(answer).contains("\"" + reference(first + i) + "\"");
        }
        assertThat(PutRecordBatchAnswer.id(UID, 42)).isEqualTo(reference(42));
        assertThat(PutRecordBatchAnswer.id(UID, -1)).isEqualTo(reference(-1));
    }

    private static void assertSame(int count, int admitted, boolean encrypted, long firstOffset) throws IOException {
        assertThat(new String(
                        PutRecordBatchAnswer.write(UID, count, admitted, encrypted, firstOffset),
                        StandardCharsets.US_ASCII))
                .isEqualTo(generated(count, admitted, encrypted, firstOffset));
    }

    /** The answer as a Jackson generator writes it, the ids encoded by the JDK. */
    private static String generated(int count, int admitted, boolean encrypted, long firstOffset) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = new JsonFactory().createGenerator(out)) {
            generator.writeStartObject();
            generator.writeNumberField("FailedPutCount", count - admitted);
            generator.writeBooleanField("Encrypted", encrypted);
            generator.writeArrayFieldStart("RequestResponses");
            for (int i = 0; i < count; i++) {
                generator.writeStartObject();
                if (i < admitted) {
                    generator.writeStringField("RecordId", reference(firstOffset + i));
                } else {
                    generator.writeStringField("ErrorCode", "ServiceUnavailableException");
                    generator.writeStringField("ErrorMessage", "Slow down.");
                }
                generator.writeEndObject();
            }
            generator.writeEndArray();
            generator.writeEndObject();
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static String reference(long offset) {
        UUID uid = UUID.fromString(UID);
        byte[] raw = ByteBuffer.allocate(24)
                .putLong(uid.getMostSignificantBits())
                .putLong(uid.getLeastSignificantBits())
                .putLong(offset)
                .array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
