package io.sluice.testing;

import io.sluice.destination.BufferingHints;
import io.sluice.destination.s3.CompressionFormat;
import io.sluice.destination.s3.S3DestinationSpec;
import java.util.Optional;

/** Validated destination specs for tests that need one without going through the API. */
public final class Specs {
    private Specs() {}

    /** An uncompressed S3 destination to {@code bucket} with the given hints and nothing else set. */
    public static S3DestinationSpec s3(BufferingHints hints) {
        return new S3DestinationSpec(
                "arn:aws:iam::123456789012:role/r",
                "arn:aws:s3:::bucket",
                Optional.empty(),
                Optional.empty(),
                hints,
                CompressionFormat.UNCOMPRESSED,
                S3DestinationSpec.CloudWatchLogging.DISABLED,
                Optional.empty(),
                false,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }
}
