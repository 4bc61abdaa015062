package io.sluice.bench;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bench} command line: {@code put} loads an endpoint, {@code freshness} times records from
 * acknowledgement to delivery, {@code sink} is a trivial endpoint, {@code bulk} measures a search cluster's
 * own bulk ceiling.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Load generator for Firehose endpoints (Sluice, moto, ...) on this machine.",
        subcommands = {PutCommand.class, FreshnessCommand.class, SinkCommand.class, BulkCommand.class})
public final class Bench implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the converters for durations ({@code 30s}) and sizes ({@code 1KiB}). */
    static CommandLine commandLine() {
        return new CommandLine(new Bench())
                .registerConverter(Duration.class, DurationText::parse)
                .registerConverter(ByteSize.class, ByteSize::parse);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
