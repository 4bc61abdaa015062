package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The signed heads of one worker's payloads. A signature covers {@code X-Amz-Date}, whose resolution
 * is one second, so each payload's head is signed again only when the second changes. Not
 * thread-safe: one per worker.
 */
final class RequestHeads {
    private final SigV4Signer signer;
    private final Endpoint endpoint;
    private final String target;
    private final List<Payload> payloads;
    private final Clock clock;
    private final byte[][] heads;
    private final long[] signedSecond;

    RequestHeads(LoadSpec spec, Workload workload, Clock clock) {
        this.signer = new SigV4Signer(spec.credentials(), spec.region(), "firehose");
        this.endpoint = spec.endpoint();
        this.target = workload.operation().target();
        this.payloads = workload.payloads();
        this.clock = requireNonNull(clock, "clock is null");
        this.heads = new byte[payloads.size()][];
        this.signedSecond = new long[payloads.size()];
        Arrays.fill(signedSecond, Long.MIN_VALUE);
    }

    ByteBuffer head(int payloadIndex) {
        long second = Math.floorDiv(clock.millis(), 1_000L);
        if (signedSecond[payloadIndex] != second) {
            Payload payload = payloads.get(payloadIndex);
            heads[payloadIndex] = RequestHead.of(
                    signer, endpoint, target, Instant.ofEpochSecond(second), payload.sha256Hex(), payload.length());
            signedSecond[payloadIndex] = second;
        }
        return ByteBuffer.wrap(heads[payloadIndex]);
    }
}
