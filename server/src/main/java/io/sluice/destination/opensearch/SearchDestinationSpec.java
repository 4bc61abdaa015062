package io.sluice.destination.opensearch;

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
 * A validated {@code AmazonopensearchserviceDestinationConfiguration},
 * {@code ElasticsearchDestinationConfiguration} or {@code AmazonOpenSearchServerlessDestinationConfiguration}
 * ({@code flavor} says which): the cluster, the index each record goes to, how documents are
 * identified, how long failing bulk requests are retried, and the S3 configuration that receives failed
 * (or all) documents. Serverless destinations have no rotation ({@link IndexRotation#NO_ROTATION}), no
 * type and no document ids ({@link DocumentIdFormat#NO_DOCUMENT_ID}).
 */
public record SearchDestinationSpec(
        SearchFlavor flavor,
        String roleArn,
        Cluster cluster,
        String indexName,
        Optional<String> typeName,
        IndexRotation rotation,
        DocumentIdFormat documentIds,
        BufferingHints bufferingHints,
        Duration retryDuration,
        BackupMode backupMode,
        S3DestinationSpec s3,
        Optional<Processing> processing,
        S3DestinationSpec.CloudWatchLogging cloudWatchLogging,
        Optional<Vpc> vpc)
        implements DestinationSpec {

    /** The largest {@code RetryOptions.DurationInSeconds}. */
    public static final Duration MAX_RETRY_DURATION = Duration.ofHours(2);

    /** Where the cluster is, as the stream says: a domain's ARN, or the URL of a cluster or collection. */
    public sealed interface Cluster {
        /** {@code DomainARN}: Sluice maps it to an endpoint by its settings. */
        record Domain(String arn) implements Cluster {
            public Domain {
                requireNonNull(arn, "arn is null");
            }
        }

        /** {@code ClusterEndpoint} or {@code CollectionEndpoint}: used as it is. */
        record Endpoint(URI url) implements Cluster {
            public Endpoint {
                requireNonNull(url, "url is null");
                if (url.getHost() == null || (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme()))) {
                    throw new IllegalArgumentException("not an http(s) URL with a host: " + url);
                }
            }
        }
    }

    /** {@code DocumentIdOptions.DefaultDocumentIdFormat} (delivery spec §9.3). */
    public enum DocumentIdFormat {
        /** An id per record, the same on every retry, so that a retry overwrites rather than duplicates. */
        FIREHOSE_DEFAULT,
        /** No id: the cluster makes one, and a retried document may be indexed twice. */
        NO_DOCUMENT_ID
    }

    /** {@code S3BackupMode}: which records also go to the S3 configuration. */
    public enum BackupMode implements WireName {
        FAILED_DOCUMENTS_ONLY("FailedDocumentsOnly"),
        ALL_DOCUMENTS("AllDocuments");

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

    /**
     * {@code VpcConfiguration}: where AWS would place its network interfaces. Sluice reaches the cluster
     * from its own network, so it is only kept and described.
     */
    public record Vpc(List<String> subnetIds, String roleArn, List<String> securityGroupIds) {
        public Vpc {
            subnetIds = List.copyOf(subnetIds);
            requireNonNull(roleArn, "roleArn is null");
            securityGroupIds = List.copyOf(securityGroupIds);
            if (subnetIds.isEmpty() || securityGroupIds.isEmpty()) {
                throw new IllegalArgumentException("a VPC configuration names subnets and security groups");
            }
        }
    }

    public SearchDestinationSpec {
        requireNonNull(flavor, "flavor is null");
        requireNonNull(roleArn, "roleArn is null");
        requireNonNull(cluster, "cluster is null");
        requireNonNull(indexName, "indexName is null");
        requireNonNull(typeName, "typeName is null");
        requireNonNull(rotation, "rotation is null");
        requireNonNull(documentIds, "documentIds is null");
        requireNonNull(bufferingHints, "bufferingHints is null");
        requireNonNull(retryDuration, "retryDuration is null");
        requireNonNull(backupMode, "backupMode is null");
        requireNonNull(s3, "s3 is null");
        requireNonNull(processing, "processing is null");
        requireNonNull(cloudWatchLogging, "cloudWatchLogging is null");
        requireNonNull(vpc, "vpc is null");
        if (indexName.isEmpty()) {
            throw new IllegalArgumentException("indexName is empty");
        }
        if (retryDuration.isNegative() || retryDuration.compareTo(MAX_RETRY_DURATION) > 0) {
            throw new IllegalArgumentException("retryDuration must be within 0..7200 s: " + retryDuration);
        }
        if (!flavor.hasIndexOptions()
                && (typeName.isPresent()
                        || rotation != IndexRotation.NO_ROTATION
                        || documentIds != DocumentIdFormat.NO_DOCUMENT_ID)) {
            throw new IllegalArgumentException(
                    "an OpenSearch Serverless destination has no type, no rotation and no document ids");
        }
        if (!flavor.hasDomains() && cluster instanceof Cluster.Domain) {
            throw new IllegalArgumentException("an OpenSearch Serverless destination has no domain");
        }
    }

    @Override
    public boolean backsUpAllRecords() {
        return backupMode == BackupMode.ALL_DOCUMENTS;
    }

    @Override
    public boolean acceptsOnlyCloudWatchLogs() {
        return processing.map(p -> p.runs(Decompression.TYPE)).orElse(false);
    }

    /** The {@code _type} of every document: {@code TypeName} unless it is empty or absent. */
    public Optional<String> documentType() {
        return typeName.filter(t -> !t.isEmpty());
    }
}
