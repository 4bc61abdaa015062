package io.sluice.destination.splunk;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DestinationSpec;
import io.sluice.common.WireName;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.s3.S3DestinationSpec;
import io.sluice.processor.Decompression;
import io.sluice.processor.Processing;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * A validated {@code SplunkDestinationConfiguration} (delivery spec §10): the HTTP Event Collector and
 * its token, which of its endpoints receives the records, how long Sluice waits for an indexer
 * acknowledgement, how long failing batches are retried, and the S3 configuration that receives failed
 * (or all) events.
 */
public record SplunkDestinationSpec(
        URI hecEndpoint,
        EndpointType endpointType,
        String hecToken,
        Duration acknowledgmentTimeout,
        Duration retryDuration,
        BackupMode backupMode,
        S3DestinationSpec s3,
        Optional<Processing> processing,
        S3DestinationSpec.CloudWatchLogging cloudWatchLogging,
        BufferingHints bufferingHints)
        implements DestinationSpec {

    /** The range of {@code HECAcknowledgmentTimeoutInSeconds}. */
    public static final Duration MIN_ACKNOWLEDGMENT_TIMEOUT = Duration.ofSeconds(180);

    public static final Duration MAX_ACKNOWLEDGMENT_TIMEOUT = Duration.ofSeconds(600);

    /** The largest {@code RetryOptions.DurationInSeconds}. */
    public static final Duration MAX_RETRY_DURATION = Duration.ofHours(2);

    /** {@code HECEndpointType}: which collector endpoint receives the records. */
    public enum EndpointType implements WireName {
        /** Records are raw data; Splunk breaks them into events. */
        RAW("Raw", "/services/collector/raw"),
        /** Records are HEC event JSON ({@code {"event":...}}), as a Lambda makes them. */
        EVENT("Event", "/services/collector/event");

        private final String wireName;
        private final String path;

        EndpointType(String wireName, String path) {
            this.wireName = wireName;
            this.path = path;
        }

        @Override
        public String wireName() {
            return wireName;
        }

        /** The path of the endpoint under the collector's base URL. */
        public String path() {
            return path;
        }

        public static Optional<EndpointType> fromWire(String text) {
            return WireName.parse(EndpointType.class, text);
        }
    }

    /** {@code S3BackupMode}: which events also go to the S3 configuration. */
    public enum BackupMode implements WireName {
        FAILED_EVENTS_ONLY("FailedEventsOnly"),
        ALL_EVENTS("AllEvents");

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

    public SplunkDestinationSpec {
        requireNonNull(hecEndpoint, "hecEndpoint is null");
        requireNonNull(endpointType, "endpointType is null");
        requireNonNull(hecToken, "hecToken is null");
        requireNonNull(acknowledgmentTimeout, "acknowledgmentTimeout is null");
        requireNonNull(retryDuration, "retryDuration is null");
        requireNonNull(backupMode, "backupMode is null");
        requireNonNull(s3, "s3 is null");
        requireNonNull(processing, "processing is null");
        requireNonNull(cloudWatchLogging, "cloudWatchLogging is null");
        requireNonNull(bufferingHints, "bufferingHints is null");
        String scheme = hecEndpoint.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme) || hecEndpoint.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL with a host: " + hecEndpoint);
        }
        if (acknowledgmentTimeout.compareTo(MIN_ACKNOWLEDGMENT_TIMEOUT) < 0
                || acknowledgmentTimeout.compareTo(MAX_ACKNOWLEDGMENT_TIMEOUT) > 0) {
            throw new IllegalArgumentException(
                    "acknowledgmentTimeout must be within 180..600 s: " + acknowledgmentTimeout);
        }
        if (retryDuration.isNegative() || retryDuration.compareTo(MAX_RETRY_DURATION) > 0) {
            throw new IllegalArgumentException("retryDuration must be within 0..7200 s: " + retryDuration);
        }
    }

    @Override
    public boolean backsUpAllRecords() {
        return backupMode == BackupMode.ALL_EVENTS;
    }

    @Override
    public boolean acceptsOnlyCloudWatchLogs() {
        return processing.map(p -> p.runs(Decompression.TYPE)).orElse(false);
    }

    /** The token is a secret of the collector's: never in logs. */
    @Override
    public String toString() {
        return "SplunkDestinationSpec[hecEndpoint=" + hecEndpoint + ", endpointType=" + endpointType
                + ", hecToken=(hidden), acknowledgmentTimeout=" + acknowledgmentTimeout + ", retryDuration="
                + retryDuration + ", backupMode=" + backupMode + ", s3=" + s3 + ", processing=" + processing
                + ", bufferingHints=" + bufferingHints + "]";
    }
}
