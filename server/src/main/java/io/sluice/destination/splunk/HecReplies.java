package io.sluice.destination.splunk;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.destination.DeliveryOutcome;
import io.sluice.destination.http.HttpEndpointTransport;
import java.io.IOException;
import java.util.OptionalLong;

/**
 * What the HTTP Event Collector's answers mean (delivery spec §10.3, §10.6). HEC answers JSON such as
 * {@code {"text":"Success","code":0,"ackId":7}} or {@code {"text":"Invalid token","code":4}}; its status
 * codes are Splunk's published ones. Every failure is retried for the stream's retry duration (§10.5:
 * "any error triggers a retry"), named by Firehose's {@code Splunk.*} error codes.
 */
final class HecReplies {
    /** The longest answer read, and quoted in error documents. */
    static final int MAX_ANSWER_BYTES = 8192;

    static final String ACK_TIMEOUT_MESSAGE = "Did not receive an acknowledgement from HEC before the HEC"
            + " acknowledgement timeout expired. Despite the acknowledgement timeout, it's possible the data was"
            + " indexed successfully in Splunk. Kinesis Firehose backs up in Amazon S3 data for which the"
            + " acknowledgement timeout expired.";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HecReplies() {}

    /** The {@code ackId} of a 200 answer to a request; empty when HEC gave none (acknowledgement off). */
    static OptionalLong ackId(byte[] answer) {
        JsonNode ackId = json(answer).path("ackId");
        return ackId.isIntegralNumber() && ackId.asLong() >= 0 ? OptionalLong.of(ackId.asLong()) : OptionalLong.empty();
    }

    /** Whether a 200 answer to an ack query reports {@code ackId} indexed. */
    static boolean acknowledged(byte[] answer, long ackId) {
        return json(answer).path("acks").path(Long.toString(ackId)).asBoolean(false);
    }

    /** The retry a request answered {@code status} and {@code answer} (not a success) calls for. */
    static DeliveryOutcome.Retry failure(int status, byte[] answer) {
        JsonNode code = json(answer).path("code");
        String errorCode = code.isIntegralNumber() ? byCode(code.asInt(), status) : byStatus(status);
        return new DeliveryOutcome.Retry(
                errorCode, "The Splunk HEC endpoint answered with status " + status + ". Response: " + quote(answer));
    }

    /** A 200 without an {@code ackId}: the token does not acknowledge, and Firehose requires it (§10.3). */
    static DeliveryOutcome.Retry acknowledgementDisabled(byte[] answer) {
        return new DeliveryOutcome.Retry(
                "Splunk.DisabledAck",
                "The HEC token does not have indexer acknowledgement enabled; enable it for the token. Response: "
                        + quote(answer));
    }

    static DeliveryOutcome.Retry acknowledgementTimeout() {
        return new DeliveryOutcome.Retry("Splunk.AckTimeout", ACK_TIMEOUT_MESSAGE);
    }

    /** A request or ack query that got no answer, named as Firehose names Splunk's connection failures. */
    static DeliveryOutcome.Retry unanswered(HttpEndpointTransport.Failure failure) {
        String errorCode = switch (failure.name()) {
            case "RequestTimeout" -> "Splunk.ConnectionTimeout";
            case "SSLHandshakeFailure" -> "Splunk.SSLHandshake";
            case "ConnectionFailed" -> "Splunk.InvalidEndpoint";
            default -> "Splunk.ConnectionClosed";
        };
        return new DeliveryOutcome.Retry(errorCode, failure.message());
    }

    /**
     * HEC's status codes: 1 token disabled; 2, 3, 4 and 16 no, a malformed or an unknown token, or
     * query-string authentication off; 5, 6, 12, 13 and 15 no data, or data not in the endpoint's format;
     * 7 an index the token may not write; 10 and 11 a missing or unknown channel, which behind a load
     * balancer means its sessions are not sticky; 14 acknowledgement off; 8, 9 and the health codes a
     * server in trouble.
     */
    private static String byCode(int code, int status) {
        return switch (code) {
            case 1 -> "Splunk.DisabledToken";
            case 2, 3, 4, 16 -> "Splunk.InvalidToken";
            case 5, 6, 12, 13, 15 -> "Splunk.InvalidDataFormat";
            case 7 -> "Splunk.InvalidIndex";
            case 10, 11 -> "Splunk.ProxyWithoutStickySessions";
            case 14 -> "Splunk.DisabledAck";
            default -> byStatus(status);
        };
    }

    /** For answers without HEC's code: a server that is not a collector (404), or one in trouble. */
    private static String byStatus(int status) {
        return switch (status) {
            case 401, 403 -> "Splunk.InvalidToken";
            case 404, 405 -> "Splunk.InvalidEndpoint";
            default -> "Splunk.ServerError";
        };
    }

    private static JsonNode json(byte[] answer) {
        try {
            JsonNode node = MAPPER.readTree(answer);
            return node == null ? MAPPER.missingNode() : node;
        } catch (IOException e) {
            return MAPPER.missingNode();
        }
    }

    private static String quote(byte[] answer) {
        String text = new String(answer, 0, Math.min(answer.length, MAX_ANSWER_BYTES), UTF_8);
        return text.isEmpty() ? "(empty)" : text;
    }
}
