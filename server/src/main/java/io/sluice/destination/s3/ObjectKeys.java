package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import io.sluice.processor.PartitionKeys;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Names the objects of one version of one stream's S3 destination (delivery spec §4.1):
 * {@code <evaluated prefix><stream name>-<stream version>-<yyyy>-<MM>-<dd>-<HH>-<mm>-<ss>-<uuid><extension>}.
 *
 * <p>The instant given is the arrival of the oldest record in the object; the prefix's timestamps
 * and the suffix both show it in the destination's zone ({@code CustomTimeZone}, else UTC). The
 * prefix and the suffix are joined with no separator. Every {@code !{firehose:random-string}} is the
 * first 11 characters of a fresh UUID, and the suffix's UUID is another fresh one, all drawn from the
 * injected supplier. Thread-safe when the supplier is.
 */
public final class ObjectKeys {
    /** The most characters an evaluated prefix may have (delivery spec §4.2.9). */
    public static final int MAX_PREFIX_LENGTH = 512;

    private static final int RANDOM_STRING_LENGTH = 11;
    private static final DateTimeFormatter SUFFIX_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");

    private final String streamName;
    private final long streamVersion;
    private final S3Prefix dataPrefix;
    private final S3Prefix errorPrefix;
    private final ZoneId zone;
    private final String extension;
    private final Supplier<UUID> uuids;

    /**
     * @param dataPrefix the prefix as evaluated for data, i.e. {@link S3Prefix#dataPrefix}
     * @param errorPrefix the prefix as evaluated for failed records, i.e. {@link S3Prefix#errorPrefix}
     */
    public ObjectKeys(
            String streamName,
            long streamVersion,
            S3Prefix dataPrefix,
            S3Prefix errorPrefix,
            ZoneId zone,
            String extension,
            Supplier<UUID> uuids) {
        this.streamName = requireNonNull(streamName, "streamName is null");
        if (streamName.isEmpty()) {
            throw new IllegalArgumentException("streamName is empty");
        }
        if (streamVersion < 1) {
            throw new IllegalArgumentException("streamVersion must be at least 1: " + streamVersion);
        }
        this.streamVersion = streamVersion;
        this.dataPrefix = requireNonNull(dataPrefix, "dataPrefix is null");
        this.errorPrefix = requireNonNull(errorPrefix, "errorPrefix is null");
        this.zone = requireNonNull(zone, "zone is null");
        this.extension = requireNonNull(extension, "extension is null");
        this.uuids = requireNonNull(uuids, "uuids is null");
    }

    /** The keys of {@code spec} at stream version {@code streamVersion}. */
    public static ObjectKeys of(String streamName, long streamVersion, S3DestinationSpec spec, Supplier<UUID> uuids) {
        return new ObjectKeys(
                streamName,
                streamVersion,
                S3Prefix.dataPrefix(spec.prefix(), spec.partitioned()),
                S3Prefix.errorPrefix(spec.prefix(), spec.errorOutputPrefix()),
                spec.zone(),
                ObjectFormat.of(spec).extension(spec.fileExtension()),
                uuids);
    }

    /**
     * The key of a new data object whose oldest record arrived at {@code oldestArrival}.
     *
     * @throws PrefixTooLongException when the evaluated prefix exceeds {@link #MAX_PREFIX_LENGTH}
     */
    public String dataKey(Instant oldestArrival) {
        return dataKey(oldestArrival, PartitionKeys.NONE);
    }

    /**
     * The key of a new data object of records with partition keys {@code keys}.
     *
     * @throws PrefixTooLongException when the evaluated prefix exceeds {@link #MAX_PREFIX_LENGTH}
     */
    public String dataKey(Instant oldestArrival, PartitionKeys keys) {
        return key("Prefix", dataPrefix, oldestArrival, "", keys);
    }

    /**
     * The key of a new error-output object for {@code type}. It carries the destination's extension
     * too: AWS's choice for error objects is not documented.
     *
     * @throws PrefixTooLongException when the evaluated prefix exceeds {@link #MAX_PREFIX_LENGTH}
     */
    public String errorKey(Instant oldestArrival, ErrorOutputType type) {
        return key("ErrorOutputPrefix", errorPrefix, oldestArrival, type.text(), PartitionKeys.NONE);
    }

    private String key(
            String which, S3Prefix prefix, Instant oldestArrival, String errorOutputType, PartitionKeys keys) {
        requireNonNull(oldestArrival, "oldestArrival is null");
        String evaluated = prefix.evaluate(oldestArrival, zone, this::randomString, errorOutputType, keys);
        if (evaluated.length() > MAX_PREFIX_LENGTH) {
            throw new PrefixTooLongException(which, evaluated.length());
        }
        return evaluated
                + streamName
                + '-'
                + streamVersion
                + '-'
                + SUFFIX_TIME.format(oldestArrival.atZone(zone))
                + '-'
                + uuids.get()
                + extension;
    }

    private String randomString() {
        return uuids.get().toString().substring(0, RANDOM_STRING_LENGTH);
    }

    /** The extension every key ends with; may be empty. */
    public String extension() {
        return extension;
    }
}
