package io.sluice.destination.opensearch;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the documents of one stream's search destination go and what they are called: the index of a
 * record (its {@code IndexName} rotated by its arrival time, delivery spec §9.4), its type
 * ({@code TypeName} unless empty, §9.9), and its id ({@code FIREHOSE_DEFAULT}: {@link DocumentIds}; none for
 * {@code NO_DOCUMENT_ID} and Serverless). Used to write the bulk request and the error documents alike.
 */
record Documents(
        String indexName,
        IndexRotation rotation,
        WeekNumbering weeks,
        Optional<String> type,
        Optional<DocumentIds> ids) {
    Documents {
        requireNonNull(indexName, "indexName is null");
        requireNonNull(rotation, "rotation is null");
        requireNonNull(weeks, "weeks is null");
        requireNonNull(type, "type is null");
        requireNonNull(ids, "ids is null");
    }

    /** The documents of {@code spec} for the stream whose uid is {@code streamUid}. */
    static Documents of(SearchDestinationSpec spec, String streamUid, WeekNumbering weeks) {
        return new Documents(
                spec.indexName(),
                spec.rotation(),
                weeks,
                spec.documentType(),
                spec.documentIds() == SearchDestinationSpec.DocumentIdFormat.FIREHOSE_DEFAULT
                        ? Optional.of(DocumentIds.of(streamUid))
                        : Optional.empty());
    }

    /** The index of a record that arrived at {@code arrivalMillis}. */
    String index(long arrivalMillis) {
        return rotation.index(indexName, Instant.ofEpochMilli(arrivalMillis), weeks);
    }

    /** The id of record {@code subsequence} made of the record at {@code position}, if documents have ids. */
    Optional<String> id(long position, int subsequence) {
        return ids.map(i -> i.id(position, subsequence));
    }
}
