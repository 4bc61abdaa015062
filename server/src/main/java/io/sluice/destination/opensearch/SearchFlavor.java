package io.sluice.destination.opensearch;

import io.sluice.destination.s3.ErrorOutputType;
import java.util.Optional;

/**
 * The three kinds of search destination Firehose configures under members of their own, which Sluice
 * delivers the same way (delivery spec §9): what each is called on the wire, in messages, in metrics and
 * in error output, and which members it has. OpenSearch Serverless has no {@code DomainARN}, no
 * {@code TypeName}, no {@code IndexRotationPeriod} and no {@code DocumentIdOptions} (§9.7).
 */
public enum SearchFlavor {
    OPENSEARCH_SERVICE(
            "Amazonopensearchservice",
            "Amazon OpenSearch Service",
            "DeliveryToAmazonOpenSearchService",
            ErrorOutputType.OPENSEARCH_FAILED,
            "OS",
            "es",
            "es"),
    ELASTICSEARCH(
            "Elasticsearch",
            "Elasticsearch",
            "DeliveryToElasticsearch",
            ErrorOutputType.ELASTICSEARCH_FAILED,
            "ES",
            "es",
            "es"),
    SERVERLESS(
            "AmazonOpenSearchServerless",
            "Amazon OpenSearch Serverless",
            "DeliveryToAmazonOpenSearchServerless",
            ErrorOutputType.OPENSEARCH_FAILED,
            "OS",
            "aoss",
            "os");

    private final String shapePrefix;
    private final String displayName;
    private final String metricsPrefix;
    private final ErrorOutputType errorOutput;
    private final String errorCodePrefix;
    private final String signingService;
    private final String errorMemberPrefix;

    SearchFlavor(
            String shapePrefix,
            String displayName,
            String metricsPrefix,
            ErrorOutputType errorOutput,
            String errorCodePrefix,
            String signingService,
            String errorMemberPrefix) {
        this.shapePrefix = shapePrefix;
        this.displayName = displayName;
        this.metricsPrefix = metricsPrefix;
        this.errorOutput = errorOutput;
        this.errorCodePrefix = errorCodePrefix;
        this.signingService = signingService;
        this.errorMemberPrefix = errorMemberPrefix;
    }

    /** CreateDeliveryStream's member, e.g. {@code AmazonopensearchserviceDestinationConfiguration}. */
    public String configurationMember() {
        return shapePrefix + "DestinationConfiguration";
    }

    /** UpdateDestination's member, e.g. {@code AmazonopensearchserviceDestinationUpdate}. */
    public String updateMember() {
        return shapePrefix + "DestinationUpdate";
    }

    /** DescribeDeliveryStream's member, e.g. {@code AmazonopensearchserviceDestinationDescription}. */
    public String descriptionMember() {
        return shapePrefix + "DestinationDescription";
    }

    /** The flavor configured by CreateDeliveryStream member {@code member}, or updated by UpdateDestination's. */
    public static Optional<SearchFlavor> ofMember(String member) {
        for (SearchFlavor flavor : values()) {
            if (flavor.configurationMember().equals(member)
                    || flavor.updateMember().equals(member)) {
                return Optional.of(flavor);
            }
        }
        return Optional.empty();
    }

    /** Its name in messages: {@code Amazon OpenSearch Service}, {@code Elasticsearch}, {@code Amazon OpenSearch Serverless}. */
    public String displayName() {
        return displayName;
    }

    /** How messages name one destination of this flavor: {@code an Elasticsearch destination}. */
    public String nounPhrase() {
        return "an " + displayName + " destination";
    }

    /** The prefix of its delivery metrics (metrics spec §4), e.g. {@code DeliveryToElasticsearch}. */
    public String metricsPrefix() {
        return metricsPrefix;
    }

    /** The folder of its error documents: {@code AmazonOpenSearchService-failed}, or {@code elasticsearch-failed}. */
    public ErrorOutputType errorOutput() {
        return errorOutput;
    }

    /** Its error code for a failure the cluster did not answer with a status, e.g. {@code OS.ConnectionFailed}. */
    public String errorCode(String failure) {
        return errorCodePrefix + "." + failure;
    }

    /** The SigV4 service name its AWS-hosted clusters are signed for: {@code es}, or {@code aoss}. */
    public String signingService() {
        return signingService;
    }

    /**
     * The prefix of its error documents' own members (delivery spec §5): {@code esDocumentId},
     * {@code esIndexName}, {@code esTypeName}; Serverless {@code osDocumentId}, {@code osIndexName}.
     */
    String errorMemberPrefix() {
        return errorMemberPrefix;
    }

    /** Whether it is configured with a domain ARN or cluster endpoint (else a collection endpoint). */
    public boolean hasDomains() {
        return this != SERVERLESS;
    }

    /** Whether it has {@code TypeName}, {@code IndexRotationPeriod} and {@code DocumentIdOptions}. */
    public boolean hasIndexOptions() {
        return this != SERVERLESS;
    }
}
