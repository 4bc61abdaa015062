package io.sluice.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway certificate authority made with openssl (run as a child process), issuing server
 * certificates for {@code localhost} and {@code 127.0.0.1}, and a client side that trusts it.
 */
public final class TestCa {
    private final Path directory;
    private final Path certificate;
    private final Path key;

    private TestCa(Path directory, Path certificate, Path key) {
        this.directory = directory;
        this.certificate = certificate;
        this.key = key;
    }

    /** A new CA (P-256 key, valid two days) whose files are in {@code directory}. */
    public static TestCa create(Path directory) {
        Path certificate = directory.resolve("ca.pem");
        Path key = directory.resolve("ca.key");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
        openssl(
                "req",
                "-x509",
                "-new",
                "-key",
                key.toString(),
                "-subj",
                "/CN=Sluice Test CA",
                "-days",
                "2",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
                "-out",
                certificate.toString());
        return new TestCa(directory, certificate, key);
    }

    /** The CA's certificate (PEM), what clients are given as their CA bundle. */
    public Path certificate() {
        return certificate;
    }

    /**
     * Writes a server certificate for {@code localhost} and {@code 127.0.0.1} with {@code commonName}
     * and {@code serial} to {@code certificateFile}, and its new PKCS#8 private key ({@code algorithm}
     * {@code EC} or {@code RSA}) to {@code keyFile}.
     */
    public void issue(String commonName, long serial, String algorithm, Path certificateFile, Path keyFile) {
        String[] keyOptions = algorithm.equals("RSA")
                ? new String[] {"rsa_keygen_bits:2048"}
                : new String[] {"ec_paramgen_curve:P-256"};
        openssl("genpkey", "-algorithm", algorithm, "-pkeyopt", keyOptions[0], "-out", keyFile.toString());
        openssl(
                "req",
                "-x509",
                "-new",
                "-key",
                keyFile.toString(),
                "-CA",
                certificate.toString(),
                "-CAkey",
                key.toString(),
                "-subj",
                "/CN=" + commonName,
                "-set_serial",
                Long.toString(serial),
                "-days",
                "2",
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-addext",
                "extendedKeyUsage=serverAuth",
                "-addext",
                "basicConstraints=CA:FALSE",
                "-out",
                certificateFile.toString());
    }

    /** Issues into temporary files, then moves them over the pair a server reads, certificate first. */
    public void replace(String commonName, long serial, Path certificateFile, Path keyFile) throws IOException {
        Path newCertificate = Files.createTempFile(directory, "new-", ".pem");
        Path newKey = Files.createTempFile(directory, "new-", ".key");
        issue(commonName, serial, "EC", newCertificate, newKey);
        Files.move(newCertificate, certificateFile, StandardCopyOption.REPLACE_EXISTING);
        Files.move(newKey, keyFile, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * An SSL context for a server in this JVM (an {@code HttpsServer}) presenting a new certificate of this
     * CA for {@code localhost} and {@code 127.0.0.1} named {@code commonName}.
     */
    public SSLContext serverContext(String commonName) {
        Path certificateFile = directory.resolve(commonName + ".pem");
        Path keyFile = directory.resolve(commonName + ".key");
        Path bundle = directory.resolve(commonName + ".p12");
        issue(commonName, 1, "EC", certificateFile, keyFile);
        openssl(
                "pkcs12",
                "-export",
                "-in",
                certificateFile.toString(),
                "-inkey",
                keyFile.toString(),
                "-passout",
                "pass:changeit",
                "-out",
                bundle.toString());
        try (InputStream in = Files.newInputStream(bundle)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, "changeit".toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, "changeit".toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trust managers trusting this CA only. */
    public TrustManager[] trustManagers() {
        try (InputStream in = Files.newInputStream(certificate)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SSL context trusting this CA only. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The certificate a new connection to {@code port} on 127.0.0.1 is served (a fresh context each
     * time, so no session is resumed).
     */
    public X509Certificate servedCertificate(int port) throws IOException {
        try (SSLSocket socket =
                (SSLSocket) sslContext().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /** Runs openssl, which must succeed. */
    public static void openssl(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        ExternalCommand.Result result = ExternalCommand.run(Map.of(), null, command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + result.stderr());
        }
    }
}
