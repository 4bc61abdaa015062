package io.sluice.console;

/** What the console graphs per stream, each sampled once a minute. */
enum Series {
    INCOMING_RECORDS("Incoming records", true),
    INCOMING_BYTES("Incoming bytes", true),
    DELIVERED_RECORDS("Delivered records", true),
    FAILED_RECORDS("Records given up on", true),
    THROTTLED_RECORDS("Throttled records", true),
    FRESHNESS_SECONDS("Data freshness (seconds)", false),
    BACKLOG_BYTES("Backlog (bytes not yet delivered)", false);

    private final String title;
    private final boolean counter;

    Series(String title, boolean counter) {
        this.title = title;
        this.counter = counter;
    }

    String title() {
        return title;
    }

    /** A counter is graphed as its increase per minute; a gauge as its value. */
    boolean counter() {
        return counter;
    }
}
