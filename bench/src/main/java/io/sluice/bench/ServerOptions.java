package io.sluice.bench;

import picocli.CommandLine.Option;

/** The options naming the server and the credentials to sign with, shared by the commands that call it. */
final class ServerOptions {
    @Option(
            names = "--endpoint",
            defaultValue = "http://127.0.0.1:4573",
            description = "Firehose endpoint, http on a loopback address (default: ${DEFAULT-VALUE}).")
    String endpoint;

    @Option(
            names = "--region",
            defaultValue = "us-east-1",
            description = "Region to sign for (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--access-key", defaultValue = "test", description = "Access key id (default: ${DEFAULT-VALUE}).")
    String accessKey;

    @Option(
            names = "--secret-key",
            defaultValue = "test",
            description = "Secret access key (default: ${DEFAULT-VALUE}).")
    String secretKey;
}
