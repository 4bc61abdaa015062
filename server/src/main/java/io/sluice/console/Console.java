package io.sluice.console;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.GuardedOperations;
import io.sluice.api.auth.CredentialStore;
import io.sluice.api.auth.Permissions;
import io.sluice.catalog.Catalog;
import io.sluice.catalog.DeliveryStream;
import io.sluice.destination.DeliveryMetricNames;
import io.sluice.destination.DestinationRegistry;
import io.sluice.destination.s3.ObjectStore;
import io.sluice.log.RecordLog;
import io.sluice.log.StreamKey;
import io.sluice.log.StreamReader;
import io.sluice.metrics.Metrics;
import io.sluice.metrics.StreamMetric;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console's parts: its handler in front of the Firehose handler, the metrics history sampled once
 * a minute on the server's scheduler, and the demo-data generators, stopped by {@link #close}.
 */
public final class Console implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    private static final Duration SESSION_LIFETIME = Duration.ofHours(8);
    private static final int MAX_SESSIONS = 10_000;
    private static final Duration SIGN_IN_WINDOW = Duration.ofMinutes(5);
    private static final int MAX_SIGN_IN_FAILURES = 5;
    private static final Duration DEMO_MAX_RUN = Duration.ofMinutes(15);
    private static final int MAX_DEMO_GENERATORS = 10;

    /** What the console reads and runs: the API's parts, the catalog, the metrics and the log. */
    public record Parts(
            CredentialStore credentials,
            Permissions permissions,
            GuardedOperations operations,
            ObjectMapper json,
            Catalog catalog,
            DestinationRegistry destinations,
            Metrics metrics,
            RecordLog log,
            DeliveryEvents events,
            ObjectStore objects) {
        public Parts {
            requireNonNull(credentials, "credentials is null");
            requireNonNull(permissions, "permissions is null");
            requireNonNull(operations, "operations is null");
            requireNonNull(json, "json is null");
            requireNonNull(catalog, "catalog is null");
            requireNonNull(destinations, "destinations is null");
            requireNonNull(metrics, "metrics is null");
            requireNonNull(log, "log is null");
            requireNonNull(events, "events is null");
            requireNonNull(objects, "objects is null");
        }
    }

    private final ConsoleHandler handler;
    private final DemoData demo;

    private Console(ConsoleHandler handler, DemoData demo) {
        this.handler = handler;
        this.demo = demo;
    }

    /** The console in front of {@code firehose}, its history sampled on {@code scheduler}. */
    public static Console start(Handler firehose, Parts parts, ScheduledExecutorService scheduler, Clock clock) {
        MetricsHistory history = new MetricsHistory(stream -> read(parts, stream), clock);
        DemoData demo = new DemoData(parts.operations(), parts.json(), clock, DEMO_MAX_RUN, MAX_DEMO_GENERATORS);
        Pages pages = new Pages(
                parts.catalog(), parts.destinations(), history, parts.events(), demo, parts.objects(), parts.json());
        ConsoleHandler handler = new ConsoleHandler(
                firehose,
                parts.credentials(),
                parts.permissions(),
                new Sessions(new SecureRandom(), clock, SESSION_LIFETIME, MAX_SESSIONS),
                new SignInThrottle(clock, SIGN_IN_WINDOW, MAX_SIGN_IN_FAILURES, MAX_SESSIONS),
                parts.operations(),
                parts.json(),
                parts.catalog(),
                pages,
                demo);
        scheduler.scheduleAtFixedRate(() -> sample(parts, history), 1, 1, TimeUnit.MINUTES);
        return new Console(handler, demo);
    }

    public Handler handler() {
        return handler;
    }

    @Override
    public void close() {
        demo.close();
    }

    private static void sample(Parts parts, MetricsHistory history) {
        try {
            Collection<DeliveryStream> streams = parts.catalog().all();
            history.sample(streams);
            parts.events().retain(streams.stream().map(DeliveryStream::uid).toList());
        } catch (RuntimeException e) {
            LOG.error("Sampling the console's metrics history failed; sampling again in a minute", e);
        }
    }

    /** Every {@link Series} of {@code stream} now, in its order. */
    private static double[] read(Parts parts, DeliveryStream stream) {
        DeliveryMetricNames names = parts.destinations().policy(stream).metrics();
        Metrics metrics = parts.metrics();
        double[] values = new double[Series.values().length];
        values[Series.INCOMING_RECORDS.ordinal()] = metrics.value(StreamMetric.INCOMING_RECORDS, stream.ref());
        values[Series.INCOMING_BYTES.ordinal()] = metrics.value(StreamMetric.INCOMING_BYTES, stream.ref());
        values[Series.DELIVERED_RECORDS.ordinal()] = metrics.value(names.records(), stream.ref());
        values[Series.FAILED_RECORDS.ordinal()] = metrics.value(StreamMetric.DELIVERY_FAILED_RECORDS, stream.ref());
        values[Series.THROTTLED_RECORDS.ordinal()] = metrics.value(StreamMetric.THROTTLED_RECORDS, stream.ref());
        values[Series.FRESHNESS_SECONDS.ordinal()] = metrics.value(names.dataFreshness(), stream.ref());
        values[Series.BACKLOG_BYTES.ordinal()] = backlog(parts.log(), stream);
        return values;
    }

    /** Bytes of the stream's records after its committed position: put but not yet delivered. */
    private static double backlog(RecordLog log, DeliveryStream stream) {
        try (StreamReader reader = log.openReader(new StreamKey(stream.uid()))) {
            return reader.availableBytes();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
