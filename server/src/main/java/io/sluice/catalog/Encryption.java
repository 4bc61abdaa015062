package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Server-side encryption state of a stream. {@code toggles} holds the times of recent
 * Start/StopDeliveryStreamEncryption calls, for the 25-calls-per-24-hours quota.
 */
public record Encryption(
        EncryptionStatus status, Optional<KeyType> keyType, Optional<String> keyArn, List<Instant> toggles) {
    public static final Encryption DISABLED =
            new Encryption(EncryptionStatus.DISABLED, Optional.empty(), Optional.empty(), List.of());

    public Encryption {
        requireNonNull(status, "status is null");
        requireNonNull(keyType, "keyType is null");
        requireNonNull(keyArn, "keyArn is null");
        toggles = List.copyOf(toggles);
    }

    public Encryption withStatus(EncryptionStatus newStatus) {
        return new Encryption(newStatus, keyType, keyArn, toggles);
    }
}
