package io.sluice.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutcomeTest {
    @Test
    void aCompactBatchAnswerWithNoFailuresIsOk() {
        String body =
                "{\"FailedPutCount\":0,\"Encrypted\":false,\"RequestResponses\":[{\"RecordId\":\"a\"},{\"RecordId\":\"b\"}]}";

        assertThat(Outcome.of(response(200, body), PutOperation.PUT_RECORD_BATCH, 2))
                .isEqualTo(new Outcome.Ok(2));
    }

    @Test
    void motosSpacedJsonIsReadToo() {
        String body = "{\"FailedPutCount\": 0, \"Encrypted\": false, \"RequestResponses\": [{\"RecordId\": \"x\"}]}";

        assertThat(Outcome.of(response(200, body), PutOperation.PUT_RECORD_BATCH, 1))
                .isEqualTo(new Outcome.Ok(1));
    }

    @Test
    void aBatchWithFailedRecordsIsPartialNotOk() {
        String body = "{\"Encrypted\":false,\"RequestResponses\":[{\"RecordId\":\"a\"},{\"ErrorCode\":"
                + "\"ServiceUnavailableException\",\"ErrorMessage\":\"Slow down.\"}],\"FailedPutCount\":1}";

        assertThat(Outcome.of(response(200, body), PutOperation.PUT_RECORD_BATCH, 2))
                .isEqualTo(new Outcome.Partial(1, 1));
    }

    @Test
    void aBatchAnswerWithoutFailedPutCountIsAnError() {
        assertThat(Outcome.of(response(200, "{}"), PutOperation.PUT_RECORD_BATCH, 3))
                .isEqualTo(new Outcome.Failed("HTTP 200 without a valid FailedPutCount", 3));
    }

    @Test
    void aPutRecordAnswerIsOkOnHttp200() {
        assertThat(Outcome.of(response(200, "{\"RecordId\":\"r\",\"Encrypted\":false}"), PutOperation.PUT_RECORD, 1))
                .isEqualTo(new Outcome.Ok(1));
    }

    @Test
    void errorsAreKeyedByStatusAndBareAwsType() {
        String sluice = "{\"__type\":\"ServiceUnavailableException\",\"message\":\"Slow down.\"}";
        String prefixed = "{\"__type\":\"com.amazon.coral.service#ResourceNotFoundException\",\"message\":\"x\"}";

        assertThat(Outcome.of(response(503, sluice), PutOperation.PUT_RECORD_BATCH, 500))
                .isEqualTo(new Outcome.Failed("HTTP 503 ServiceUnavailableException", 500));
        assertThat(Outcome.of(response(400, prefixed), PutOperation.PUT_RECORD, 1))
                .isEqualTo(new Outcome.Failed("HTTP 400 ResourceNotFoundException", 1));
    }

    @Test
    void theErrorTypeHeaderServesWhenTheBodyHasNone() {
        HttpResponse answer = new HttpResponse(
                400, new byte[0], 0, 0, false, Optional.of("ValidationException:http://internal.amazon.com/"));

        assertThat(Outcome.of(answer, PutOperation.PUT_RECORD, 1))
                .isEqualTo(new Outcome.Failed("HTTP 400 ValidationException", 1));
    }

    @Test
    void anUntypedErrorIsKeyedByItsStatusAlone() {
        assertThat(Outcome.of(response(500, "<html>Internal Server Error</html>"), PutOperation.PUT_RECORD_BATCH, 5))
                .isEqualTo(new Outcome.Failed("HTTP 500", 5));
    }

    @Test
    void jsonFieldsFindsAValueInsideTheGivenRangeOnly() {
        byte[] bytes = "xx{\"FailedPutCount\" :\n 12}{\"FailedPutCount\":7}".getBytes(UTF_8);

        assertThat(JsonFields.number(bytes, 2, 25, "FailedPutCount")).hasValue(12);
        assertThat(JsonFields.number(bytes, 27, bytes.length - 27, "FailedPutCount"))
                .hasValue(7);
        assertThat(JsonFields.string(bytes, 0, bytes.length, "__type")).isEmpty();
    }

    private static HttpResponse response(int status, String body) {
        byte[] bytes = ("padding" + body).getBytes(UTF_8);
        return new HttpResponse(status, bytes, 7, bytes.length - 7, false, Optional.empty());
    }
}
