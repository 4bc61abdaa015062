package io.sluice.source.kafka;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * Where the Kafka clusters of MSK sources are, and how to connect to them. An MSK cluster ARN maps to its
 * own bootstrap servers ({@code byClusterArn}), else to the default ones; {@code clientProperties} (Kafka
 * consumer settings, usually {@code security.protocol}, {@code ssl.*}, {@code sasl.*}) apply to every
 * cluster. Sluice does not authenticate to MSK with IAM: security is what these properties say.
 *
 * @param defaultBootstrapServers {@code host:port,…} of the cluster of every ARN not in {@code byClusterArn}
 */
public record KafkaClusters(
        Optional<String> defaultBootstrapServers,
        Map<String, String> byClusterArn,
        Map<String, String> clientProperties) {
    /** No cluster: every MSK source fails to read until one is configured. */
    public static final KafkaClusters NONE = new KafkaClusters(Optional.empty(), Map.of(), Map.of());

    public KafkaClusters {
        requireNonNull(defaultBootstrapServers, "defaultBootstrapServers is null");
        byClusterArn = Map.copyOf(byClusterArn);
        clientProperties = Map.copyOf(clientProperties);
    }

    /** Every cluster ARN at {@code bootstrapServers}, with no client properties. */
    public static KafkaClusters at(String bootstrapServers) {
        return new KafkaClusters(Optional.of(bootstrapServers), Map.of(), Map.of());
    }

    /** The bootstrap servers of the cluster {@code clusterArn}; empty when no setting names one. */
    public Optional<String> bootstrapServers(String clusterArn) {
        return Optional.ofNullable(byClusterArn.get(clusterArn)).or(() -> defaultBootstrapServers);
    }
}
