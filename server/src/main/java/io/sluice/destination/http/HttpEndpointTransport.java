package io.sluice.destination.http;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The HTTP client destinations that POST to HTTP servers send with (one serves every HTTP endpoint
 * destination; search destinations keep one per CA bundle): no redirects followed (delivery spec
 * §11.1.1), HTTP/1.1, and TLS that trusts the JVM's CA store plus, optionally, the certificates of a PEM
 * bundle (for receivers with a private CA). Thread-safe; {@link #close()} ends its connections.
 */
public final class HttpEndpointTransport implements AutoCloseable {
    /**
     * @param responseTimeout how long one attempt waits for the response (Firehose: 3 minutes)
     * @param caBundle a PEM file of further CA certificates to trust
     */
    public record Config(Duration responseTimeout, Optional<Path> caBundle) {
        public Config {
            requireNonNull(responseTimeout, "responseTimeout is null");
            requireNonNull(caBundle, "caBundle is null");
            if (responseTimeout.isNegative() || responseTimeout.isZero()) {
                throw new IllegalArgumentException("responseTimeout must be positive: " + responseTimeout);
            }
        }
    }

    private final HttpClient client;
    private final Duration responseTimeout;

    private HttpEndpointTransport(HttpClient client, Duration responseTimeout) {
        this.client = client;
        this.responseTimeout = responseTimeout;
    }

    public static HttpEndpointTransport create(Config config) throws IOException {
        requireNonNull(config, "config is null");
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.responseTimeout())
                .sslContext(sslContext(config.caBundle()))
                .build();
        return new HttpEndpointTransport(client, config.responseTimeout());
    }

    public HttpClient client() {
        return client;
    }

    /** How long one attempt waits for its response. */
    public Duration responseTimeout() {
        return responseTimeout;
    }

    /**
     * Why an attempt got no response, as Firehose names it for HTTP endpoints (delivery spec §11.2.7) and a
     * destination prefixes it ({@code HttpEndpoint.ConnectionFailed}, {@code OS.ConnectionFailed}):
     * {@code ConnectionFailed}, {@code RequestTimeout}, {@code SSLHandshakeFailure} or
     * {@code ConnectionReset}; {@code message} says what happened to {@code peer} (e.g. {@code the endpoint}).
     */
    public record Failure(String name, String message) {}

    /** The failure that {@code e}, thrown by {@link HttpClient#send} to {@code peer}, stands for. */
    public Failure failure(IOException e, String peer) {
        return switch (e) {
            case HttpConnectTimeoutException t ->
                new Failure("ConnectionFailed", "Connecting to " + peer + " timed out.");
            case HttpTimeoutException t ->
                new Failure(
                        "RequestTimeout",
                        Character.toUpperCase(peer.charAt(0)) + peer.substring(1) + " did not respond within "
                                + responseTimeout + ".");
            case ConnectException c ->
                new Failure("ConnectionFailed", "Connecting to " + peer + " failed: " + describe(e));
            case SSLException t ->
                new Failure("SSLHandshakeFailure", "The TLS handshake with " + peer + " failed: " + describe(e));
            default -> new Failure("ConnectionReset", "The connection to " + peer + " failed: " + describe(e));
        };
    }

    private static String describe(Throwable e) {
        Throwable cause = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    @Override
    public void close() {
        client.shutdownNow();
    }

    private static SSLContext sslContext(Optional<Path> caBundle) throws IOException {
        try {
            List<X509ExtendedTrustManager> managers = new ArrayList<>();
            managers.add(trustManager(null));
            if (caBundle.isPresent()) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int n = 0;
                for (Certificate certificate : certificates(caBundle.get())) {
                    store.setCertificateEntry("bundle-" + n++, certificate);
                }
                if (n == 0) {
                    throw new IOException("the CA bundle " + caBundle.get() + " holds no certificate");
                }
                managers.add(trustManager(store));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AnyOf(managers)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for HTTP endpoints: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (CertificateException e) {
            throw new IOException("the CA bundle " + pem + " is not a PEM file of certificates: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** Trusts a server that any of its managers trusts; client certificates are never checked here. */
    private static final class AnyOf extends X509ExtendedTrustManager {
        private final List<X509ExtendedTrustManager> managers;

        AnyOf(List<X509ExtendedTrustManager> managers) {
            this.managers = List.copyOf(managers);
        }

        private interface Check {
            void check(X509ExtendedTrustManager manager) throws CertificateException;
        }

        private void any(Check check) throws CertificateException {
            CertificateException first = null;
            for (X509ExtendedTrustManager manager : managers) {
                try {
                    check.check(manager);
                    return;
                } catch (CertificateException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            throw requireNonNull(first);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            any(m -> m.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            any(m -> m.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            any(m -> m.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> issuers = new ArrayList<>();
            managers.forEach(m -> issuers.addAll(List.of(m.getAcceptedIssuers())));
            return issuers.toArray(new X509Certificate[0]);
        }
    }
}
