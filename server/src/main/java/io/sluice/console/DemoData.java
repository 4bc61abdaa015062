package io.sluice.console;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.api.GuardedOperations;
import io.sluice.api.Operation;
import io.sluice.api.RequestBody;
import io.sluice.catalog.StreamRef;
import io.sluice.common.FirehoseException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Test with demo data": per stream, a virtual thread putting {@link #RECORDS_PER_PUT} records of AWS's
 * stock-ticker sample shape ({@code {"ticker_symbol":"QXZ","sector":"HEALTHCARE","change":-0.05,"price":84.51}})
 * once a second through PutRecordBatch, as any client would (quotas, encryption and metrics apply). At most
 * {@code maxGenerators} run at once; each stops after {@code maxRun}, when stopped, or when a put is refused
 * (the stream was deleted).
 */
final class DemoData implements AutoCloseable {
    static final int RECORDS_PER_PUT = 10;

    private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);
    private static final List<String[]> TICKERS = List.of(
            new String[] {"QXZ", "HEALTHCARE"},
            new String[] {"WMT", "RETAIL"},
            new String[] {"NFS", "ENERGY"},
            new String[] {"ALY", "TECHNOLOGY"},
            new String[] {"KFU", "FINANCIAL"},
            new String[] {"BNM", "AUTOMOBILE"});

    /** A generator started at {@code started}. */
    record Run(Instant started, Thread thread) {}

    private final GuardedOperations operations;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration maxRun;
    private final int maxGenerators;
    private final Map<StreamRef, Run> running = new ConcurrentHashMap<>();

    DemoData(GuardedOperations operations, ObjectMapper json, Clock clock, Duration maxRun, int maxGenerators) {
        this.operations = requireNonNull(operations, "operations is null");
        this.json = requireNonNull(json, "json is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.maxRun = requireNonNull(maxRun, "maxRun is null");
        this.maxGenerators = maxGenerators;
    }

    /** Starts a generator for {@code stream} unless one runs; false when {@code maxGenerators} run already. */
    synchronized boolean start(Session session, StreamRef stream) {
        if (running.containsKey(stream)) {
            return true;
        }
        if (running.size() >= maxGenerators) {
            return false;
        }
        Instant started = clock.instant();
        Thread thread = Thread.ofVirtual()
                .name("sluice-demo-" + stream.name())
                .unstarted(() -> generate(session, stream, started));
        running.put(stream, new Run(started, thread));
        thread.start();
        return true;
    }

    synchronized void stop(StreamRef stream) {
        Run run = running.remove(stream);
        if (run != null) {
            run.thread().interrupt();
        }
    }

    Optional<Run> running(StreamRef stream) {
        return Optional.ofNullable(running.get(stream));
    }

    private void generate(Session session, StreamRef stream, Instant started) {
        SplittableRandom random = new SplittableRandom();
        try {
            while (!Thread.currentThread().isInterrupted() && clock.instant().isBefore(started.plus(maxRun))) {
                operations.run(
                        ConsoleHandler.caller(session),
                        Operation.PUT_RECORD_BATCH,
                        RequestBody.of(batch(stream.name(), random)),
                        UUID.randomUUID().toString(),
                        session.sourceAddress());
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (FirehoseException e) {
            LOG.info("Demo data for delivery stream {} stopped: {}", stream.arn(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Demo data for delivery stream {} stopped", stream.arn(), e);
        } finally {
            running.computeIfPresent(stream, (s, run) -> run.thread() == Thread.currentThread() ? null : run);
        }
    }

    private byte[] batch(String streamName, SplittableRandom random) throws IOException {
        ObjectNode body = json.createObjectNode().put("DeliveryStreamName", streamName);
        ArrayNode records = body.putArray("Records");
        for (int i = 0; i < RECORDS_PER_PUT; i++) {
            records.addObject().put("Data", json.writeValueAsBytes(tick(random)));
        }
        return json.writeValueAsBytes(body);
    }

    /** One record of AWS's sample: a ticker, its sector, the price change and the price. */
    private ObjectNode tick(SplittableRandom random) {
        String[] ticker = TICKERS.get(random.nextInt(TICKERS.size()));
        // Whole cents divided once, so each value prints as its two decimals.
        double price = (1_000 + random.nextInt(19_000)) / 100.0;
        double change = (random.nextInt(2_001) - 1_000) / 100.0;
        return json.createObjectNode()
                .put("ticker_symbol", ticker[0])
                .put("sector", ticker[1])
                .put("change", change)
                .put("price", price);
    }

    @Override
    public synchronized void close() {
        running.values().forEach(run -> run.thread().interrupt());
        running.clear();
    }
}
