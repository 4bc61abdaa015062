package io.sluice.destination.opensearch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.AssumedRoleCredentials;
import io.sluice.destination.http.HttpEndpointTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * How Sluice reaches the clusters of search destinations, configured by {@link SearchClustersConfig}:
 * which cluster a stream's {@code DomainARN} or endpoint stands for, the HTTP client that trusts its
 * certificate (one per CA bundle, made on first use), and the headers that authenticate a request to it:
 * none, HTTP basic, or SigV4 for the flavor's service with the stream's role assumed through STS (as
 * Firehose does for AWS-hosted domains), sessions kept per role and region. Thread-safe; {@link #close()}
 * ends the clients.
 */
public final class SearchClusters implements AutoCloseable {
    /** Headers the JDK's client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private final SearchClustersConfig config;
    private final Clock clock;
    private final Map<Optional<Path>, HttpEndpointTransport> transports = new ConcurrentHashMap<>();
    private final Map<List<String>, AwsCredentialsProvider> credentials = new ConcurrentHashMap<>();
    private volatile SdkHttpClient stsHttp;
    private volatile boolean closed;

    private SearchClusters(SearchClustersConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /**
     * Clusters as {@code config} says; SigV4 signatures carry {@code clock}'s time. Every configured CA
     * bundle is read now.
     *
     * @throws IOException when a CA bundle cannot be read or holds no certificate
     */
    public static SearchClusters open(SearchClustersConfig config, Clock clock) throws IOException {
        SearchClusters clusters =
                new SearchClusters(requireNonNull(config, "config is null"), requireNonNull(clock, "clock is null"));
        try {
            clusters.transport(config.caBundle());
            for (SearchClustersConfig.Cluster cluster : config.clusters()) {
                clusters.transport(cluster.caBundle().or(config::caBundle));
            }
        } catch (IOException | RuntimeException e) {
            clusters.close();
            throw e;
        }
        return clusters;
    }

    /** The cluster a stream names and the client that reaches it. */
    public record Target(SearchClustersConfig.Cluster cluster, HttpEndpointTransport transport) {
        public Target {
            requireNonNull(cluster, "cluster is null");
            requireNonNull(transport, "transport is null");
        }
    }

    /** The cluster {@code named} stands for; empty for a domain ARN Sluice has no endpoint for. */
    public Optional<Target> target(SearchDestinationSpec.Cluster named) throws IOException {
        Optional<SearchClustersConfig.Cluster> cluster = config.resolve(named);
        if (cluster.isEmpty()) {
            return Optional.empty();
        }
        Optional<Path> bundle = cluster.get().caBundle().or(config::caBundle);
        return Optional.of(new Target(cluster.get(), transport(bundle)));
    }

    private HttpEndpointTransport transport(Optional<Path> bundle) throws IOException {
        HttpEndpointTransport existing = transports.get(bundle);
        if (existing != null) {
            return existing;
        }
        synchronized (transports) {
            if (closed) {
                throw new IOException("the cluster clients are closed");
            }
            HttpEndpointTransport made = transports.get(bundle);
            if (made == null) {
                made = HttpEndpointTransport.create(new HttpEndpointTransport.Config(config.responseTimeout(), bundle));
                transports.put(bundle, made);
            }
            return made;
        }
    }

    /**
     * Adds to {@code request} (a POST of {@code body} with {@code contentType} to {@code uri}) the headers
     * that authenticate it to {@code target}'s cluster, for {@code flavor}, on behalf of {@code roleArn}.
     *
     * @throws AssumedRoleCredentials.AssumeRoleFailedException when the role cannot be assumed
     */
    public void authenticate(
            HttpRequest.Builder request,
            URI uri,
            String contentType,
            Path body,
            Target target,
            SearchFlavor flavor,
            String roleArn) {
        switch (target.cluster().authentication()) {
            case SearchClustersConfig.Authentication.None none -> {}
            case SearchClustersConfig.Authentication.Basic basic ->
                request.header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((basic.username() + ":" + basic.password()).getBytes(UTF_8)));
            case SearchClustersConfig.Authentication.SigV4 sigV4 -> {
                SdkHttpRequest unsigned = SdkHttpRequest.builder()
                        .method(SdkHttpMethod.POST)
                        .uri(uri)
                        .putHeader("Content-Type", contentType)
                        .build();
                SignedRequest signed = AwsV4HttpSigner.create()
                        .sign(r -> r.identity(credentials(target, sigV4.region(), roleArn)
                                        .resolveCredentials())
                                .request(unsigned)
                                .payload(file(body))
                                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, flavor.signingService())
                                .putProperty(AwsV4HttpSigner.REGION_NAME, sigV4.region())
                                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
                signed.request().headers().forEach((name, values) -> {
                    if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT)) && !name.equalsIgnoreCase("Content-Type")) {
                        values.forEach(value -> request.header(name, value));
                    }
                });
            }
        }
    }

    private static ContentStreamProvider file(Path body) {
        return () -> {
            try {
                return Files.newInputStream(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /**
     * The credentials requests to the cluster are signed with: the configured (or default) ones, as
     * {@code roleArn} when the role is assumed for the cluster's endpoint.
     */
    private AwsCredentialsProvider credentials(Target target, String region, String roleArn) {
        SearchClustersConfig.Signing signing = config.signing();
        boolean assume =
                signing.roleAssumption().appliesTo(Optional.of(target.cluster().endpoint()));
        List<String> key = assume ? List.of(roleArn, region) : List.of();
        return credentials.computeIfAbsent(key, k -> {
            AwsCredentialsProvider own = AccessKeys.provider(signing.credentials());
            if (!assume) {
                return own;
            }
            return AssumedRoleCredentials.create(
                    roleArn, own, Region.of(region), signing.roleAssumption().stsEndpoint(), stsHttp());
        });
    }

    private SdkHttpClient stsHttp() {
        SdkHttpClient http = stsHttp;
        if (http == null) {
            synchronized (this) {
                if (stsHttp == null) {
                    stsHttp = Apache5HttpClient.builder().build();
                }
                http = stsHttp;
            }
        }
        return http;
    }

    @Override
    public void close() {
        synchronized (transports) {
            closed = true;
            transports.values().forEach(HttpEndpointTransport::close);
            transports.clear();
        }
        for (AwsCredentialsProvider provider : credentials.values()) {
            if (provider instanceof SdkAutoCloseable closeable) {
                closeable.close();
            }
        }
        credentials.clear();
        synchronized (this) {
            if (stsHttp != null) {
                stsHttp.close();
            }
        }
    }
}
