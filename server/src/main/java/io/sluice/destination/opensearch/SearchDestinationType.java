package io.sluice.destination.opensearch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DestinationSpec;
import io.sluice.destination.DeliveryMetricNames;
import io.sluice.destination.DeliveryPolicy;
import io.sluice.destination.Destination;
import io.sluice.destination.DestinationType;
import io.sluice.destination.ErrorDocuments;
import io.sluice.processor.ProcessorStages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The search destinations: Amazon OpenSearch Service, Elasticsearch and Amazon OpenSearch Serverless
 * (delivery spec §9), one type for the three {@link SearchFlavor}s, which differ in their members, their
 * metric names, their error folder and how they are signed. A buffer is one bulk request; a failing one
 * is retried for {@code RetryOptions.DurationInSeconds} with the HTTP endpoint's backoff, items the cluster
 * refuses for good at once; records given up on become error documents under the S3 configuration's
 * error prefix ({@code AmazonOpenSearchService-failed}, {@code elasticsearch-failed}); with
 * {@code S3BackupMode} {@code AllDocuments} every record is also copied there. As on AWS, an
 * UpdateDestination cannot change a search destination into another type, nor another into one, nor one
 * flavor into another.
 */
public final class SearchDestinationType implements DestinationType<SearchDestinationSpec> {
    /** A buffer is one request, whatever its number of documents. */
    private static final long MAX_RECORDS = Integer.MAX_VALUE;

    private final SearchClusters clusters;
    private final Path staging;
    private final ProcessorStages processors;
    private final WeekNumbering weeks;
    private final Supplier<UUID> uuids;

    /**
     * Destinations reaching their clusters through {@code clusters}, staging request bodies in
     * {@code staging}, processing with {@code processors}, naming {@code OneWeek} indexes by {@code weeks}.
     */
    public SearchDestinationType(
            SearchClusters clusters,
            Path staging,
            ProcessorStages processors,
            WeekNumbering weeks,
            Supplier<UUID> uuids) {
        this.clusters = requireNonNull(clusters, "clusters is null");
        this.staging = requireNonNull(staging, "staging is null");
        this.processors = requireNonNull(processors, "processors is null");
        this.weeks = requireNonNull(weeks, "weeks is null");
        this.uuids = requireNonNull(uuids, "uuids is null");
    }

    @Override
    public Class<SearchDestinationSpec> specClass() {
        return SearchDestinationSpec.class;
    }

    @Override
    public List<String> configurationMembers() {
        return Arrays.stream(SearchFlavor.values())
                .map(SearchFlavor::configurationMember)
                .toList();
    }

    @Override
    public List<String> updateMembers() {
        return Arrays.stream(SearchFlavor.values())
                .map(SearchFlavor::updateMember)
                .toList();
    }

    @Override
    public String nounPhrase() {
        return "a search destination";
    }

    @Override
    public String nounPhrase(SearchDestinationSpec spec) {
        return spec.flavor().nounPhrase();
    }

    @Override
    public String configurationMember(SearchDestinationSpec spec) {
        return spec.flavor().configurationMember();
    }

    @Override
    public boolean convertible() {
        return false;
    }

    @Override
    public SearchDestinationSpec parse(String member, JsonNode configuration) {
        return SearchDestinationCodec.parse(flavor(member), configuration);
    }

    @Override
    public SearchDestinationSpec merge(SearchDestinationSpec current, String member, JsonNode update) {
        return SearchDestinationCodec.merge(current, flavor(member), update);
    }

    /** Never: AWS refuses to change another destination into a search destination. */
    @Override
    public Optional<SearchDestinationSpec> convert(DestinationSpec current, String member, JsonNode update) {
        throw SearchDestinationCodec.typeChange(flavor(member));
    }

    @Override
    public ObjectNode render(SearchDestinationSpec spec) {
        return SearchDestinationCodec.render(spec);
    }

    @Override
    public void describe(SearchDestinationSpec spec, ObjectNode destinationDescription) {
        destinationDescription.set(spec.flavor().descriptionMember(), SearchDestinationCodec.describe(spec));
    }

    @Override
    public DeliveryPolicy policy(DeliveryStream stream, SearchDestinationSpec spec) {
        return new DeliveryPolicy(
                spec.bufferingHints(),
                MAX_RECORDS,
                new DeliveryPolicy.Retry.ForDuration(spec.retryDuration()),
                Optional.of(new DeliveryPolicy.ErrorOutput(
                        spec.s3(),
                        spec.flavor().errorOutput().text(),
                        errorLayout(spec.flavor(), Documents.of(spec, stream.uid(), weeks)))),
                spec.backupMode() == SearchDestinationSpec.BackupMode.ALL_DOCUMENTS
                        ? Optional.of(spec.s3())
                        : Optional.empty(),
                spec.s3(),
                processors.build(
                        stream,
                        spec.processing(),
                        SearchDestinationCodec.processors(spec.flavor(), spec.roleArn()),
                        Optional.empty()),
                DeliveryPolicy.DEFAULT_MAX_PARTITIONS,
                DeliveryMetricNames.of(spec.flavor().metricsPrefix()));
    }

    /**
     * Before {@code rawData} (delivery spec §5): the document's id ({@code null} without ids), index and
     * type ({@code null} without one) as they were sent: {@code esDocumentId}, {@code esIndexName},
     * {@code esTypeName}; Serverless: {@code osDocumentId}, {@code osIndexName}.
     */
    static ErrorDocuments.Layout errorLayout(SearchFlavor flavor, Documents documents) {
        String prefix = flavor.errorMemberPrefix();
        return new ErrorDocuments.Layout() {
            @Override
            public void beforeRawData(JsonGenerator json, ErrorDocuments.Origin record) throws IOException {
                json.writeFieldName(prefix + "DocumentId");
                Optional<String> id = documents.id(record.position(), record.subsequence());
                if (id.isPresent()) {
                    json.writeString(id.get());
                } else {
                    json.writeNull();
                }
                json.writeStringField(prefix + "IndexName", documents.index(record.arrivalMillis()));
                if (flavor.hasIndexOptions()) {
                    json.writeFieldName(prefix + "TypeName");
                    if (documents.type().isPresent()) {
                        json.writeString(documents.type().get());
                    } else {
                        json.writeNull();
                    }
                }
            }
        };
    }

    @Override
    public Destination create(DeliveryStream stream, SearchDestinationSpec spec) {
        return new BulkDestination(spec, Documents.of(spec, stream.uid(), weeks), clusters, staging, uuids);
    }

    private static SearchFlavor flavor(String member) {
        return SearchFlavor.ofMember(member)
                .orElseThrow(() -> new IllegalArgumentException("not a search destination member: " + member));
    }
}
