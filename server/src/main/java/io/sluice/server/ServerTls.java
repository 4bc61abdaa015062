package io.sluice.server;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Date;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's TLS: Jetty's {@link SslContextFactory.Server} serving the {@link ServerCertificate} read from
 * the configured PEM files, replaced by a new pair when {@link #reloadIfChanged()} sees the files' bytes
 * change or {@link #reload()} is called (SIGHUP). Connections accepted afterwards get the new pair;
 * open ones keep theirs. A pair that cannot be used (unreadable, not PEM, key not matching) is logged
 * and the one in use kept. Thread-safe: reloads are serialised.
 */
final class ServerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    /** Protects the in-memory key store only, which never leaves the process. */
    private static final String KEY_STORE_PASSWORD = "sluice";

    private final SluiceConfig.TlsSettings settings;
    private final Clock clock;
    private final SslContextFactory.Server factory;
    private FilePair seen;
    private ServerCertificate serving;
    /** The read problem last logged by {@link #reloadIfChanged()}, so that a lasting one is logged once. */
    private String unreadable = "";

    private ServerTls(
            SluiceConfig.TlsSettings settings,
            Clock clock,
            SslContextFactory.Server factory,
            FilePair seen,
            ServerCertificate serving) {
        this.settings = settings;
        this.clock = clock;
        this.factory = factory;
        this.seen = seen;
        this.serving = serving;
    }

    /**
     * Reads the pair; the server does not start without a usable one.
     *
     * @throws IllegalArgumentException when the files do not hold a usable pair
     */
    static ServerTls open(SluiceConfig.TlsSettings settings, Clock clock) throws IOException {
        requireNonNull(settings, "settings is null");
        FilePair files = FilePair.read(settings);
        ServerCertificate certificate = files.parse(settings);
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setKeyStorePassword(KEY_STORE_PASSWORD);
        factory.setKeyStore(certificate.keyStore(KEY_STORE_PASSWORD.toCharArray()));
        warnIfNotValid(certificate, clock);
        LOG.info("Serving TLS with certificate {}", certificate.describe());
        return new ServerTls(settings, clock, factory, files, certificate);
    }

    SslContextFactory.Server factory() {
        return factory;
    }

    /** Reloads when either file's bytes differ from those last read; a pair already refused is not retried. */
    synchronized void reloadIfChanged() {
        FilePair files;
        try {
            files = FilePair.read(settings);
        } catch (IOException | IllegalArgumentException e) {
            String problem = problem(e);
            if (!problem.equals(unreadable)) {
                unreadable = problem;
                LOG.warn("Cannot read the TLS files ({}); still serving {}", problem, serving.describe());
            }
            return;
        }
        unreadable = "";
        if (!files.equals(seen)) {
            load(files);
        }
    }

    /** Reads the files and serves the pair they hold (unless it cannot be used). */
    synchronized void reload() {
        try {
            load(FilePair.read(settings));
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Cannot read the TLS files ({}); still serving {}", problem(e), serving.describe());
        }
    }

    private static String problem(Exception e) {
        return e instanceof NoSuchFileException ? "no file " + e.getMessage() : e.getMessage();
    }

    private void load(FilePair files) {
        seen = files;
        ServerCertificate certificate;
        try {
            certificate = files.parse(settings);
        } catch (IllegalArgumentException e) {
            LOG.warn("The new TLS files cannot be used ({}); still serving {}", e.getMessage(), serving.describe());
            return;
        }
        try {
            factory.reload(f -> f.setKeyStore(certificate.keyStore(KEY_STORE_PASSWORD.toCharArray())));
        } catch (Exception e) {
            LOG.error(
                    "Jetty refused the new TLS certificate {}; restoring {}",
                    certificate.describe(),
                    serving.describe(),
                    e);
            restore();
            return;
        }
        serving = certificate;
        warnIfNotValid(certificate, clock);
        LOG.info("Reloaded the TLS certificate: now serving {}", certificate.describe());
    }

    private void restore() {
        try {
            factory.reload(f -> f.setKeyStore(serving.keyStore(KEY_STORE_PASSWORD.toCharArray())));
        } catch (Exception e) {
            LOG.error("Restoring the TLS certificate {} failed: restart Sluice", serving.describe(), e);
        }
    }

    private static void warnIfNotValid(ServerCertificate certificate, Clock clock) {
        try {
            certificate.leaf().checkValidity(Date.from(clock.instant()));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            LOG.warn("The TLS certificate {} is not valid now: clients will refuse it", certificate.describe());
        }
    }

    /** The bytes of the two files as last read: a change in either is a reason to reload. */
    private record FilePair(byte[] certificate, byte[] privateKey) {
        static FilePair read(SluiceConfig.TlsSettings settings) throws IOException {
            return new FilePair(
                    ServerCertificate.readSmall(settings.certificate()),
                    ServerCertificate.readSmall(settings.privateKey()));
        }

        ServerCertificate parse(SluiceConfig.TlsSettings settings) {
            return ServerCertificate.parse(settings.certificate(), certificate, settings.privateKey(), privateKey);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof FilePair that
                    && Arrays.equals(certificate, that.certificate)
                    && Arrays.equals(privateKey, that.privateKey);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(certificate) + Arrays.hashCode(privateKey);
        }

        @Override
        public String toString() {
            return "FilePair[" + certificate.length + " + " + privateKey.length + " bytes]";
        }
    }
}
