package io.sluice.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The distinct request bodies a run cycles through, built before the run. Record data is random
 * (incompressible) bytes or JSON objects ({@link RecordData}); every record of the bodies differs. With several streams there are at least as
 * many bodies as streams, body {@code b} going to stream {@code b mod streams}. Bodies are AWS JSON 1.1:
 *
 * <pre>
 * PutRecordBatch  {"DeliveryStreamName":"NAME","Records":[{"Data":"BASE64"},…]}
 * PutRecord       {"DeliveryStreamName":"NAME","Record":{"Data":"BASE64"}}
 * </pre>
 */
record Workload(PutOperation operation, List<Payload> payloads) {
    Workload {
        requireNonNull(operation, "operation is null");
        payloads = List.copyOf(payloads);
        if (payloads.isEmpty()) {
            throw new IllegalArgumentException("at least one payload is needed");
        }
    }

    static Workload build(LoadSpec spec) {
        SplittableRandom random = new SplittableRandom(spec.seed());
        long timestampMillis = System.currentTimeMillis();
        Base64.Encoder base64 = Base64.getEncoder();
        int recordsPerRequest = spec.operation() == PutOperation.PUT_RECORD ? 1 : spec.recordsPerRequest();
        int recordBytes = Math.toIntExact(spec.recordSize().bytes());
        List<String> streams = spec.streamNames();
        int bodies = Math.max(spec.distinctBodies(), streams.size());
        List<Payload> payloads = new ArrayList<>(bodies);
        for (int b = 0; b < bodies; b++) {
            StringBuilder json = new StringBuilder(recordsPerRequest * (recordBytes * 4 / 3 + 16) + 64)
                    .append("{\"DeliveryStreamName\":\"")
                    .append(streams.get(b % streams.size()))
                    .append(spec.operation() == PutOperation.PUT_RECORD ? "\",\"Record\":" : "\",\"Records\":[");
            for (int r = 0; r < recordsPerRequest; r++) {
                byte[] data = spec.recordData()
                        .record(random, (long) b * recordsPerRequest + r, timestampMillis, recordBytes);
                json.append(r == 0 ? "" : ",")
                        .append("{\"Data\":\"")
                        .append(base64.encodeToString(data))
                        .append("\"}");
            }
            json.append(spec.operation() == PutOperation.PUT_RECORD ? "}" : "]}");
            payloads.add(Payload.of(
                    json.toString().getBytes(UTF_8), recordsPerRequest, (long) recordsPerRequest * recordBytes));
        }
        return new Workload(spec.operation(), payloads);
    }
}
