package io.sluice.ingest.crypto;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.EncryptionStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * One period during which a stream's encryption is ENABLED, named by the time of the request that
 * began it: the latest StartDeliveryStreamEncryption (the catalog keeps its time among the encryption
 * toggles), or the stream's creation when it was created encrypted and never toggled since. ENABLED
 * is reached only through ENABLING, which only Start and Create enter, so while a stream is ENABLED its
 * latest toggle is that Start. Each enablement gets its own data key.
 *
 * @param sinceMillis epoch milliseconds (the precision the catalog stores)
 */
public record Enablement(String streamUid, long sinceMillis) {
    public Enablement {
        requireNonNull(streamUid, "streamUid is null");
    }

    /** The stream's current enablement, if its records are stored encrypted now. */
    public static Optional<Enablement> of(DeliveryStream stream) {
        if (stream.encryption().status() != EncryptionStatus.ENABLED) {
            return Optional.empty();
        }
        Instant since =
                stream.encryption().toggles().stream().max(Instant::compareTo).orElse(stream.createTimestamp());
        return Optional.of(new Enablement(stream.uid(), since.toEpochMilli()));
    }
}
