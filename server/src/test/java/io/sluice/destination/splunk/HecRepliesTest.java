package io.sluice.destination.splunk;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.destination.http.HttpEndpointTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HEC's answers, as Splunk documents them, named by Firehose's {@code Splunk.*} error codes. */
class HecRepliesTest {
    private static byte[] json(String text) {
        return text.getBytes(UTF_8);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "403 | {\"text\":\"Token disabled\",\"code\":1}                 | Splunk.DisabledToken",
                "401 | {\"text\":\"Token is required\",\"code\":2}              | Splunk.InvalidToken",
                "401 | {\"text\":\"Invalid authorization\",\"code\":3}          | Splunk.InvalidToken",
                "403 | {\"text\":\"Invalid token\",\"code\":4}                  | Splunk.InvalidToken",
                "400 | {\"text\":\"No data\",\"code\":5}                        | Splunk.InvalidDataFormat",
                "400 | {\"text\":\"Invalid data format\",\"code\":6,\"invalid-event-number\":3} | Splunk.InvalidDataFormat",
                "400 | {\"text\":\"Incorrect index\",\"code\":7}                | Splunk.InvalidIndex",
                "500 | {\"text\":\"Internal server error\",\"code\":8}          | Splunk.ServerError",
                "503 | {\"text\":\"Server is busy\",\"code\":9}                 | Splunk.ServerError",
                "400 | {\"text\":\"Data channel is missing\",\"code\":10}       | Splunk.ProxyWithoutStickySessions",
                "400 | {\"text\":\"Invalid data channel\",\"code\":11}         | Splunk.ProxyWithoutStickySessions",
                "400 | {\"text\":\"Event field is required\",\"code\":12}      | Splunk.InvalidDataFormat",
                "400 | {\"text\":\"Event field cannot be blank\",\"code\":13}  | Splunk.InvalidDataFormat",
                "400 | {\"text\":\"ACK is disabled\",\"code\":14}              | Splunk.DisabledAck",
                "503 | {\"text\":\"HEC is unhealthy, queues are full\",\"code\":18} | Splunk.ServerError",
                "404 | <html>Not Found</html>                                  | Splunk.InvalidEndpoint",
                "403 | forbidden                                               | Splunk.InvalidToken",
                "502 | Bad Gateway                                             | Splunk.ServerError",
            })
    void namesEachAnswerAsFirehoseDoesAndQuotesIt(int status, String answer, String errorCode) {
        var failure = HecReplies.failure(status, json(answer));
        assertThat(failure.errorCode()).isEqualTo(errorCode);
        assertThat(failure.message()).contains("status " + status).contains(answer);
    }

    @Test
    void readsTheAckIdOfASuccessAndNoneWithoutAcknowledgement() {
        assertThat(HecReplies.ackId(json("{\"text\":\"Success\",\"code\":0,\"ackId\":7}")))
                .hasValue(7);
        assertThat(HecReplies.ackId(json("{\"text\":\"Success\",\"code\":0}"))).isEmpty();
        assertThat(HecReplies.ackId(json("{\"ackId\":\"7\"}"))).isEmpty();
        assertThat(HecReplies.ackId(json("not json"))).isEmpty();
        assertThat(HecReplies.ackId(new byte[0])).isEmpty();
    }

    @Test
    void readsWhetherAnIdIsAcknowledged() {
        assertThat(HecReplies.acknowledged(json("{\"acks\":{\"7\":true,\"8\":false}}"), 7))
                .isTrue();
        assertThat(HecReplies.acknowledged(json("{\"acks\":{\"7\":true,\"8\":false}}"), 8))
                .isFalse();
        assertThat(HecReplies.acknowledged(json("{\"acks\":{}}"), 7)).isFalse();
        assertThat(HecReplies.acknowledged(json("{\"acks\":{\"7\":\"yes\"}}"), 7))
                .isFalse();
        assertThat(HecReplies.acknowledged(json("<html/>"), 7)).isFalse();
    }

    @Test
    void namesConnectionFailuresAsFirehoseDoesForSplunk() {
        assertThat(HecReplies.unanswered(new HttpEndpointTransport.Failure("ConnectionFailed", "refused"))
                        .errorCode())
                .isEqualTo("Splunk.InvalidEndpoint");
        assertThat(HecReplies.unanswered(new HttpEndpointTransport.Failure("RequestTimeout", "slow"))
                        .errorCode())
                .isEqualTo("Splunk.ConnectionTimeout");
        assertThat(HecReplies.unanswered(new HttpEndpointTransport.Failure("SSLHandshakeFailure", "tls"))
                        .errorCode())
                .isEqualTo("Splunk.SSLHandshake");
        assertThat(HecReplies.unanswered(new HttpEndpointTransport.Failure("ConnectionReset", "reset"))
                        .errorCode())
                .isEqualTo("Splunk.ConnectionClosed");
    }

    @Test
    void anAnswerWithoutAckIdOrAnAckThatNeverComesAreRetriedWithAwsCodes() {
        assertThat(HecReplies.acknowledgementDisabled(json("{\"text\":\"Success\",\"code\":0}"))
                        .errorCode())
                .isEqualTo("Splunk.DisabledAck");
        assertThat(HecReplies.acknowledgementTimeout().errorCode()).isEqualTo("Splunk.AckTimeout");
        assertThat(HecReplies.acknowledgementTimeout().message())
                .startsWith("Did not receive an acknowledgement from HEC before the HEC acknowledgement timeout"
                        + " expired.");
    }
}
