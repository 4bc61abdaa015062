package io.sluice.processor;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The keys a record is partitioned by (delivery spec §7): those a {@code MetadataExtraction} query
 * produced ({@code !{partitionKeyFromQuery:<key>}}) and those a Lambda function returned
 * ({@code !{partitionKeyFromLambda:<key>}}). Records with equal keys share a buffer; {@link #NONE}, the
 * keys of every record of a stream without dynamic partitioning, make one buffer per stream.
 */
public record PartitionKeys(SortedMap<String, String> fromQuery, SortedMap<String, String> fromLambda) {
    public static final PartitionKeys NONE = new PartitionKeys(new TreeMap<>(), new TreeMap<>());

    public PartitionKeys {
        fromQuery = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(fromQuery, "fromQuery is null")));
        fromLambda = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(fromLambda, "fromLambda is null")));
    }

    /** These keys with {@code more} query keys added (a later value for a key wins). */
    public PartitionKeys withQueryKeys(SortedMap<String, String> more) {
        if (fromQuery.isEmpty()) {
            return new PartitionKeys(more, fromLambda);
        }
        TreeMap<String, String> merged = new TreeMap<>(fromQuery);
        merged.putAll(more);
        return new PartitionKeys(merged, fromLambda);
    }

    /** These keys with {@code more} Lambda keys added (a later value for a key wins). */
    public PartitionKeys withLambdaKeys(SortedMap<String, String> more) {
        TreeMap<String, String> merged = new TreeMap<>(fromLambda);
        merged.putAll(more);
        return new PartitionKeys(fromQuery, merged);
    }

    public boolean isEmpty() {
        return fromQuery.isEmpty() && fromLambda.isEmpty();
    }
}
