package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/** A validated CreateDeliveryStream request; a source's delivery start is set when the catalog creates it. */
public record NewStream(
        StreamRef ref,
        DeliveryStreamType type,
        Optional<Integer> throughputHintInMBs,
        Optional<SourceSpec> source,
        DestinationSpec destination,
        Optional<EncryptionRequest> encryption,
        Map<String, String> tags) {
    public NewStream {
        requireNonNull(ref, "ref is null");
        requireNonNull(type, "type is null");
        requireNonNull(throughputHintInMBs, "throughputHintInMBs is null");
        requireNonNull(source, "source is null");
        requireNonNull(destination, "destination is null");
        requireNonNull(encryption, "encryption is null");
        tags = Map.copyOf(tags);
    }
}
