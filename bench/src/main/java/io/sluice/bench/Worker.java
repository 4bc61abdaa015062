package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One connection's request loop: sends pre-built payloads in turn until the window ends, reconnecting
 * when the server closes the connection or it fails. Only the worker's own thread touches its tally
 * until the thread has ended; {@link #abort()} may be called from any thread.
 */
final class Worker implements Runnable {
    private static final long CONNECT_RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final int index;
    private final LoadSpec spec;
    private final List<Payload> payloads;
    private final RequestHeads heads;
    private final Window window;
    private final Tally tally = new Tally();
    private volatile HttpConnection connection;
    private volatile boolean aborted;
    private long connectionsOpened;

    Worker(int index, LoadSpec spec, Workload workload, Clock clock, Window window) {
        this.index = index;
        this.spec = requireNonNull(spec, "spec is null");
        this.payloads = workload.payloads();
        this.heads = new RequestHeads(spec, workload, clock);
        this.window = requireNonNull(window, "window is null");
    }

    @Override
    public void run() {
        double nanosPerRequest = spec.pacing() instanceof Pacing.OpenLoop open ? 1e9 / open.requestsPerSecond() : 0;
        long sent = 0;
        int next = index % payloads.size();
        while (!aborted) {
            long due = nanosPerRequest > 0
                    ? window.start() + (long) ((index + sent * spec.connections()) * nanosPerRequest)
                    : System.nanoTime();
            if (due - window.end() >= 0) {
                break;
            }
            waitUntil(due);
            sent++;
            int payloadIndex = next;
            Payload payload = payloads.get(payloadIndex);
            next = (next + 1) % payloads.size();
            Outcome outcome;
            long answered;
            try {
                outcome = exchange(payload, heads.head(payloadIndex));
                answered = System.nanoTime();
            } catch (IOException e) {
                answered = System.nanoTime();
                outcome = Outcome.ofTransport(e, payload.records());
                closeConnection();
                if (e instanceof ConnectException) {
                    LockSupport.parkNanos(CONNECT_RETRY_PAUSE_NANOS);
                }
            }
            if (!aborted && window.measures(due, answered)) {
                tally.record(outcome, payload, answered - due);
            }
        }
        closeConnection();
    }

    private Outcome exchange(Payload payload, ByteBuffer head) throws IOException {
        HttpConnection current = connection;
        if (current == null) {
            current = HttpConnection.open(spec.endpoint(), spec.timeout());
            connection = current;
            connectionsOpened++;
            if (aborted) {
                closeConnection();
                throw new IOException("aborted");
            }
        }
        HttpResponse response = current.exchange(head, payload.view());
        Outcome outcome = Outcome.of(response, spec.operation(), payload.records());
        if (response.close()) {
            closeConnection();
        }
        return outcome;
    }

    private void waitUntil(long due) {
        long left = due - System.nanoTime();
        while (!aborted && left > 0) {
            LockSupport.parkNanos(left);
            left = due - System.nanoTime();
        }
    }

    /** Stops the loop and unblocks a pending exchange by closing the connection. */
    void abort() {
        aborted = true;
        closeConnection();
    }

    private void closeConnection() {
        HttpConnection current = connection;
        connection = null;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // Closing is best effort; the socket is gone either way.
            }
        }
    }

    Tally tally() {
        return tally;
    }

    long connectionsOpened() {
        return connectionsOpened;
    }
}
