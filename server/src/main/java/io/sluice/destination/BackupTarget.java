package io.sluice.destination;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DeliveryStream;
import io.sluice.destination.s3.S3DestinationSpec;
import java.time.Instant;
import java.util.Optional;

/**
 * One object of records that leave the main path, written to {@code location}: under its error prefix
 * as error documents of {@code errorOutputType} (e.g. {@code http-endpoint-failed}) when that is
 * present, else under its prefix as a backup copy of the records. {@code oldestArrival} names the key.
 */
public record BackupTarget(
        DeliveryStream stream, S3DestinationSpec location, Optional<String> errorOutputType, Instant oldestArrival) {
    public BackupTarget {
        requireNonNull(stream, "stream is null");
        requireNonNull(location, "location is null");
        requireNonNull(errorOutputType, "errorOutputType is null");
        requireNonNull(oldestArrival, "oldestArrival is null");
    }
}
