package io.sluice.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "freshness",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Puts single records at a steady rate and reports how long each took from its acknowledgement"
                + " to being visible at the destination: an object in Sluice's local store (--watch) or a"
                + " request to an HTTP endpoint receiver this command runs (--receive-port).")
final class FreshnessCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    @CommandLine.Mixin
    ServerOptions server;

    @Option(
            names = "--stream",
            defaultValue = "fresh",
            description = "Delivery stream, created unless it exists (default: ${DEFAULT-VALUE}).")
    String stream;

    @ArgGroup(multiplicity = "1")
    Destination destination;

    static final class Destination {
        @Option(
                names = "--watch",
                description = "Sluice's data directory: the stream delivers (uncompressed, ExtendedS3) to bucket "
                        + StreamSetup.BUCKET + " in its local store, which is listed every 10 ms.")
        Path dataDir;

        @Option(
                names = "--receive-port",
                description = "Run an HTTP endpoint receiver on this loopback port; the stream delivers to it"
                        + " (the server must allow http endpoints).")
        Integer receivePort;
    }

    @Option(
            names = "--rate",
            defaultValue = "20",
            description = "Records per second, one PutRecord each (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "30s", description = "How long to send (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--record-size",
            defaultValue = "100B",
            description = "Bytes of data per record (default: ${DEFAULT-VALUE}).")
    ByteSize recordSize;

    @Option(
            names = "--buffer-interval",
            defaultValue = "0s",
            description = "IntervalInSeconds of the stream created (default: ${DEFAULT-VALUE}).")
    Duration bufferInterval;

    @Option(
            names = "--buffer-size",
            defaultValue = "1",
            description = "SizeInMBs of the stream created (default: ${DEFAULT-VALUE}).")
    int bufferSizeMiB;

    @Option(
            names = "--settle",
            defaultValue = "60s",
            description = "Longest wait, after sending, for records not seen yet (default: ${DEFAULT-VALUE}).")
    Duration settle;

    @Override
    public Integer call() throws Exception {
        Clock clock = Clock.systemUTC();
        Target target = new Target(
                Parameters.checked(commandSpec, () -> Endpoint.parse(server.endpoint)),
                new Credentials(server.accessKey, server.secretKey),
                server.region,
                Duration.ofSeconds(30));
        BufferingHints hints = Parameters.checked(commandSpec, () -> new BufferingHints(bufferSizeMiB, bufferInterval));
        FreshnessRun run = Parameters.checked(
                commandSpec,
                () -> new FreshnessRun(
                        target, stream, rate, duration, Math.toIntExact(recordSize.bytes()), settle, clock));
        Arrivals arrivals = new Arrivals();
        StreamSetup setup = new StreamSetup(target, clock);
        FreshnessRun.Result result;
        if (destination.dataDir != null) {
            setup.createAndAwaitActive(List.of(stream), StreamSetup.s3Destination(hints), Duration.ofMinutes(1));
            Path bucket = destination.dataDir.resolve("buckets").resolve(StreamSetup.BUCKET);
            try (DirectoryWatch watch = DirectoryWatch.start(bucket, Duration.ofMillis(10), arrivals)) {
                result = run.run(arrivals, watch::check);
            }
        } else {
            InetSocketAddress address =
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), destination.receivePort);
            try (EndpointReceiver receiver = EndpointReceiver.start(address, arrivals)) {
                URI url = URI.create("http://127.0.0.1:" + receiver.port() + "/");
                setup.createAndAwaitActive(
                        List.of(stream), StreamSetup.httpEndpointDestination(url, hints), Duration.ofMinutes(1));
                result = run.run(arrivals, () -> {});
            }
        }
        System.out.print(result.human());
        System.out.flush();
        return result.unseen() == 0 ? 0 : 1;
    }
}
