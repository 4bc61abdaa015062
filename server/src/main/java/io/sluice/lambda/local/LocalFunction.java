package io.sluice.lambda.local;

import static java.util.Objects.requireNonNull;

import io.sluice.lambda.FunctionCall;
import io.sluice.lambda.FunctionInvoker;
import io.sluice.lambda.Invocation;
import io.sluice.lambda.Invocation.FunctionFailed;
import io.sluice.lambda.Invocation.Refused;
import io.sluice.lambda.local.RuntimeApiHandler.Poll;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a Lambda function locally: serves the Runtime API (delivery spec §6.1.13) on loopback and keeps
 * {@link LocalFunctionConfig#processes()} runtime processes running the user's command against it, with
 * Lambda's environment (§6.1.14). No AWS and no container: any runtime that speaks the Runtime API works,
 * AWS's runtime interface clients included (§6.1.15).
 *
 * <p>Each process polls {@code /next} on a port of its own and runs one invocation at a time.
 * Invocations no process is free for wait, at most {@code 4 × processes} of them and at most the
 * function's timeout; beyond either they are refused. A process that exits is started again, after a
 * delay that doubles (100 ms up to 5 s) while it keeps exiting without ever polling; the invocation it
 * held fails as {@code Runtime.ExitError}. As on Lambda, a process that fails to initialize (reports
 * {@code /init/error}, exits before polling, or cannot be started) fails the invocation waiting first, or
 * else the next one. One that does not answer by its deadline ends as
 * {@link Invocation.TimedOut}, and its process (with its descendants) is killed and started again.
 * {@code clock} stamps deadlines ({@code Lambda-Runtime-Deadline-Ms}) and log stream names; timers
 * themselves run on elapsed time.
 */
public final class LocalFunction implements FunctionInvoker {
    private static final Logger log = LoggerFactory.getLogger(LocalFunction.class);
    private static final int WAITING_PER_PROCESS = 4;
    private static final Duration FIRST_RESTART_DELAY = Duration.ofMillis(100);
    private static final Duration MAX_RESTART_DELAY = Duration.ofSeconds(5);
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);
    private static final DateTimeFormatter LOG_STREAM_DATE =
            DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    /** Outcomes are handed on from here, so no caller's continuation runs under this invoker's lock. */
    private static final Executor HAND_ON =
            task -> Thread.ofVirtual().name("sluice-lambda-outcome").start(task);

    private final LocalFunctionConfig config;
    private final Clock clock;
    private final Logger functionLog;
    private final Server server;
    private final IdentityHashMap<Connector, Integer> processOfConnector = new IdentityHashMap<>();
    private final ScheduledExecutorService timers;
    private final Object lock = new Object();

    // Guarded by lock.
    private final List<Slot> slots = new ArrayList<>();
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private Optional<FunctionFailed> initErrorForNext = Optional.empty();
    private boolean closed;

    private LocalFunction(LocalFunctionConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.functionLog = LoggerFactory.getLogger("io.sluice.lambda.local.function." + config.functionName());
        QueuedThreadPool threads = new QueuedThreadPool(16 + 2 * config.processes(), 2);
        threads.setName("sluice-lambda-" + config.functionName());
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(threads);
        server.setStopTimeout(0); // nothing to drain on close: every invocation has already ended
        for (int i = 0; i < config.processes(); i++) {
            // One port a process: the connector a request arrives on says which process sent it.
            ServerConnector connector = new ServerConnector(server, 0, 1);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            connector.setIdleTimeout(0); // /next is a long poll without a timeout
            server.addConnector(connector);
            processOfConnector.put(connector, i);
            slots.add(new Slot(i, connector));
        }
        server.setHandler(new RuntimeApiHandler(this));
        timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("sluice-lambda-timers").daemon(true).factory());
    }

    /**
     * Starts the Runtime API and the function's runtime processes. Returns once the API serves and the
     * processes are started; they initialize in the background (a command that cannot start is retried,
     * and logged).
     *
     * @throws IOException when the API could not be served
     */
    public static LocalFunction start(LocalFunctionConfig config, Clock clock) throws IOException {
        requireNonNull(config, "config is null");
        requireNonNull(clock, "clock is null");
        LocalFunction function = new LocalFunction(config, clock);
        try {
            function.server.start();
        } catch (Exception e) {
            function.close();
            throw new IOException("could not serve the Runtime API for " + config.functionArn(), e);
        }
        synchronized (function.lock) {
            function.slots.forEach(function::startProcess);
        }
        return function;
    }

    @Override
    public CompletionStage<Invocation> invoke(FunctionCall call) {
        requireNonNull(call, "call is null");
        if (call.payload().length > FunctionCall.MAX_PAYLOAD_BYTES) {
            return CompletableFuture.completedStage(new Refused(
                    Refused.INVOKE_FAILED,
                    "Request payload of " + call.payload().length + " bytes is over the maximum of "
                            + FunctionCall.MAX_PAYLOAD_BYTES));
        }
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.completedStage(stopped());
            }
            if (initErrorForNext.isPresent()) {
                FunctionFailed initError = initErrorForNext.get();
                initErrorForNext = Optional.empty();
                return CompletableFuture.completedStage(initError);
            }
            Pending pending = new Pending(call.payload());
            Optional<Slot> free = slots.stream().filter(r -> r.poll != null).findFirst();
            if (free.isPresent()) {
                dispatch(free.get(), pending);
            } else if (waiting.size() >= WAITING_PER_PROCESS * config.processes()) {
                return CompletableFuture.completedStage(new Refused(
                        Refused.INVOKE_LIMIT_EXCEEDED,
                        "All " + config.processes() + " runtime processes of " + config.functionName()
                                + " are busy and " + waiting.size() + " invocations wait"));
            } else {
                waiting.add(pending);
                pending.timer = timers.schedule(
                        () -> waitedTooLong(pending), config.timeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            return pending.outcome.thenApplyAsync(Function.identity(), HAND_ON);
        }
    }

    /**
     * Stops the runtime processes (asked to end, killed after a grace period) and the Runtime API;
     * invocations waiting or in flight end as refused.
     */
    @Override
    public void close() {
        List<Process> processes = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            Invocation stopped = stopped();
            waiting.forEach(p -> p.end(stopped));
            waiting.clear();
            for (Slot slot : slots) {
                if (slot.holding != null) {
                    slot.holding.end(stopped);
                    slot.holding = null;
                }
                if (slot.poll != null) {
                    slot.poll.abandon("stopped");
                    slot.poll = null;
                }
                if (slot.process != null) {
                    processes.add(slot.process);
                }
            }
        }
        timers.shutdownNow();
        ProcessTrees.stop(processes, STOP_GRACE);
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("Runtime API of {} did not stop cleanly", config.functionArn(), e);
        }
    }

    int processOf(Connector connector) {
        Integer process = processOfConnector.get(connector);
        if (process == null) {
            throw new IllegalStateException("not one of this function's connectors: " + connector);
        }
        return process;
    }

    /** {@code GET /next} from process {@code index}: it finished what it held and takes the next invocation. */
    void next(int index, Poll poll) {
        synchronized (lock) {
            if (closed) {
                poll.abandon("stopped");
                return;
            }
            Slot slot = slots.get(index);
            slot.initialized = true;
            slot.restartDelay = FIRST_RESTART_DELAY; // it started and initialized: not a crash loop
            initErrorForNext = Optional.empty();
            if (slot.holding != null) {
                end(
                        slot,
                        new FunctionFailed(
                                "Runtime.InvalidResponse",
                                "RequestId: " + slot.holding.requestId
                                        + " Error: Runtime asked for the next invocation without answering this one"));
            }
            if (slot.poll != null) {
                slot.poll.abandon("polled again");
            }
            slot.poll = poll;
            Pending next = waiting.poll();
            if (next != null) {
                dispatch(slot, next);
            }
        }
    }

    /**
     * Process {@code index} answered invocation {@code requestId} ({@code /response} or {@code /error}).
     * False when it holds no such invocation (unknown, already ended, or timed out).
     */
    boolean finish(int index, String requestId, Invocation outcome) {
        synchronized (lock) {
            Slot slot = slots.get(index);
            if (slot.holding == null || !slot.holding.requestId.equals(requestId)) {
                return false;
            }
            end(slot, outcome);
            return true;
        }
    }

    /**
     * Process {@code index} could not initialize ({@code /init/error}) and will exit: as on Lambda, the
     * error is the outcome of the invocation it holds, else of the next one.
     */
    void initFailed(int index, FunctionFailed error) {
        synchronized (lock) {
            functionLog.warn(
                    "Runtime process {} failed to initialize: {}: {}", index, error.errorType(), error.errorMessage());
            Slot slot = slots.get(index);
            slot.initErrorReported = true;
            failHeldOrNext(slot, error);
        }
    }

    // Guarded by lock.
    private void failHeldOrNext(Slot slot, FunctionFailed error) {
        if (slot.holding != null) {
            end(slot, error);
        } else if (!waiting.isEmpty()) {
            waiting.poll().end(error);
        } else {
            initErrorForNext = Optional.of(error);
        }
    }

    // Guarded by lock.
    private void dispatch(Slot slot, Pending pending) {
        if (pending.timer != null) {
            pending.timer.cancel(false);
        }
        slot.holding = pending;
        Poll poll = slot.poll;
        slot.poll = null;
        long timeoutMs = config.timeout().toMillis();
        pending.timer = timers.schedule(() -> timedOut(slot, pending), timeoutMs, TimeUnit.MILLISECONDS);
        poll.deliver(pending.requestId, clock.millis() + timeoutMs, config.functionArn(), traceId(), pending.payload);
    }

    // Guarded by lock.
    private static void end(Slot slot, Invocation outcome) {
        slot.holding.end(outcome);
        slot.holding = null;
    }

    private void timedOut(Slot slot, Pending pending) {
        synchronized (lock) {
            if (slot.holding != pending) {
                return;
            }
            end(slot, new Invocation.TimedOut());
            if (slot.process != null) {
                functionLog.warn(
                        "Invocation {} timed out after {}; killing runtime process {} (pid {})",
                        pending.requestId,
                        config.timeout(),
                        slot.index,
                        slot.process.pid());
                ProcessTrees.kill(slot.process);
            }
        }
    }

    private void waitedTooLong(Pending pending) {
        synchronized (lock) {
            if (waiting.remove(pending)) {
                pending.end(new Refused(
                        Refused.INVOKE_FAILED,
                        "No runtime process of " + config.functionName() + " took the invocation within "
                                + config.timeout()));
            }
        }
    }

    // Guarded by lock.
    private void startProcess(Slot slot) {
        if (closed) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder(config.command()).redirectErrorStream(true);
        config.workingDirectory().ifPresent(dir -> builder.directory(dir.toFile()));
        builder.environment().clear();
        builder.environment().putAll(environment(slot.connector));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            functionLog.warn("Runtime process {} could not start: {}", slot.index, e.getMessage());
            failHeldOrNext(slot, new FunctionFailed("Runtime.InvalidEntrypoint", e.getMessage()));
            restartLater(slot);
            return;
        }
        slot.process = process;
        slot.initialized = false;
        slot.initErrorReported = false;
        try {
            process.getOutputStream().close(); // a runtime reads nothing from stdin
        } catch (IOException e) {
            // Nothing was written to it: closing it cannot lose anything.
        }
        RuntimeOutput.copyToLog(process.getInputStream(), functionLog, process.pid());
        Thread.ofVirtual().name("sluice-lambda-exit-" + process.pid()).start(() -> {
            process.onExit().join();
            exited(slot, process);
        });
    }

    private void exited(Slot slot, Process process) {
        synchronized (lock) {
            if (closed || !process.equals(slot.process)) { // not a process of an earlier start
                return;
            }
            slot.process = null;
            if (slot.poll != null) {
                slot.poll.abandon("runtime process exited");
                slot.poll = null;
            }
            String exitError = "Error: Runtime exited with error: exit status " + process.exitValue();
            if (slot.holding != null) {
                end(
                        slot,
                        new FunctionFailed(
                                "Runtime.ExitError", "RequestId: " + slot.holding.requestId + " " + exitError));
            } else if (!slot.initialized && !slot.initErrorReported) {
                // It died initializing without saying why: Lambda fails the invocation that waited for it.
                failHeldOrNext(slot, new FunctionFailed("Runtime.ExitError", exitError));
            }
            functionLog.warn(
                    "Runtime process {} (pid {}) exited with status {}; starting it again in {} ms",
                    slot.index,
                    process.pid(),
                    process.exitValue(),
                    slot.restartDelay.toMillis());
            restartLater(slot);
        }
    }

    // Guarded by lock. The restart's future is not kept: startProcess logs and retries its own failures.
    @SuppressWarnings("FutureReturnValueIgnored")
    private void restartLater(Slot slot) {
        Duration delay = slot.restartDelay;
        Duration doubled = delay.multipliedBy(2);
        slot.restartDelay = doubled.compareTo(MAX_RESTART_DELAY) > 0 ? MAX_RESTART_DELAY : doubled;
        timers.schedule(
                () -> {
                    synchronized (lock) {
                        startProcess(slot);
                    }
                },
                delay.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Lambda's runtime environment (§6.1.14) and the configured extras; nothing of Sluice's own. */
    private Map<String, String> environment(ServerConnector connector) {
        Map<String, String> env = new HashMap<>();
        String path = System.getenv("PATH");
        if (path != null) {
            env.put("PATH", path); // so a command may name its program without a path
        }
        env.putAll(config.environment());
        env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + connector.getLocalPort());
        env.put("_HANDLER", config.handler());
        env.put("AWS_LAMBDA_FUNCTION_NAME", config.functionName());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", config.functionVersion());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(config.memoryMb()));
        env.put("AWS_REGION", config.region());
        env.put("AWS_DEFAULT_REGION", config.region());
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + config.functionName());
        env.put(
                "AWS_LAMBDA_LOG_STREAM_NAME",
                LOG_STREAM_DATE.format(clock.instant()) + "/[" + config.functionVersion() + "]"
                        + UUID.randomUUID().toString().replace("-", ""));
        env.put(
                "LAMBDA_TASK_ROOT",
                config.workingDirectory().orElse(Path.of("")).toAbsolutePath().toString());
        env.put("TZ", "UTC");
        return env;
    }

    /** An X-Ray trace header, not sampled: there is no X-Ray here. */
    private String traceId() {
        HexFormat hex = HexFormat.of();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] id = new byte[12];
        random.nextBytes(id);
        return "Root=1-" + Long.toHexString(clock.millis() / 1000) + "-" + hex.formatHex(id) + ";Parent="
                + hex.toHexDigits(random.nextLong()) + ";Sampled=0";
    }

    private Refused stopped() {
        return new Refused(Refused.INVOKE_FAILED, "Local function " + config.functionName() + " stopped");
    }

    /** One runtime process's place: its port, its current process, its poll and invocation. */
    private static final class Slot {
        final int index;
        final ServerConnector connector;
        // Guarded by LocalFunction's lock.
        Process process;
        Poll poll;
        Pending holding;
        /** It polled {@code /next}: initialized. */
        boolean initialized;
        /** It reported {@code /init/error}: its exit says nothing more. */
        boolean initErrorReported;

        Duration restartDelay = FIRST_RESTART_DELAY;

        Slot(int index, ServerConnector connector) {
            this.index = index;
            this.connector = connector;
        }
    }

    /** An invocation not yet ended: waiting, or held by a runtime process. */
    private static final class Pending {
        final String requestId = UUID.randomUUID().toString();
        final byte[] payload;
        final CompletableFuture<Invocation> outcome = new CompletableFuture<>();
        // Guarded by LocalFunction's lock.
        ScheduledFuture<?> timer;

        Pending(byte[] payload) {
            this.payload = payload;
        }

        void end(Invocation invocation) {
            if (timer != null) {
                timer.cancel(false);
            }
            outcome.complete(invocation);
        }
    }
}
