package io.sluice.bench;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "put",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Sends SigV4-signed PutRecordBatch (or PutRecord) requests over keep-alive connections and"
                + " reports throughput, latency, errors and CPU use.")
final class PutCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    @CommandLine.Mixin
    ServerOptions server;

    @Option(
            names = "--stream",
            defaultValue = "bench",
            description = "Delivery stream name (default: ${DEFAULT-VALUE}).")
    String stream;

    @Option(
            names = "--streams",
            defaultValue = "1",
            description = "Put to this many streams, <stream>-0 … <stream>-(N-1), in turn (default: ${DEFAULT-VALUE}:"
                    + " the stream itself).")
    int streams;

    @Option(
            names = "--connections",
            defaultValue = "32",
            description = "Concurrent keep-alive connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(
            names = "--batch",
            defaultValue = "500",
            description = "Records per PutRecordBatch, 1 to 500 (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--record-size",
            defaultValue = "1KiB",
            description = "Bytes of data per record: 100, 1KiB, ... (default: ${DEFAULT-VALUE}).")
    ByteSize recordSize;

    @Option(
            names = "--record-data",
            defaultValue = "random",
            description = "What records hold: random (incompressible bytes) or json (a JSON object of exactly"
                    + " --record-size bytes with a newline, distinct per record) (default: ${DEFAULT-VALUE}).")
    String recordData;

    @Option(
            names = "--duration",
            defaultValue = "30s",
            description = "Measured time, after the warm-up (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--warmup",
            defaultValue = "3s",
            description = "Unmeasured time before the measurement (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--single", description = "Send PutRecord (one record per request) instead of PutRecordBatch.")
    boolean single;

    @Option(
            names = "--rate",
            description =
                    "Open loop: total requests per second, spread over the connections. Default: closed loop, as fast as answered.")
    Double rate;

    @Option(
            names = "--create-stream",
            description =
                    "Create the stream first (ExtendedS3 destination) unless it exists, and wait until it is ACTIVE.")
    boolean createStream;

    @Option(
            names = "--buffer-size",
            defaultValue = "128",
            description = "SizeInMBs of the streams --create-stream creates (default: ${DEFAULT-VALUE}).")
    int bufferSizeMiB;

    @Option(
            names = "--buffer-interval",
            defaultValue = "60s",
            description = "IntervalInSeconds of the streams --create-stream creates (default: ${DEFAULT-VALUE}).")
    Duration bufferInterval;

    @Option(
            names = "--server-pid",
            description = "Process id of the server, on this machine, to report its CPU time and peak RSS.")
    Long serverPid;

    @Option(
            names = "--presign-to",
            description = "Send nothing: write the distinct requests, signed now, as files request-<i>.http in"
                    + " this directory, for another generator (see bench/wrk/put.lua).")
    Path presignTo;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    @Option(
            names = "--distinct-bodies",
            defaultValue = "8",
            description = "Distinct pre-built request bodies to cycle through (default: ${DEFAULT-VALUE}).")
    int distinctBodies;

    @Option(
            names = "--timeout",
            defaultValue = "30s",
            description =
                    "Longest wait to connect, and for answers still due when the measurement ends (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed of the random record data (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The validated run these options describe. */
    LoadSpec loadSpec() {
        return Parameters.checked(
                commandSpec,
                () -> new LoadSpec(
                        Endpoint.parse(server.endpoint),
                        new Credentials(server.accessKey, server.secretKey),
                        server.region,
                        stream,
                        streams,
                        single ? PutOperation.PUT_RECORD : PutOperation.PUT_RECORD_BATCH,
                        connections,
                        single ? 1 : batch,
                        recordSize,
                        recordData(),
                        duration,
                        warmup,
                        rate == null ? new Pacing.ClosedLoop() : new Pacing.OpenLoop(rate),
                        distinctBodies,
                        timeout,
                        seed));
    }

    private RecordData recordData() {
        return switch (recordData) {
            case "random" -> RecordData.RANDOM;
            case "json" -> RecordData.JSON;
            default -> throw new IllegalArgumentException("--record-data must be random or json: " + recordData);
        };
    }

    private BufferingHints bufferingHints() {
        return Parameters.checked(commandSpec, () -> new BufferingHints(bufferSizeMiB, bufferInterval));
    }

    @Override
    public Integer call() throws Exception {
        LoadSpec spec = loadSpec();
        Clock clock = Clock.systemUTC();
        if (createStream) {
            new StreamSetup(spec.target(), clock)
                    .createAndAwaitActive(
                            spec.streamNames(), StreamSetup.s3Destination(bufferingHints()), Duration.ofMinutes(1));
        }
        if (presignTo != null) {
            List<Path> files = PresignedRequests.write(spec, clock.instant(), presignTo);
            System.out.println("wrote " + files.size() + " signed requests to " + presignTo);
            return 0;
        }
        Report report = new LoadRun(spec, Optional.ofNullable(serverPid), clock).run();
        System.out.print(json ? report.json() + System.lineSeparator() : report.human());
        System.out.flush();
        return 0;
    }
}
