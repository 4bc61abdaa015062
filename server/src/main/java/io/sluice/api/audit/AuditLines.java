package io.sluice.api.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The line of one event, UTF-8 JSON ending in {@code \n}, members in this order: {@code time} (ISO-8601
 * UTC, milliseconds), {@code requestId}, {@code accessKeyId}, {@code principal}, {@code account},
 * {@code region}, {@code sourceAddress}, {@code action}, {@code stream} (null when the request names
 * none), {@code outcome} ({@code Success}, {@code Denied}, {@code Failed}) and {@code errorCode} (null on
 * success).
 */
final class AuditLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditLines() {}

    static byte[] line(Instant time, AuditEvent event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("time", time.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        node.put("requestId", event.requestId());
        node.put("accessKeyId", event.accessKeyId());
        node.put("principal", event.principal());
        node.put("account", event.account());
        node.put("region", event.region());
        node.put("sourceAddress", event.sourceAddress());
        node.put("action", event.action());
        node.put("stream", event.stream().orElse(null));
        node.put("outcome", event.outcome());
        node.put("errorCode", event.errorCode().orElse(null));
        try {
            return (JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an audit line", e);
        }
    }
}
