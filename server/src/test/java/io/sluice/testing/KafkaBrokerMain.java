package io.sluice.testing;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import kafka.Kafka;
import kafka.tools.StorageTool;

/**
 * The main class of the child JVM that {@link KafkaBroker} starts: formats the storage the properties file
 * (the only argument) names, unless it already is (a restart), as {@code kafka-storage format --cluster-id …
 * --ignore-formatted} would, then runs the broker as {@code kafka-server-start} does until the JVM exits:
 * on SIGTERM, or when standard input ends (the parent closed it, or died).
 */
public final class KafkaBrokerMain {
    /** A fixed cluster id: every test broker is its own cluster, formatted once. */
    static final String CLUSTER_ID = "c2x1aWNlLXRlc3QtY2x1c3Rlcg";

    private KafkaBrokerMain() {}

    public static void main(String[] args) {
        String properties = Path.of(args[0]).toAbsolutePath().toString();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int formatted = StorageTool.execute(
                new String[] {"format", "--config", properties, "--cluster-id", CLUSTER_ID, "--ignore-formatted"}, out);
        if (formatted != 0) {
            out.println("formatting the storage failed with status " + formatted);
            System.exit(1);
        }
        ChildJvm.exitWhenInputEnds();
        Kafka.main(new String[] {properties});
    }
}
