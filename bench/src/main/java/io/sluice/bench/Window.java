package io.sluice.bench;

/**
 * The run's timeline in {@link System#nanoTime()} units: it starts at {@code start}, requests due from
 * {@code measureFrom} and answered by {@code end} are measured, and none is sent after {@code end}.
 */
record Window(long start, long measureFrom, long end) {
    Window {
        if (measureFrom - start < 0 || end - measureFrom <= 0) {
            throw new IllegalArgumentException("need start <= measureFrom < end");
        }
    }

    boolean measures(long due, long answered) {
        return due - measureFrom >= 0 && end - answered >= 0;
    }
}
