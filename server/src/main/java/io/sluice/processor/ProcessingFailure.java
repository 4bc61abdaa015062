package io.sluice.processor;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

/**
 * Why a processor could not process a record: the record goes to the error output under
 * {@code errorOutputType} ({@code processing-failed}, {@code decompression-failed}, …) as an error
 * document (delivery spec §5) with these members; {@code trailingMembers} follow the standard ones in
 * order (a Lambda processor adds {@code lambdaARN}).
 */
public record ProcessingFailure(
        String errorOutputType,
        String errorCode,
        String errorMessage,
        int attemptsMade,
        SequencedMap<String, String> trailingMembers) {
    public static final String PROCESSING_FAILED = "processing-failed";

    public ProcessingFailure {
        requireNonNull(errorOutputType, "errorOutputType is null");
        requireNonNull(errorCode, "errorCode is null");
        requireNonNull(errorMessage, "errorMessage is null");
        trailingMembers = Collections.unmodifiableSequencedMap(
                new LinkedHashMap<>(requireNonNull(trailingMembers, "trailingMembers is null")));
        if (attemptsMade < 1) {
            throw new IllegalArgumentException("attemptsMade must be at least 1: " + attemptsMade);
        }
    }
}
