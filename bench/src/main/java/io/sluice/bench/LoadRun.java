package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one load: builds the payloads, starts one worker per connection, samples CPU time and storage
 * writes at the start and the end of the measurement window, and waits for the workers. Each worker
 * is a platform thread blocking on its socket: measured against {@code bench sink}, that costs the
 * generator about a third less CPU per request than virtual threads, whose every blocking read goes
 * through the poller. Bounded in time: workers still busy {@code timeout} after the window are aborted
 * (their connections closed), which ends them within one more {@code timeout} (the longest a connect
 * can take). Requests still unanswered when the window ends are not counted.
 */
public final class LoadRun {
    private static final Duration JOIN_GRACE = Duration.ofSeconds(1);

    private final LoadSpec spec;
    private final Optional<Long> serverPid;
    private final Clock clock;

    public LoadRun(LoadSpec spec, Optional<Long> serverPid, Clock clock) {
        this.spec = requireNonNull(spec, "spec is null");
        this.serverPid = requireNonNull(serverPid, "serverPid is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public Report run() throws InterruptedException {
        Workload workload = Workload.build(spec);
        Optional<ProcessProbe> server = serverPid.map(ProcessProbe::of);
        ProcessProbe self = ProcessProbe.self();

        long start = System.nanoTime();
        long measureFrom = start + spec.warmup().toNanos();
        Window window =
                new Window(start, measureFrom, measureFrom + spec.duration().toNanos());
        List<Worker> workers = new ArrayList<>(spec.connections());
        List<Thread> threads = new ArrayList<>(spec.connections());
        for (int i = 0; i < spec.connections(); i++) {
            Worker worker = new Worker(i, spec, workload, clock, window);
            workers.add(worker);
            threads.add(
                    Thread.ofPlatform().name("bench-worker-" + i).daemon(true).start(worker));
        }

        sleepUntil(window.measureFrom());
        Optional<ProcessProbe.Sample> serverAtStart = server.map(ProcessProbe::sample);
        ProcessProbe.Sample selfAtStart = self.sample();
        sleepUntil(window.end());
        Optional<ProcessUsage> serverUsage = server.map(probe -> probe.usageSince(serverAtStart.orElseThrow()));
        ProcessUsage selfUsage = self.usageSince(selfAtStart);

        long deadline = window.end() + spec.timeout().toNanos() + JOIN_GRACE.toNanos();
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                thread.join(Duration.ofNanos(left));
            }
        }
        for (Worker worker : workers) {
            worker.abort();
        }
        for (Thread thread : threads) {
            thread.join(spec.timeout().plus(JOIN_GRACE));
        }

        Tally total = new Tally();
        long connectionsOpened = 0;
        for (Worker worker : workers) {
            total.add(worker.tally());
            connectionsOpened += worker.connectionsOpened();
        }
        return new Report(spec, total.counts(spec.duration()), connectionsOpened, serverUsage, selfUsage);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        while (left > 0) {
            LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            left = nanoTime - System.nanoTime();
        }
    }
}
