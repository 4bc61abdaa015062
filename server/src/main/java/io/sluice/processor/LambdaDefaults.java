package io.sluice.processor;

import static java.util.Objects.requireNonNull;

import io.sluice.common.DataSize;
import java.time.Duration;
import java.util.Optional;

/**
 * What a destination's Lambda processor takes when its parameters leave it out (delivery spec §6.1.1):
 * the destination's role, and the processor buffer (1 MB and 60 s for most destinations; Splunk and
 * Snowflake buffer 256 KB).
 */
public record LambdaDefaults(Optional<String> roleArn, DataSize bufferSize, Duration bufferInterval) {
    /** The buffer of S3, HTTP endpoint, OpenSearch and Redshift destinations. */
    public static LambdaDefaults standard(Optional<String> roleArn) {
        return new LambdaDefaults(roleArn, DataSize.ofMebibytes(1), Duration.ofSeconds(60));
    }

    public LambdaDefaults {
        requireNonNull(roleArn, "roleArn is null");
        requireNonNull(bufferSize, "bufferSize is null");
        requireNonNull(bufferInterval, "bufferInterval is null");
    }
}
