package io.sluice.bench;

/** The data-plane call the generator makes. */
public enum PutOperation {
    PUT_RECORD_BATCH("PutRecordBatch"),
    PUT_RECORD("PutRecord");

    private final String wireName;

    PutOperation(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The {@code X-Amz-Target} header value. */
    String target() {
        return "Firehose_20150804." + wireName;
    }
}
