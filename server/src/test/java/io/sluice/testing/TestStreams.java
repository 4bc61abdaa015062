package io.sluice.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DeliveryStreamStatus;
import io.sluice.catalog.DeliveryStreamType;
import io.sluice.catalog.Destination;
import io.sluice.catalog.DestinationSpec;
import io.sluice.catalog.Encryption;
import io.sluice.catalog.EncryptionStatus;
import io.sluice.catalog.KeyType;
import io.sluice.catalog.SourceSpec;
import io.sluice.catalog.StreamRef;
import io.sluice.destination.s3.S3DestinationCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** Catalog streams built directly, for unit tests of what sits between the API and the log. */
public final class TestStreams {
    public static final Instant CREATED = Instant.parse("2026-01-05T10:00:00Z");

    private TestStreams() {}

    /** An ACTIVE DirectPut stream with a fresh uid and the given encryption. */
    public static DeliveryStream stream(String name, Encryption encryption) {
        try {
            DestinationSpec spec = S3DestinationCodec.parse(
                    new ObjectMapper()
                            .readTree(
                                    "{\"RoleARN\":\"arn:aws:iam::123456789012:role/r\",\"BucketARN\":\"arn:aws:s3:::bucket\"}"));
            return active(
                            new StreamRef("000000000000", "us-east-1", name),
                            UUID.randomUUID().toString(),
                            1,
                            spec)
                    .withEncryption(encryption);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An ACTIVE, unencrypted DirectPut stream {@code ref} (log key {@code uid}) at {@code version}. */
    public static DeliveryStream active(StreamRef ref, String uid, long version, DestinationSpec spec) {
        return new DeliveryStream(
                ref,
                uid,
                DeliveryStreamType.DIRECT_PUT,
                DeliveryStreamStatus.ACTIVE,
                version,
                CREATED,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                new Destination(Destination.FIRST_ID, spec),
                Encryption.DISABLED,
                new TreeMap<>());
    }

    /** An ACTIVE stream {@code name} reading {@code source}, delivering to a local S3 bucket. */
    public static DeliveryStream sourced(String name, SourceSpec source) {
        DeliveryStream plain = plain(name);
        return new DeliveryStream(
                plain.ref(),
                plain.uid(),
                source.type(),
                DeliveryStreamStatus.ACTIVE,
                1,
                CREATED,
                Optional.empty(),
                Optional.empty(),
                Optional.of(source.startingAt(CREATED)),
                plain.destination(),
                Encryption.DISABLED,
                new TreeMap<>());
    }

    public static DeliveryStream plain(String name) {
        return stream(name, Encryption.DISABLED);
    }

    /** Encryption in {@code status} with an AWS owned key, after Start/Stop calls at {@code toggles}. */
    public static Encryption encryption(EncryptionStatus status, Instant... toggles) {
        return new Encryption(status, Optional.of(KeyType.AWS_OWNED_CMK), Optional.empty(), List.of(toggles));
    }
}
