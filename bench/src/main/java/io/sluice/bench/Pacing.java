package io.sluice.bench;

/**
 * When requests are sent. {@link ClosedLoop}: each connection sends its next request as soon as the
 * previous one is answered. {@link OpenLoop}: requests are due at a fixed total rate, spread evenly
 * over the connections; latency is timed from when a request was due, so a server that falls behind
 * shows its queueing in the figures rather than slowing the senders down.
 */
public sealed interface Pacing {
    record ClosedLoop() implements Pacing {}

    record OpenLoop(double requestsPerSecond) implements Pacing {
        public OpenLoop {
            if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
                throw new IllegalArgumentException("the rate must be a positive number: " + requestsPerSecond);
            }
        }
    }
}
