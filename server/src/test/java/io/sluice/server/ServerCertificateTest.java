package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.testing.ExternalCommand;
import io.sluice.testing.TestCa;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM pairs as openssl writes them: every key format read, every unusable pair refused by name. */
class ServerCertificateTest {
    @TempDir
    Path dir;

    private TestCa ca;
    private Path certificate;
    private Path key;

    @BeforeEach
    void createCa() {
        ExternalCommand.assumeAvailable("openssl", "version");
        ca = TestCa.create(dir);
        certificate = dir.resolve("server.pem");
        key = dir.resolve("server.key");
    }

    @Test
    void readsAPkcs8EcKeyAndTheChain() throws Exception {
        ca.issue("ec-server", 17, "EC", certificate, key);
        Files.writeString(certificate, Files.readString(certificate) + Files.readString(ca.certificate()));

        ServerCertificate pair = ServerCertificate.read(certificate, key);

        assertThat(pair.chain()).hasSize(2);
        assertThat(pair.leaf().getSerialNumber()).isEqualTo(BigInteger.valueOf(17));
        assertThat(pair.chain().get(1).getSubjectX500Principal().getName()).isEqualTo("CN=Sluice Test CA");
        assertThat(pair.key().getAlgorithm()).isEqualTo("EC");
        assertThat(pair.keyStore("pw".toCharArray()).getCertificateChain("sluice"))
                .hasSize(2);
    }

    @Test
    void readsPkcs1RsaAndSec1EcKeys() throws Exception {
        ca.issue("rsa-server", 18, "RSA", certificate, key);
        Path pkcs1 = dir.resolve("pkcs1.key");
        TestCa.openssl("rsa", "-in", key.toString(), "-traditional", "-out", pkcs1.toString());
        assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(ServerCertificate.read(certificate, pkcs1).key().getAlgorithm())
                .isEqualTo("RSA");

        ca.issue("ec-server", 19, "EC", certificate, key);
        Path parameters = dir.resolve("parameters.pem");
        TestCa.openssl("ec", "-in", key.toString(), "-param_out", "-out", parameters.toString());
        Path sec1 = dir.resolve("sec1.key");
        TestCa.openssl("ec", "-in", key.toString(), "-out", sec1.toString());
        Files.writeString(sec1, Files.readString(parameters) + Files.readString(sec1));
        assertThat(Files.readString(sec1)).contains("-----BEGIN EC PARAMETERS-----", "-----BEGIN EC PRIVATE KEY-----");
        assertThat(ServerCertificate.read(certificate, sec1).key().getAlgorithm())
                .isEqualTo("EC");
    }

    @Test
    void refusesAKeyOfAnotherCertificate() throws Exception {
        ca.issue("one", 1, "EC", certificate, key);
        Path other = dir.resolve("other.pem");
        Path otherKey = dir.resolve("other.key");
        ca.issue("two", 2, "EC", other, otherKey);
        assertThatThrownBy(() -> ServerCertificate.read(certificate, otherKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong to the first certificate in " + certificate);

        ca.issue("three", 3, "RSA", other, otherKey);
        assertThatThrownBy(() -> ServerCertificate.read(certificate, otherKey))
                .hasMessageContaining("(RSA) does not belong to the first certificate");
    }

    @Test
    void refusesFilesWithoutTheirBlocksAndEncryptedKeys() throws Exception {
        ca.issue("one", 1, "EC", certificate, key);
        assertThatThrownBy(() -> ServerCertificate.read(key, key))
                .hasMessageContaining(key + " holds no PEM CERTIFICATE block");
        assertThatThrownBy(() -> ServerCertificate.read(certificate, certificate))
                .hasMessageContaining(certificate + " holds no PEM private key block");

        Path encrypted = dir.resolve("encrypted.key");
        TestCa.openssl(
                "pkey", "-in", key.toString(), "-aes256", "-passout", "pass:secret", "-out", encrypted.toString());
        assertThatThrownBy(() -> ServerCertificate.read(certificate, encrypted))
                .hasMessageContaining("holds an encrypted private key");

        Path garbled = dir.resolve("garbled.pem");
        Files.writeString(garbled, "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> ServerCertificate.read(garbled, key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(garbled.toString());
    }
}
