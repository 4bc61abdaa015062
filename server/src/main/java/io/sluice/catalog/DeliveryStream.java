package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One delivery stream as the catalog keeps it. {@code uid} is unique for the life of the stream (a
 * stream deleted and created again under the same name gets a new one): the record log is keyed by it.
 * {@code version} is {@code VersionId}: 1 at creation, +1 per UpdateDestination. {@code source} is what a
 * stream that is not DirectPut reads ({@code throughputHintInMBs} is a DirectPut stream's).
 */
public record DeliveryStream(
        StreamRef ref,
        String uid,
        DeliveryStreamType type,
        DeliveryStreamStatus status,
        long version,
        Instant createTimestamp,
        Optional<Instant> lastUpdateTimestamp,
        Optional<Integer> throughputHintInMBs,
        Optional<SourceSpec> source,
        Destination destination,
        Encryption encryption,
        SortedMap<String, String> tags) {

    public DeliveryStream {
        requireNonNull(ref, "ref is null");
        requireNonNull(uid, "uid is null");
        requireNonNull(type, "type is null");
        requireNonNull(status, "status is null");
        requireNonNull(createTimestamp, "createTimestamp is null");
        requireNonNull(lastUpdateTimestamp, "lastUpdateTimestamp is null");
        requireNonNull(throughputHintInMBs, "throughputHintInMBs is null");
        requireNonNull(source, "source is null");
        if (source.map(SourceSpec::type).orElse(DeliveryStreamType.DIRECT_PUT) != type) {
            throw new IllegalArgumentException("a " + type.wireName() + " stream's source does not match its type");
        }
        requireNonNull(destination, "destination is null");
        requireNonNull(encryption, "encryption is null");
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1: " + version);
        }
    }

    public DeliveryStream withStatus(DeliveryStreamStatus newStatus) {
        return new DeliveryStream(
                ref,
                uid,
                type,
                newStatus,
                version,
                createTimestamp,
                lastUpdateTimestamp,
                throughputHintInMBs,
                source,
                destination,
                encryption,
                tags);
    }

    public DeliveryStream withEncryption(Encryption newEncryption) {
        return new DeliveryStream(
                ref,
                uid,
                type,
                status,
                version,
                createTimestamp,
                lastUpdateTimestamp,
                throughputHintInMBs,
                source,
                destination,
                newEncryption,
                tags);
    }

    public DeliveryStream withTags(SortedMap<String, String> newTags) {
        return new DeliveryStream(
                ref,
                uid,
                type,
                status,
                version,
                createTimestamp,
                lastUpdateTimestamp,
                throughputHintInMBs,
                source,
                destination,
                encryption,
                newTags);
    }

    /** The stream after UpdateDestination: new destination, next version, update time set. */
    public DeliveryStream withDestination(Destination newDestination, Instant now) {
        return new DeliveryStream(
                ref,
                uid,
                type,
                status,
                version + 1,
                createTimestamp,
                Optional.of(now),
                throughputHintInMBs,
                source,
                newDestination,
                encryption,
                tags);
    }
}
