package io.sluice.durability;

import io.sluice.destination.s3.S3ProxyServer;
import java.util.Map;

/** Settings and clients for Sluice child processes in the durability tests. */
final class ChildSettings {
    private ChildSettings() {}

    /**
     * Delivery to {@code s3} with its access key and {@code secretKey}, retried quickly (100 ms doubling
     * to 1 s) so tests see recovery soon after a fault is repaired.
     */
    static Map<String, String> s3(S3ProxyServer s3, String secretKey) {
        return Map.of(
                "SLUICE_S3_ENDPOINT",
                s3.endpoint().toString(),
                "SLUICE_S3_REGION",
                S3ProxyServer.REGION,
                "SLUICE_S3_PATH_STYLE",
                "true",
                "SLUICE_S3_ACCESS_KEY",
                S3ProxyServer.ACCESS_KEY,
                "SLUICE_S3_SECRET_KEY",
                secretKey,
                "SLUICE_DELIVERY_MIN_BACKOFF",
                "100ms",
                "SLUICE_DELIVERY_MAX_BACKOFF",
                "1s");
    }
}
