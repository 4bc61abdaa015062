package io.sluice.destination.s3;

import io.sluice.aws.AccessKeys;
import io.sluice.server.SluiceConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server in this JVM: s3proxy over an in-memory blob store, checking SigV4 signatures. It can
 * be stopped and started again on the same port with its objects kept.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "sluice-test-key";
    public static final String SECRET_KEY = "sluice-test-secret";
    public static final String REGION = "us-east-1";

    private final BlobStore blobs = new TransientNio2BlobStore();
    private S3Proxy proxy;
    private int port;

    private S3ProxyServer() {}

    public static S3ProxyServer start() throws Exception {
        S3ProxyServer server = new S3ProxyServer();
        server.startOn(0);
        return server;
    }

    private void startOn(int wanted) throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(blobs)
                .endpoint(URI.create("http://127.0.0.1:" + wanted))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        port = proxy.getPort();
    }

    /** Stops answering; connections to the port are refused until {@link #restart()}. */
    public void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
    }

    /** Serves again on the same port, with the same buckets and objects. */
    public void restart() throws Exception {
        startOn(port);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public S3EndpointConfig endpointConfig() {
        return S3EndpointConfig.of(endpoint(), REGION, AccessKeys.of(ACCESS_KEY, SECRET_KEY));
    }

    /** {@code config} delivering to this server, 2 batches of a stream in flight, retried every 0.2 to 2 s. */
    public SluiceConfig deliveringHere(SluiceConfig config) {
        return config.withDelivery(new SluiceConfig.DeliverySettings(
                Optional.of(S3StoreConfig.of(endpointConfig())),
                2,
                Duration.ofMillis(200),
                Duration.ofSeconds(2),
                config.delivery().httpEndpoint()));
    }

    /** A plain SDK client to create buckets and read objects back. */
    public S3Client client() {
        return S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder())
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .forcePathStyle(true)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    @Override
    public void close() throws Exception {
        stop();
        blobs.close();
    }
}
