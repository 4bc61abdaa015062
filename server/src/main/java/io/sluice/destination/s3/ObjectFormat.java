package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * How the body of each object of one S3 destination is made: its compression, and whether a newline
 * follows every record ({@code AppendDelimiterToRecord}). The extension, {@code Content-Encoding} and
 * {@code Content-Type} follow from it as AWS sets them (delivery spec §4.5).
 */
public record ObjectFormat(CompressionFormat compression, boolean appendsDelimiter) {
    /** What AWS sets on every object it delivers, uncompressed ones included. */
    public static final String CONTENT_TYPE = "application/octet-stream";

    public ObjectFormat {
        requireNonNull(compression, "compression is null");
    }

    /**
     * The data objects of {@code spec}: its compression, records as the processor stage made them (the
     * delimiter of {@code AppendDelimiterToRecord} is appended there).
     */
    public static ObjectFormat of(S3DestinationSpec spec) {
        return new ObjectFormat(spec.compression(), false);
    }

    /** The extension AWS appends when {@code FileExtension} is empty or absent. */
    public String defaultExtension() {
        return switch (compression) {
            case UNCOMPRESSED -> "";
            case GZIP -> ".gz";
            case ZIP -> ".zip";
            case SNAPPY, HADOOP_SNAPPY -> ".snappy";
        };
    }

    /** {@code FileExtension} when non-empty, else {@link #defaultExtension()}. */
    public String extension(Optional<String> fileExtension) {
        return fileExtension.filter(e -> !e.isEmpty()).orElse(defaultExtension());
    }

    /** The {@code Content-Encoding} AWS sets; none for uncompressed objects. */
    public Optional<String> contentEncoding() {
        return switch (compression) {
            case UNCOMPRESSED -> Optional.empty();
            case GZIP -> Optional.of("gzip");
            case ZIP -> Optional.of("zip");
            case SNAPPY -> Optional.of("snappy-java");
            case HADOOP_SNAPPY -> Optional.of("hadoop-snappy");
        };
    }
}
