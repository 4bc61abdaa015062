package io.sluice.server;

import static io.sluice.testing.Streams.localObjects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.ExternalCommand;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.SluiceProcess;
import io.sluice.testing.Streams;
import io.sluice.testing.TestCa;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * The API over HTTPS with a certificate of a test CA: the AWS SDK v2 and the AWS CLI trusting that CA,
 * plain HTTP refused, and the certificate replaced on a file change and on SIGHUP.
 */
class TlsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong SERIALS = new AtomicLong(100);

    @TempDir
    static Path dir;

    private static TestCa ca;
    private static Path certificate;
    private static Path key;
    private static RunningSluice sluice;

    @BeforeAll
    static void start() {
        ExternalCommand.assumeAvailable("openssl", "version");
        ca = TestCa.create(dir);
        certificate = dir.resolve("server.pem");
        key = dir.resolve("server.key");
        ca.issue("sluice-first", SERIALS.incrementAndGet(), "EC", certificate, key);
        sluice = RunningSluice.start(
                config -> config.withTls(new SluiceConfig.TlsSettings(certificate, key, Duration.ofMillis(200))));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    private static int port() {
        return sluice.endpoint().getPort();
    }

    private static BigInteger servedSerial(int port) throws IOException {
        return ca.servedCertificate(port).getSerialNumber();
    }

    @Test
    void servesHttpsOnlyAtAnHttpsEndpoint() {
        assertThat(sluice.endpoint().getScheme()).isEqualTo("https");
    }

    @Test
    void theSdkTrustingTheCaCreatesAStreamWhoseRecordsAreDelivered() {
        try (FirehoseClient client = sluice.client(ca.trustManagers())) {
            Streams.createS3(
                    client,
                    "tls-sdk",
                    "tls-bucket",
                    s -> s.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
            client.putRecordBatch(b -> b.deliveryStreamName("tls-sdk")
                    .records(
                            Record.builder()
                                    .data(SdkBytes.fromUtf8String("first\n"))
                                    .build(),
                            Record.builder()
                                    .data(SdkBytes.fromUtf8String("second\n"))
                                    .build()));
            await().atMost(WAIT).until(() -> delivered("tls-bucket").equals("first\nsecond\n"));
        }
    }

    @Test
    void theSdkWithoutTheCaRefusesTheCertificate() {
        try (FirehoseClient client = sluice.client()) {
            assertThatThrownBy(client::listDeliveryStreams).hasStackTraceContaining("PKIX path building failed");
        }
    }

    @Test
    void theAwsCliWithTheCaBundleCreatesListsAndPuts() throws Exception {
        ExternalCommand.assumeAvailable("aws", "--version");
        cli(
                "firehose",
                "create-delivery-stream",
                "--delivery-stream-name",
                "tls-cli",
                "--extended-s3-destination-configuration",
                "{\"RoleARN\":\"arn:aws:iam::000000000000:role/firehose\",\"BucketARN\":\"arn:aws:s3:::tls-cli-bucket\","
                        + "\"BufferingHints\":{\"SizeInMBs\":1,\"IntervalInSeconds\":0}}");
        await().atMost(WAIT)
                .until(() -> cli("firehose", "describe-delivery-stream", "--delivery-stream-name", "tls-cli")
                        .path("DeliveryStreamDescription")
                        .path("DeliveryStreamStatus")
                        .asText()
                        .equals("ACTIVE"));
        assertThat(cli("firehose", "list-delivery-streams").path("DeliveryStreamNames"))
                .extracting(JsonNode::asText)
                .contains("tls-cli");
        JsonNode put =
                // the CLI v1 base64-encodes Data itself
                cli("firehose", "put-record", "--delivery-stream-name", "tls-cli", "--record", "Data=hello-tls");
        assertThat(put.path("RecordId").asText()).isNotEmpty();
        await().atMost(WAIT).until(() -> delivered("tls-cli-bucket").equals("hello-tls"));

        ExternalCommand.Result untrusted =
                ExternalCommand.aws("https://127.0.0.1:" + port(), "firehose", "list-delivery-streams");
        assertThat(untrusted.exitCode()).isNotZero();
        assertThat(untrusted.stderr()).contains("CERTIFICATE_VERIFY_FAILED");
    }

    @Test
    void plainHttpToTheTlsPortIsClosedWithoutAnAnswer() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream()
                    .write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = readUntilClosed(socket.getInputStream());
            assertThat(answer).doesNotContain("HTTP/1.1");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/health"))
                .timeout(WAIT)
                .build();
        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void changedFilesServeNewConnectionsWhileAnOpenOneKeepsItsCertificate() throws Exception {
        try (SSLSocket open =
                (SSLSocket) ca.sslContext().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port())) {
            open.setSoTimeout((int) WAIT.toMillis());
            open.startHandshake();
            BigInteger before = peerSerial(open);

            long next = SERIALS.incrementAndGet();
            ca.replace("sluice-changed", next, certificate, key);

            await().atMost(WAIT).until(() -> servedSerial(port()).equals(BigInteger.valueOf(next)));
            assertThat(ca.servedCertificate(port()).getSubjectX500Principal().getName())
                    .isEqualTo("CN=sluice-changed");
            open.getOutputStream()
                    .write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            assertThat(readUntilClosed(open.getInputStream())).startsWith("HTTP/1.1 200");
            assertThat(peerSerial(open)).isEqualTo(before);
        }
    }

    @Test
    void aBrokenNewPairIsRefusedAndTheServedOneKept() throws Exception {
        long good = SERIALS.incrementAndGet();
        ca.replace("sluice-good", good, certificate, key);
        sluice.reloadTls();
        assertThat(servedSerial(port())).isEqualTo(BigInteger.valueOf(good));

        Path otherCertificate = dir.resolve("other.pem");
        Path otherKey = dir.resolve("other.key");
        ca.issue("sluice-other", SERIALS.incrementAndGet(), "EC", otherCertificate, otherKey);
        Files.copy(otherKey, key, StandardCopyOption.REPLACE_EXISTING);
        sluice.reloadTls();
        assertThat(servedSerial(port())).isEqualTo(BigInteger.valueOf(good));

        Files.writeString(certificate, "not a certificate\n");
        sluice.reloadTls();
        assertThat(servedSerial(port())).isEqualTo(BigInteger.valueOf(good));

        Files.delete(certificate);
        sluice.reloadTls();
        assertThat(servedSerial(port())).isEqualTo(BigInteger.valueOf(good));

        long fixed = SERIALS.incrementAndGet();
        ca.replace("sluice-fixed", fixed, certificate, key);
        await().atMost(WAIT).until(() -> servedSerial(port()).equals(BigInteger.valueOf(fixed)));
    }

    @Test
    void sighupReloadsTheFilesOfASluiceProcess() throws Exception {
        assumeThat(hangUpIgnoredHere())
                .as("SIGHUP is ignored by this test run (started under nohup), so by the Sluice it starts too")
                .isFalse();
        Path processDir = Files.createDirectories(dir.resolve("process"));
        Path processCertificate = processDir.resolve("server.pem");
        Path processKey = processDir.resolve("server.key");
        long first = SERIALS.incrementAndGet();
        ca.issue("sluice-process", first, "EC", processCertificate, processKey);
        Path dataDir = processDir.resolve("data");
        Map<String, String> environment = new HashMap<>();
        environment.put("SLUICE_TLS_CERTIFICATE", processCertificate.toString());
        environment.put("SLUICE_TLS_PRIVATE_KEY", processKey.toString());
        environment.put("SLUICE_TLS_RELOAD_INTERVAL", "1h");
        try (SluiceProcess process = SluiceProcess.start(dataDir, environment)) {
            int port = process.endpoint().getPort();
            assertThat(process.endpoint().getScheme()).isEqualTo("https");
            assertThat(servedSerial(port)).isEqualTo(BigInteger.valueOf(first));

            long second = SERIALS.incrementAndGet();
            ca.replace("sluice-hangup", second, processCertificate, processKey);
            assertThat(servedSerial(port)).as("no reload before SIGHUP").isEqualTo(BigInteger.valueOf(first));

            ExternalCommand.Result hangUp =
                    ExternalCommand.run(Map.of(), null, "kill", "-HUP", Long.toString(process.pid()));
            assertThat(hangUp.exitCode()).as(hangUp.stderr()).isZero();

            await().atMost(WAIT).until(() -> servedSerial(port).equals(BigInteger.valueOf(second)));
            assertThat(process.logText()).contains("Reloaded the TLS certificate: now serving 'CN=sluice-hangup'");
        }
    }

    /** Whether this process ignores SIGHUP (bit 0 of {@code SigIgn}), which its children inherit. */
    private static boolean hangUpIgnoredHere() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("SigIgn:"))
                .map(line -> (Long.parseUnsignedLong(
                                        line.substring("SigIgn:".length()).strip(), 16)
                                & 1)
                        != 0)
                .findFirst()
                .orElse(false);
    }

    private static BigInteger peerSerial(SSLSocket socket) throws IOException {
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }

    /** Everything read until the peer closes; a read that times out fails the test. */
    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection was not closed", e);
        } catch (IOException e) {
            // a reset closes the connection too
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private static String delivered(String bucket) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path object : localObjects(sluice.dataDir(), bucket)) {
            text.append(Files.readString(object));
        }
        return text.toString();
    }

    private static JsonNode cli(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                "aws",
                "--endpoint-url",
                "https://127.0.0.1:" + port(),
                "--ca-bundle",
                ca.certificate().toString()));
        command.addAll(List.of(args));
        ExternalCommand.Result result =
                ExternalCommand.run(ExternalCommand.awsEnvironment(), null, command.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout().isBlank() ? JSON.createObjectNode() : JSON.readTree(result.stdout());
    }
}
