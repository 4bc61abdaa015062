package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/**
 * What one request came to. A response is {@link Ok} only on HTTP 200 and, for a batch, {@code
 * FailedPutCount} 0; a 200 batch with failed records is {@link Partial}; anything else is {@link
 * Failed}, keyed by status and AWS error type ({@code HTTP 503 ServiceUnavailableException}) or by the
 * transport error ({@code I/O SocketTimeoutException}).
 */
sealed interface Outcome {
    /** Every record was accepted. */
    record Ok(int records) implements Outcome {}

    /** HTTP 200 with {@code FailedPutCount} > 0. */
    record Partial(int accepted, int failed) implements Outcome {}

    /** No record was accepted. */
    record Failed(String key, int records) implements Outcome {
        public Failed {
            requireNonNull(key, "key is null");
        }
    }

    /** Classifies a response to a request of {@code records} records. */
    static Outcome of(HttpResponse response, PutOperation operation, int records) {
        if (response.status() == 200) {
            if (operation == PutOperation.PUT_RECORD) {
                return new Ok(records);
            }
            OptionalLong failed =
                    JsonFields.number(response.buffer(), response.offset(), response.length(), "FailedPutCount");
            if (failed.isEmpty() || failed.getAsLong() > records) {
                return new Failed("HTTP 200 without a valid FailedPutCount", records);
            }
            int failedRecords = (int) failed.getAsLong();
            return failedRecords == 0 ? new Ok(records) : new Partial(records - failedRecords, failedRecords);
        }
        return new Failed("HTTP " + response.status() + errorType(response), records);
    }

    static Outcome ofTransport(Exception error, int records) {
        return new Failed("I/O " + error.getClass().getSimpleName(), records);
    }

    /** {@code " TYPE"} from the body's {@code __type} or the {@code x-amzn-ErrorType} header, or "". */
    private static String errorType(HttpResponse response) {
        String type = JsonFields.string(response.buffer(), response.offset(), response.length(), "__type")
                .or(response::errorType)
                .orElse("");
        int hash = type.lastIndexOf('#');
        int colon = type.indexOf(':');
        String bare = hash >= 0 ? type.substring(hash + 1) : colon >= 0 ? type.substring(0, colon) : type;
        return bare.isBlank() ? "" : " " + bare.strip();
    }
}
