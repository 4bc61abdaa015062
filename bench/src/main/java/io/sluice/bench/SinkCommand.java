package io.sluice.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "sink",
        mixinStandardHelpOptions = true,
        description = "Serves a trivial endpoint that answers every request with HTTP 200 and a fixed"
                + " accepted-batch body, to measure what the generator itself can send.")
final class SinkCommand implements Callable<Integer> {
    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "Loopback address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--port",
            defaultValue = "0",
            description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--lifetime",
            defaultValue = "10m",
            description = "Stops by itself after this long (default: ${DEFAULT-VALUE}).")
    Duration lifetime;

    @Override
    public Integer call() throws Exception {
        try (Sink sink = Sink.start(new InetSocketAddress(InetAddress.getByName(host), port))) {
            System.out.println("sink listening on http://" + host + ":" + sink.port() + " (pid "
                    + ProcessHandle.current().pid() + ")");
            System.out.flush();
            Thread.sleep(lifetime);
        }
        return 0;
    }
}
