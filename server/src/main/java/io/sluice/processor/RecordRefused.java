package io.sluice.processor;

import java.util.LinkedHashMap;

/**
 * A {@link RecordProcessor.PerRecord} processor's reason to fail the record it is processing, thrown
 * while it reads the record and turned into {@link RecordProcessor.Emitter#fail} before anything is
 * emitted. No stack trace: it is an expected outcome, raised once per bad record.
 */
final class RecordRefused extends Exception {
    private final transient ProcessingFailure failure;

    RecordRefused(String errorOutputType, String errorCode, String errorMessage) {
        super(errorMessage, null, false, false);
        this.failure = new ProcessingFailure(errorOutputType, errorCode, errorMessage, 1, new LinkedHashMap<>());
    }

    ProcessingFailure failure() {
        return failure;
    }
}
