package io.sluice.destination.http;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DestinationSpec;
import io.sluice.common.WireName;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.s3.S3DestinationSpec;
import io.sluice.processor.Decompression;
import io.sluice.processor.Processing;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A validated {@code HttpEndpointDestinationConfiguration}: where and how batches are POSTed (delivery
 * spec §11), how long failed requests are retried, and the S3 configuration that receives failed (or
 * all) records.
 */
public record HttpEndpointDestinationSpec(
        Endpoint endpoint,
        BufferingHints bufferingHints,
        Duration retryDuration,
        ContentEncoding contentEncoding,
        List<CommonAttribute> commonAttributes,
        BackupMode backupMode,
        S3DestinationSpec s3,
        Optional<String> roleArn,
        S3DestinationSpec.CloudWatchLogging cloudWatchLogging,
        Optional<Processing> processing)
        implements DestinationSpec {

    @Override
    public boolean backsUpAllRecords() {
        return backupMode == BackupMode.ALL_DATA;
    }

    @Override
    public boolean acceptsOnlyCloudWatchLogs() {
        return processing.map(p -> p.runs(Decompression.TYPE)).orElse(false);
    }

    /** The largest {@code RetryOptions.DurationInSeconds}. */
    public static final Duration MAX_RETRY_DURATION = Duration.ofSeconds(7200);

    /** {@code EndpointConfiguration}. The access key is a secret: never logged, never described. */
    public record Endpoint(URI url, Optional<String> name, Optional<String> accessKey) {
        public Endpoint {
            requireNonNull(url, "url is null");
            requireNonNull(name, "name is null");
            requireNonNull(accessKey, "accessKey is null");
            String scheme = url.getScheme();
            if (!"https".equals(scheme) && !"http".equals(scheme) || url.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL with a host");
            }
        }

        @Override
        public String toString() {
            return "Endpoint[url=" + url + ", name=" + name + ", accessKey="
                    + (accessKey.isPresent() ? "(hidden)" : "none") + "]";
        }
    }

    /** {@code RequestConfiguration.ContentEncoding}. */
    public enum ContentEncoding {
        NONE,
        GZIP
    }

    /** {@code S3BackupMode}: which records also go to the S3 configuration. */
    public enum BackupMode implements WireName {
        FAILED_DATA_ONLY("FailedDataOnly"),
        ALL_DATA("AllData");

        private final String wireName;

        BackupMode(String wireName) {
            this.wireName = wireName;
        }

        @Override
        public String wireName() {
            return wireName;
        }

        public static Optional<BackupMode> fromWire(String text) {
            return WireName.parse(BackupMode.class, text);
        }
    }

    /** One of {@code RequestConfiguration.CommonAttributes}, sent with every request. */
    public record CommonAttribute(String name, String value) {
        public CommonAttribute {
            requireNonNull(name, "name is null");
            requireNonNull(value, "value is null");
        }
    }

    public HttpEndpointDestinationSpec {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(bufferingHints, "bufferingHints is null");
        requireNonNull(retryDuration, "retryDuration is null");
        requireNonNull(contentEncoding, "contentEncoding is null");
        commonAttributes = List.copyOf(commonAttributes);
        requireNonNull(backupMode, "backupMode is null");
        requireNonNull(s3, "s3 is null");
        requireNonNull(roleArn, "roleArn is null");
        requireNonNull(cloudWatchLogging, "cloudWatchLogging is null");
        requireNonNull(processing, "processing is null");
        if (retryDuration.isNegative() || retryDuration.compareTo(MAX_RETRY_DURATION) > 0) {
            throw new IllegalArgumentException("retryDuration must be within 0..7200 s: " + retryDuration);
        }
    }
}
