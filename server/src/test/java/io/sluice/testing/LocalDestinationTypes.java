package io.sluice.testing;

import io.sluice.destination.DeliveryPolicy;
import io.sluice.destination.DestinationRegistry;
import io.sluice.destination.http.HttpEndpointDestinationType;
import io.sluice.destination.http.HttpEndpointTransport;
import io.sluice.destination.s3.LocalObjectStore;
import io.sluice.destination.s3.S3DestinationType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Sluice's own destination types without a server, for tests of what sits around them: S3 over a
 * local object store and the HTTP endpoint over a real transport, staging under one directory.
 * {@link #close()} releases the store and the transport.
 */
public final class LocalDestinationTypes implements AutoCloseable {
    private final LocalObjectStore store;
    private final HttpEndpointTransport transport;
    private final S3DestinationType s3;
    private final HttpEndpointDestinationType http;

    private LocalDestinationTypes(LocalObjectStore store, HttpEndpointTransport transport, Path staging) {
        this.store = store;
        this.transport = transport;
        this.s3 = new S3DestinationType(
                store,
                staging,
                TestProcessors.withoutFunctions(),
                DeliveryPolicy.DEFAULT_MAX_PARTITIONS,
                Clock.systemUTC(),
                UUID::randomUUID);
        this.http = new HttpEndpointDestinationType(
                transport, staging, TestProcessors.withoutFunctions(), Clock.systemUTC(), UUID::randomUUID);
    }

    /** Types whose buckets and staging directory are under {@code dir}. */
    public static LocalDestinationTypes in(Path dir) throws IOException {
        return new LocalDestinationTypes(
                LocalObjectStore.inDataDirectory(dir, UUID::randomUUID),
                HttpEndpointTransport.create(new HttpEndpointTransport.Config(Duration.ofSeconds(1), Optional.empty())),
                dir.resolve("staging"));
    }

    public S3DestinationType s3() {
        return s3;
    }

    public HttpEndpointDestinationType http() {
        return http;
    }

    /** A registry of both, as Sluice registers them. */
    public DestinationRegistry registry() {
        return new DestinationRegistry(List.of(s3, http));
    }

    @Override
    public void close() {
        transport.close();
        store.close();
    }
}
