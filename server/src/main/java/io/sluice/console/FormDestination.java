package io.sluice.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A destination the console's forms cover, named by the stem of its API members ({@code HttpEndpoint} for
 * {@code HttpEndpointDestinationConfiguration}, {@code …DestinationUpdate}, {@code …DestinationDescription}),
 * with its fields as members of the configuration: {@code S3Configuration.BucketARN}. The update names the
 * backup {@code S3Update} and the description {@code S3DestinationDescription}.
 */
enum FormDestination {
    EXTENDED_S3(
            "ExtendedS3",
            "Amazon S3",
            List.of(
                    StreamForms.Input.text("BucketARN", "S3 bucket ARN", "BucketARN")
                            .createOnly(),
                    StreamForms.Input.text("RoleARN", "IAM role ARN", "RoleARN").createOnly(),
                    StreamForms.Input.text("Prefix", "Prefix", "Prefix"),
                    StreamForms.Input.text("ErrorOutputPrefix", "Error output prefix", "ErrorOutputPrefix"),
                    StreamForms.Input.number("SizeInMBs", "Buffer size (MiB)", "BufferingHints.SizeInMBs"),
                    StreamForms.Input.number(
                            "IntervalInSeconds", "Buffer interval (seconds)", "BufferingHints.IntervalInSeconds"),
                    StreamForms.Input.choice(
                            "CompressionFormat",
                            "Compression",
                            "CompressionFormat",
                            "UNCOMPRESSED",
                            "GZIP",
                            "ZIP",
                            "Snappy",
                            "HADOOP_SNAPPY"))),
    HTTP_ENDPOINT(
            "HttpEndpoint",
            "HTTP endpoint",
            withBackup(
                    List.of(
                            StreamForms.Input.text("Url", "HTTP endpoint URL", "EndpointConfiguration.Url"),
                            StreamForms.Input.text("EndpointName", "Endpoint name", "EndpointConfiguration.Name"),
                            StreamForms.Input.secret(
                                    "AccessKey",
                                    "Access key (sent as X-Amz-Firehose-Access-Key)",
                                    "EndpointConfiguration.AccessKey"),
                            StreamForms.Input.choice(
                                    "ContentEncoding",
                                    "Content encoding",
                                    "RequestConfiguration.ContentEncoding",
                                    "NONE",
                                    "GZIP")),
                    StreamForms.Input.choice(
                            "S3BackupMode", "S3 backup mode", "S3BackupMode", "FailedDataOnly", "AllData"))),
    SPLUNK(
            "Splunk",
            "Splunk",
            withBackup(
                    List.of(
                            StreamForms.Input.text("HECEndpoint", "Splunk HEC endpoint", "HECEndpoint"),
                            StreamForms.Input.choice(
                                    "HECEndpointType", "HEC endpoint type", "HECEndpointType", "Raw", "Event"),
                            StreamForms.Input.secret("HECToken", "HEC token", "HECToken"),
                            StreamForms.Input.number(
                                    "HECAcknowledgmentTimeoutInSeconds",
                                    "HEC acknowledgment timeout (seconds)",
                                    "HECAcknowledgmentTimeoutInSeconds")),
                    StreamForms.Input.choice(
                            "S3BackupMode", "S3 backup mode", "S3BackupMode", "FailedEventsOnly", "AllEvents"))),
    OPENSEARCH("Amazonopensearchservice", "Amazon OpenSearch Service", searchDomain()),
    ELASTICSEARCH("Elasticsearch", "Elasticsearch", searchDomain()),
    OPENSEARCH_SERVERLESS(
            "AmazonOpenSearchServerless",
            "OpenSearch Serverless",
            withBackup(
                    List.of(
                            StreamForms.Input.text("RoleARN", "IAM role ARN", "RoleARN"),
                            StreamForms.Input.text("CollectionEndpoint", "Collection endpoint", "CollectionEndpoint"),
                            StreamForms.Input.text("IndexName", "Index name", "IndexName")),
                    searchBackupMode()));

    private final String stem;
    private final String label;
    private final List<StreamForms.Input> inputs;

    FormDestination(String stem, String label, List<StreamForms.Input> inputs) {
        this.stem = stem;
        this.label = label;
        this.inputs = inputs;
    }

    String stem() {
        return stem;
    }

    String label() {
        return label;
    }

    List<StreamForms.Input> inputs() {
        return inputs;
    }

    String configuration() {
        return stem + "DestinationConfiguration";
    }

    String update() {
        return stem + "DestinationUpdate";
    }

    String description() {
        return stem + "DestinationDescription";
    }

    /** The destination a form names by its stem; the S3 one when it names none. */
    static FormDestination chosen(String stem) {
        return Arrays.stream(values())
                .filter(d -> d.stem.equals(stem))
                .findFirst()
                .orElse(EXTENDED_S3);
    }

    /** The destination a stream's description holds, when a form covers it. */
    static Optional<FormDestination> of(JsonNode destination) {
        return Arrays.stream(values())
                .filter(d -> destination.has(d.description()))
                .findFirst();
    }

    private static List<StreamForms.Input> searchDomain() {
        return withBackup(
                List.of(
                        StreamForms.Input.text("RoleARN", "IAM role ARN", "RoleARN"),
                        StreamForms.Input.text("DomainARN", "Domain ARN (or a cluster endpoint)", "DomainARN"),
                        StreamForms.Input.text(
                                "ClusterEndpoint", "Cluster endpoint (or a domain ARN)", "ClusterEndpoint"),
                        StreamForms.Input.text("IndexName", "Index name", "IndexName"),
                        StreamForms.Input.choice(
                                "IndexRotationPeriod",
                                "Index rotation",
                                "IndexRotationPeriod",
                                "NoRotation",
                                "OneHour",
                                "OneDay",
                                "OneWeek",
                                "OneMonth"),
                        StreamForms.Input.text("TypeName", "Type name", "TypeName")),
                searchBackupMode());
    }

    /** A search destination's backup mode, which UpdateDestination cannot change. */
    private static StreamForms.Input searchBackupMode() {
        return StreamForms.Input.choice(
                        "S3BackupMode", "S3 backup mode", "S3BackupMode", "FailedDocumentsOnly", "AllDocuments")
                .createOnly();
    }

    /** {@code own}, then the buffering, retry, backup mode and backup bucket every non-S3 destination has. */
    private static List<StreamForms.Input> withBackup(List<StreamForms.Input> own, StreamForms.Input backupMode) {
        List<StreamForms.Input> all = new ArrayList<>(own);
        all.add(StreamForms.Input.number("SizeInMBs", "Buffer size (MiB)", "BufferingHints.SizeInMBs"));
        all.add(StreamForms.Input.number(
                "IntervalInSeconds", "Buffer interval (seconds)", "BufferingHints.IntervalInSeconds"));
        all.add(StreamForms.Input.number(
                "RetryDurationInSeconds", "Retry duration (seconds)", "RetryOptions.DurationInSeconds"));
        all.add(backupMode);
        all.add(StreamForms.Input.text("BackupBucketARN", "S3 backup bucket ARN", "S3Configuration.BucketARN"));
        all.add(StreamForms.Input.text("BackupRoleARN", "S3 backup IAM role ARN", "S3Configuration.RoleARN"));
        all.add(StreamForms.Input.text("BackupPrefix", "S3 backup prefix", "S3Configuration.Prefix"));
        all.add(StreamForms.Input.text(
                "BackupErrorOutputPrefix", "S3 backup error output prefix", "S3Configuration.ErrorOutputPrefix"));
        return List.copyOf(all);
    }
}
