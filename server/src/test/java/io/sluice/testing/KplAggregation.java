package io.sluice.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * KPL aggregated records made by AWS's own aggregation library for Node.js (aws-kinesis-agg), through
 * {@code src/test/node/aggregate.js}: user records in, the Kinesis records to put out.
 */
public final class KplAggregation {
    /** A record to put to (or aggregated into) a Kinesis stream. */
    public record KinesisRecord(String partitionKey, byte[] data) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCRIPT = Path.of("src/test/node/aggregate.js").toAbsolutePath();

    private KplAggregation() {}

    /** The aggregated records holding {@code users}, in order (one unless they exceed Kinesis's record size). */
    public static List<KinesisRecord> aggregate(List<KinesisRecord> users) {
        StringBuilder input = new StringBuilder();
        try {
            for (KinesisRecord user : users) {
                input.append(JSON.writeValueAsString(Map.of(
                                "partitionKey", user.partitionKey(),
                                "data", Base64.getEncoder().encodeToString(user.data()))))
                        .append('\n');
            }
            ExternalCommand.Result result = ExternalCommand.run(Map.of(), input.toString(), "node", SCRIPT.toString());
            if (result.exitCode() != 0) {
                throw new IllegalStateException("aggregate.js failed: " + result.stderr());
            }
            List<KinesisRecord> aggregated = new ArrayList<>();
            for (String line : result.stdout().lines().toList()) {
                JsonNode record = JSON.readTree(line);
                aggregated.add(new KinesisRecord(
                        record.get("partitionKey").asText(),
                        Base64.getDecoder().decode(record.get("data").asText())));
            }
            return aggregated;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
