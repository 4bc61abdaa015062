package io.sluice.testing;

import io.sluice.destination.DestinationType;
import io.sluice.server.SluiceConfig;
import io.sluice.server.SluiceServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.FirehoseClientBuilder;

/**
 * A real Sluice on a free loopback port with its own temporary data directory, for one test class.
 * {@link #close()} stops it and deletes the directory.
 */
public final class RunningSluice implements AutoCloseable {
    public static final Duration TRANSITION_DELAY = Duration.ofMillis(200);

    private final Path dataDir;
    private final UnaryOperator<SluiceConfig> customise;
    private final Clock clock;
    private final List<DestinationType<?>> extraTypes;
    private SluiceServer server;

    private RunningSluice(
            Path dataDir, UnaryOperator<SluiceConfig> customise, Clock clock, List<DestinationType<?>> extraTypes) {
        this.dataDir = dataDir;
        this.customise = customise;
        this.clock = clock;
        this.extraTypes = List.copyOf(extraTypes);
    }

    public static RunningSluice start() {
        return start(UnaryOperator.identity());
    }

    public static RunningSluice start(UnaryOperator<SluiceConfig> customise) {
        return start(customise, Clock.systemUTC());
    }

    /** A server whose clock (quotas, timestamps, signature checks) is {@code clock}. */
    public static RunningSluice start(UnaryOperator<SluiceConfig> customise, Clock clock) {
        return start(customise, clock, List.of());
    }

    /** A server that also delivers to destination types only tests register. */
    public static RunningSluice start(
            UnaryOperator<SluiceConfig> customise, Clock clock, List<DestinationType<?>> extraTypes) {
        try {
            RunningSluice sluice =
                    new RunningSluice(Files.createTempDirectory("sluice-test-"), customise, clock, extraTypes);
            sluice.restart();
            return sluice;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server (if running) and starts a new one on the same data directory. */
    public void restart() {
        if (server != null) {
            server.close();
        }
        SluiceConfig config = customise.apply(SluiceConfig.local(0, dataDir).withTransitionDelay(TRANSITION_DELAY));
        try {
            server = SluiceServer.start(config, clock, extraTypes);
        } catch (Exception e) {
            throw new IllegalStateException("Sluice did not start", e);
        }
    }

    /** Stops the server (releasing its data directory) without deleting anything. */
    public void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public URI endpoint() {
        return server.endpoint();
    }

    public Path dataDir() {
        return dataDir;
    }

    public FirehoseClient client() {
        return client(Region.US_EAST_1, "test", "test");
    }

    public FirehoseClient client(Region region, String accessKey, String secret) {
        return builder(region, accessKey, secret).build();
    }

    /**
     * A client whose requests are signed at {@code signingClock}'s time: for a server started with a
     * clock far from now (records then arrive at that clock's time), whose signature check would
     * otherwise refuse them as skewed.
     */
    public FirehoseClient client(Clock signingClock) {
        AwsV4HttpSigner sdk = AwsV4HttpSigner.create();
        AwsV4HttpSigner clocked = new AwsV4HttpSigner() {
            @Override
            public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
                return sdk.sign(request.toBuilder()
                        .putProperty(HttpSigner.SIGNING_CLOCK, signingClock)
                        .build());
            }

            @Override
            public CompletableFuture<AsyncSignedRequest> signAsync(
                    AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
                return sdk.signAsync(request.toBuilder()
                        .putProperty(HttpSigner.SIGNING_CLOCK, signingClock)
                        .build());
            }
        };
        return builder(Region.US_EAST_1, "test", "test")
                .putAuthScheme(new AwsV4AuthScheme() {
                    @Override
                    public String schemeId() {
                        return AwsV4AuthScheme.SCHEME_ID;
                    }

                    @Override
                    public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
                        return providers.identityProvider(AwsCredentialsIdentity.class);
                    }

                    @Override
                    public AwsV4HttpSigner signer() {
                        return clocked;
                    }
                })
                .build();
    }

    /** A client of the development account that trusts only {@code trust}'s certificates, for a server with TLS. */
    public FirehoseClient client(TrustManager[] trust) {
        return builder(
                        Region.US_EAST_1,
                        "test",
                        "test",
                        Apache5HttpClient.builder().tlsTrustManagersProvider(() -> trust))
                .build();
    }

    /** Reads the TLS files again now, as SIGHUP makes {@code sluice serve} do. */
    public void reloadTls() {
        server.reloadTls();
    }

    private FirehoseClientBuilder builder(Region region, String accessKey, String secret) {
        return builder(region, accessKey, secret, Apache5HttpClient.builder());
    }

    private FirehoseClientBuilder builder(
            Region region, String accessKey, String secret, SdkHttpClient.Builder<?> httpClient) {
        return FirehoseClient.builder()
                .endpointOverride(endpoint())
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .httpClientBuilder(httpClient)
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        deleteRecursively(dataDir);
    }

    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
