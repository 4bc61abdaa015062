package io.sluice.processor;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The last step before a partitioned stream's records are routed (delivery spec §7.2b, §7.3): a record
 * lacking a partition key its {@code Prefix} uses cannot be placed, and goes to the error output as
 * {@code processing-failed}, code {@value #MISSING_KEY} (AWS does not publish this code). The others pass
 * unchanged.
 *
 * @param fromQuery the {@code partitionKeyFromQuery} keys the prefix uses
 * @param fromLambda the {@code partitionKeyFromLambda} keys the prefix uses
 */
public record PartitionKeyCheck(SortedSet<String> fromQuery, SortedSet<String> fromLambda)
        implements RecordProcessor.PerRecord {
    public static final String MISSING_KEY = "DynamicPartitioning.MissingPartitionKey";

    public PartitionKeyCheck {
        fromQuery = new TreeSet<>(requireNonNull(fromQuery, "fromQuery is null"));
        fromLambda = new TreeSet<>(requireNonNull(fromLambda, "fromLambda is null"));
    }

    @Override
    public void process(ProcessorRecord record, Emitter out) {
        for (String key : fromLambda) {
            if (!record.partitionKeys().fromLambda().containsKey(key)) {
                out.fail(missing("The Lambda function returned no partition key '" + key + "' for the record."));
                return;
            }
        }
        for (String key : fromQuery) {
            if (!record.partitionKeys().fromQuery().containsKey(key)) {
                out.fail(missing(
                        "The metadata extraction query yielded no partition key '" + key + "' for the record."));
                return;
            }
        }
        out.emit(record);
    }

    private static ProcessingFailure missing(String message) {
        return new ProcessingFailure(
                ProcessingFailure.PROCESSING_FAILED, MISSING_KEY, message, 1, new LinkedHashMap<>());
    }
}
