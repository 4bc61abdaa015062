package io.sluice.aws;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.IoUtils;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The SDK clients of one service endpoint ({@code endpoint} absent: AWS's), one per region and role, built
 * on demand with {@code factory} and kept until {@link #close()}. A client for a role acts as it, assumed
 * through STS with the endpoint's own credentials ({@code credentials} absent: the SDK's default chain), when
 * {@code roleAssumption} applies to the endpoint; otherwise it uses those credentials itself.
 */
public final class ServiceClients<C extends SdkAutoCloseable> implements SdkAutoCloseable {
    /** Builds a client for a region with its credentials; the client does not close them. */
    @FunctionalInterface
    public interface Factory<C> {
        C build(Region region, AwsCredentialsProvider credentials);
    }

    private record Key(String region, Optional<String> role) {}

    private record Client<C extends SdkAutoCloseable>(C client, AwsCredentialsProvider credentials) {
        void close() {
            client.close();
            IoUtils.closeIfCloseable(credentials, null);
        }
    }

    private final Optional<URI> endpoint;
    private final Optional<AccessKeys> credentials;
    private final RoleAssumption roleAssumption;
    private final SdkHttpClient http;
    private final Factory<C> factory;
    private final Map<Key, Client<C>> clients = new HashMap<>();
    private boolean closed;

    /** {@code http} serves the STS clients of assumed roles; the caller closes it after this. */
    public ServiceClients(
            Optional<URI> endpoint,
            Optional<AccessKeys> credentials,
            RoleAssumption roleAssumption,
            SdkHttpClient http,
            Factory<C> factory) {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.roleAssumption = requireNonNull(roleAssumption, "roleAssumption is null");
        this.http = requireNonNull(http, "http is null");
        this.factory = requireNonNull(factory, "factory is null");
    }

    /**
     * The client for {@code region} acting as {@code role} if it is to be assumed here.
     *
     * @throws IllegalStateException when closed
     */
    public synchronized C client(String region, Optional<String> role) {
        if (closed) {
            throw new IllegalStateException("the clients are closed");
        }
        Key key = new Key(region, role.filter(r -> roleAssumption.appliesTo(endpoint)));
        return clients.computeIfAbsent(key, this::newClient).client();
    }

    private Client<C> newClient(Key key) {
        Region region = Region.of(key.region());
        AwsCredentialsProvider own = AccessKeys.provider(credentials);
        AwsCredentialsProvider used = key.role()
                .<AwsCredentialsProvider>map(
                        role -> AssumedRoleCredentials.create(role, own, region, roleAssumption.stsEndpoint(), http))
                .orElse(own);
        return new Client<>(factory.build(region, used), used);
    }

    /** Closes every client and refuses new ones. */
    @Override
    public synchronized void close() {
        closed = true;
        clients.values().forEach(Client::close);
        clients.clear();
    }
}
