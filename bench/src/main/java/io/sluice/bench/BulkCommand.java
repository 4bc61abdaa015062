package io.sluice.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A search cluster's own bulk ceiling: {@code POST /_bulk} requests of {@code index} actions, each document
 * a {@link RecordData#JSON} record as {@code bench put --record-data json} sends them (the same seed and
 * order, so the same documents but for their timestamp), each under its own id shaped like Sluice's
 * ({@code <16 hex digits>.<number>.0}). Connections take the next request in turn until every document is
 * sent; the report gives documents and megabytes (of document data, 10⁶ bytes) per second from the first
 * request sent to the last answer read, and also from the first answer read to the last (the documents of
 * that first answer not counted), as the benchmark scripts time Sluice's deliveries from its metrics; and
 * items the cluster refused.
 */
@Command(
        name = "bulk",
        mixinStandardHelpOptions = true,
        description = "Indexes JSON documents into a search cluster on this machine with _bulk requests"
                + " and reports documents/s: the cluster's own bulk ceiling.")
final class BulkCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--endpoint",
            required = true,
            description = "http://HOST:PORT of the cluster, on a loopback address.")
    String endpoint;

    @Option(names = "--index", required = true, description = "Index named in every action.")
    String index;

    @Option(names = "--documents", required = true, description = "Documents to index in all.")
    long documents;

    @Option(
            names = "--record-size",
            defaultValue = "1KiB",
            description = "Bytes per document, its newline included (default: ${DEFAULT-VALUE}).")
    ByteSize recordSize;

    @Option(
            names = "--bulk-size",
            defaultValue = "5MiB",
            description = "Document bytes per _bulk request, actions not counted (default: ${DEFAULT-VALUE}).")
    ByteSize bulkSize;

    @Option(
            names = "--connections",
            defaultValue = "2",
            description = "Concurrent keep-alive connections, one request in flight each (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(
            names = "--distinct-documents",
            defaultValue = "4000",
            description = "Distinct documents cycled through; bench put's default 8 bodies of 500 records make"
                    + " 4,000 (default: ${DEFAULT-VALUE}).")
    int distinct;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the documents (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--server-pid", description = "The cluster's process: its CPU time over the run is reported.")
    Long serverPid;

    @Option(
            names = "--timeout",
            defaultValue = "30s",
            description = "Longest wait to connect (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        Endpoint target = Parameters.checked(spec, () -> Endpoint.parse(endpoint));
        if (documents < 1 || connections < 1 || distinct < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--documents, --connections and --distinct-documents must be positive");
        }
        List<byte[]> docs = documents();
        long perRequest = Math.max(1, bulkSize.bytes() / recordSize.bytes());
        long requests = (documents + perRequest - 1) / perRequest;
        String idPrefix = String.format(Locale.ROOT, "%016x.", new SplittableRandom(seed).nextLong());
        AtomicLong nextRequest = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong firstAnswer = new AtomicLong();
        AtomicLong firstAnswerDocuments = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Optional<ProcessProbe> server = Optional.ofNullable(serverPid).map(ProcessProbe::of);
        Optional<ProcessProbe.Sample> serverStart = server.map(ProcessProbe::sample);
        ProcessProbe self = ProcessProbe.self();
        ProcessProbe.Sample selfStart = self.sample();
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            threads.add(Thread.ofPlatform().name("bulk-" + c).start(() -> {
                try (HttpConnection connection = HttpConnection.open(target, timeout)) {
                    ByteBuffer body = ByteBuffer.allocateDirect(Math.toIntExact(
                            perRequest * (recordSize.bytes() + index.length() + idPrefix.length() + 64)));
                    for (long r = nextRequest.getAndIncrement(); r < requests; r = nextRequest.getAndIncrement()) {
                        body.clear();
                        long end = Math.min(documents, (r + 1) * perRequest);
                        for (long d = r * perRequest; d < end; d++) {
                            body.put(("{\"index\":{\"_index\":\"" + index + "\",\"_id\":\"" + idPrefix + d + ".0\"}}\n")
                                    .getBytes(US_ASCII));
                            body.put(docs.get((int) (d % docs.size())));
                        }
                        body.flip();
                        ByteBuffer head = ByteBuffer.wrap(("POST /_bulk HTTP/1.1\r\nHost: " + target.hostHeader()
                                        + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: "
                                        + body.remaining() + "\r\n\r\n")
                                .getBytes(US_ASCII));
                        HttpResponse response = connection.exchange(head, body);
                        if (response.status() != 200) {
                            throw new IOException(
                                    "HTTP " + response.status() + ": " + abbreviated(response.bodyText()));
                        }
                        refused.addAndGet(refusedItems(response.bodyText()));
                        if (firstAnswer.compareAndSet(0, System.nanoTime())) {
                            firstAnswerDocuments.set(end - r * perRequest);
                        }
                        if (response.close()) {
                            throw new IOException("the cluster closed the connection");
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long ended = System.nanoTime();
        Duration window = Duration.ofNanos(ended - started);
        if (failure.get() != null) {
            System.err.println("bulk failed: " + failure.get());
            return 1;
        }
        double seconds = window.toNanos() / 1e9;
        long dataBytes = documents * recordSize.bytes();
        System.out.printf(
                Locale.ROOT,
                "bulk: %d documents of %s in %d requests of %d over %d connections, %.2f s: %.0f documents/s, %.1f MB/s"
                        + " (MB = 10^6 bytes of documents); items refused: %d%n",
                documents,
                recordSize.human(),
                requests,
                perRequest,
                connections,
                seconds,
                documents / seconds,
                dataBytes / 1e6 / seconds,
                refused.get());
        long after = documents - firstAnswerDocuments.get();
        double afterSeconds = (ended - firstAnswer.get()) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "bulk: after the first answer, %d documents in %.2f s: %.0f documents/s, %.1f MB/s%n",
                after,
                afterSeconds,
                after / afterSeconds,
                after * recordSize.bytes() / 1e6 / afterSeconds);
        server.ifPresent(probe -> cpu("server", probe.usageSince(serverStart.orElseThrow()), window));
        cpu("bulk client", self.usageSince(selfStart), window);
        System.out.printf(
                Locale.ROOT,
                "RESULT bulk %.0f %.1f %.0f %.1f %d%n",
                after / afterSeconds,
                after * recordSize.bytes() / 1e6 / afterSeconds,
                documents / seconds,
                dataBytes / 1e6 / seconds,
                refused.get());
        return refused.get() == 0 ? 0 : 1;
    }

    /** The distinct documents, made as {@link Workload} makes {@code bench put}'s JSON records. */
    private List<byte[]> documents() {
        SplittableRandom random = new SplittableRandom(seed);
        long timestampMillis = System.currentTimeMillis();
        int size = Math.toIntExact(recordSize.bytes());
        List<byte[]> docs = new ArrayList<>(distinct);
        for (int i = 0; i < distinct; i++) {
            docs.add(
                    Parameters.checked(spec, () -> RecordData.JSON.record(random, docs.size(), timestampMillis, size)));
        }
        return docs;
    }

    /** Items of a bulk answer whose status is not 2xx; none when its {@code errors} flag is false. */
    static long refusedItems(String answer) {
        if (!answer.contains("\"errors\":true")) {
            return 0;
        }
        long refused = 0;
        for (int at = answer.indexOf("\"status\":"); at >= 0; at = answer.indexOf("\"status\":", at + 1)) {
            if (answer.charAt(at + "\"status\":".length()) != '2') {
                refused++;
            }
        }
        return refused;
    }

    private static String abbreviated(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }

    private static void cpu(String who, ProcessUsage usage, Duration window) {
        System.out.printf(
                Locale.ROOT,
                "%s (pid %d): CPU %.1f s, %.0f %% of one core%n",
                who,
                usage.pid(),
                usage.cpu().toNanos() / 1e9,
                usage.percentOfOneCore(window));
    }
}
