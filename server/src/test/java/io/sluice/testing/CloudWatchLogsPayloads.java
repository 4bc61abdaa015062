package io.sluice.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Records as a CloudWatch Logs subscription filter puts them to a Firehose stream: subscription
 * documents, gzipped. A data message holds log events; a control message is CloudWatch Logs checking
 * that it can reach the stream.
 */
public final class CloudWatchLogsPayloads {
    public static final String OWNER = "123456789012";
    public static final String FILTER = "to-firehose";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** When the first event of each data message was logged; the others follow a millisecond apart. */
    private static final long FIRST_TIMESTAMP = 1_764_806_400_000L;

    private CloudWatchLogsPayloads() {}

    /** A {@code DATA_MESSAGE} of {@code logGroup}/{@code logStream} whose log events log {@code messages}. */
    public static String dataMessage(String logGroup, String logStream, List<String> messages) {
        ObjectNode document = JSON.createObjectNode()
                .put("messageType", "DATA_MESSAGE")
                .put("owner", OWNER)
                .put("logGroup", logGroup)
                .put("logStream", logStream);
        document.putArray("subscriptionFilters").add(FILTER);
        ArrayNode events = document.putArray("logEvents");
        for (int i = 0; i < messages.size(); i++) {
            events.addObject()
                    .put("id", String.format("%056d", 37_950_000L + i))
                    .put("timestamp", FIRST_TIMESTAMP + i)
                    .put("message", messages.get(i));
        }
        return document.toString();
    }

    /** The {@code CONTROL_MESSAGE} CloudWatch Logs sends when a subscription filter is created. */
    public static String controlMessage() {
        ObjectNode document = JSON.createObjectNode()
                .put("messageType", "CONTROL_MESSAGE")
                .put("owner", "CloudwatchLogs")
                .put("logGroup", "")
                .put("logStream", "");
        document.putArray("subscriptionFilters");
        document.putArray("logEvents")
                .addObject()
                .put("id", "")
                .put("timestamp", FIRST_TIMESTAMP)
                .put("message", "CWL CONTROL MESSAGE: Checking health of destination Firehose.");
        return document.toString();
    }

    /** {@code documents}, one after the other, in one gzip member: one record's data. */
    public static byte[] gzip(String... documents) {
        return gzip(String.join("", documents).getBytes(UTF_8));
    }

    /** {@code data} in one gzip member. */
    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
