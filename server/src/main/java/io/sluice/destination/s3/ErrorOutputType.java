package io.sluice.destination.s3;

/**
 * The failure class that {@code !{firehose:error-output-type}} evaluates to, and the folder of the
 * default error prefix (delivery spec §4.2.5, §4.3.8), spelled as AWS spells it.
 */
public enum ErrorOutputType {
    PROCESSING_FAILED("processing-failed"),
    DECOMPRESSION_FAILED("decompression-failed"),
    FORMAT_CONVERSION_FAILED("format-conversion-failed"),
    OPENSEARCH_FAILED("AmazonOpenSearchService-failed"),
    ELASTICSEARCH_FAILED("elasticsearch-failed"),
    SPLUNK_FAILED("splunk-failed"),
    HTTP_ENDPOINT_FAILED("http-endpoint-failed"),
    SNOWFLAKE_FAILED("snowflake-failed"),
    ACTIVE_PARTITION_EXCEEDED("activePartitionExceeded");

    private final String text;

    ErrorOutputType(String text) {
        this.text = text;
    }

    /** The type whose {@link #text()} is {@code text}. */
    public static ErrorOutputType fromText(String text) {
        for (ErrorOutputType type : values()) {
            if (type.text.equals(text)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown error output type: " + text);
    }

    /** The value written into keys. */
    public String text() {
        return text;
    }
}
