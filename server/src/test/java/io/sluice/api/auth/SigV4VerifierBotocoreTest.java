package io.sluice.api.auth;

import static io.sluice.api.auth.SigV4VerifierTest.BODY;
import static io.sluice.api.auth.SigV4VerifierTest.CREDENTIAL;
import static io.sluice.api.auth.SigV4VerifierTest.NOW;
import static io.sluice.api.auth.SigV4VerifierTest.REGION;
import static io.sluice.common.ErrorCode.INVALID_SIGNATURE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.common.FirehoseException;
import java.io.IOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Oracle: requests signed by botocore, which signs only the headers present at signing time (no
 * {@code X-Amz-Content-Sha256}) and uses the {@code Date} header instead of {@code X-Amz-Date} when
 * one is set. Skipped when python3 or botocore is missing.
 */
class SigV4VerifierBotocoreTest {
    private static final String ENDPOINT = "http://127.0.0.1:4573/";
    private static final String SESSION_TOKEN = "FwoGZXIvYXdzEJr//session+token==";
    private static final byte[] NON_ASCII_BODY = {'{', '"', (byte) 0xc3, (byte) 0xa9, '"', (byte) 0xff, 0, '}'};
    private static final Credential WRONG_SECRET =
            new Credential(CREDENTIAL.accessKeyId(), "not-the-secret", CREDENTIAL.accountId());

    private static final Map<String, ReceivedRequest> SIGNED = new LinkedHashMap<>();

    private final SigV4Verifier verifier =
            new SigV4Verifier(CredentialStore.of(List.of(CREDENTIAL)), Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeAll
    static void signWithBotocore() throws IOException, InterruptedException {
        assumeTrue(BotocoreSigner.available(), "python3 with botocore is not installed");
        Map<String, BotocoreSigner.Case> cases = new LinkedHashMap<>();
        cases.put("plain", firehoseCase(ENDPOINT, List.of(), BODY));
        cases.put("empty body", firehoseCase(ENDPOINT, List.of(), new byte[0]));
        cases.put("non-ASCII body", firehoseCase(ENDPOINT, List.of(), NON_ASCII_BODY));
        cases.put("whitespace", firehoseCase(ENDPOINT, List.of(Map.entry("X-Custom", "  a   b \t c  ")), BODY));
        cases.put(
                "duplicates",
                firehoseCase(
                        ENDPOINT,
                        List.of(Map.entry("X-Repeated", "first"), Map.entry("X-Repeated", " second  value ")),
                        BODY));
        cases.put("Date header", firehoseCase(ENDPOINT, List.of(Map.entry("Date", "placeholder")), BODY));
        cases.put("default port", firehoseCase("http://firehose.example/", List.of(), BODY));
        cases.put("path and query", firehoseCase("http://127.0.0.1:4573/a%20b/c~d?b=2&a=z&a=x%20y", List.of(), BODY));
        cases.put(
                "content sha256 of another body",
                firehoseCase(
                        ENDPOINT, List.of(Map.entry("X-Amz-Content-SHA256", Sha256.hex("{}".getBytes(UTF_8)))), BODY));
        cases.put(
                "unsigned payload",
                firehoseCase(ENDPOINT, List.of(Map.entry("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD")), BODY));
        cases.put(
                "session token",
                BotocoreSigner.Case.of(
                        ENDPOINT,
                        firehoseHeaders(List.of()),
                        BODY,
                        CREDENTIAL,
                        Optional.of(SESSION_TOKEN),
                        REGION,
                        NOW));
        cases.put(
                "wrong secret",
                BotocoreSigner.Case.of(
                        ENDPOINT, firehoseHeaders(List.of()), BODY, WRONG_SECRET, Optional.empty(), REGION, NOW));
        List<ReceivedRequest> signed = BotocoreSigner.sign(List.copyOf(cases.values()));
        List<String> names = new ArrayList<>(cases.keySet());
        for (int i = 0; i < names.size(); i++) {
            SIGNED.put(names.get(i), signed.get(i));
        }
    }

    private static BotocoreSigner.Case firehoseCase(
            String url, List<Map.Entry<String, String>> extraHeaders, byte[] body) {
        return BotocoreSigner.Case.of(
                url, firehoseHeaders(extraHeaders), body, CREDENTIAL, Optional.empty(), REGION, NOW);
    }

    private static List<Map.Entry<String, String>> firehoseHeaders(List<Map.Entry<String, String>> extra) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Content-Type", "application/x-amz-json-1.1"));
        headers.add(Map.entry("X-Amz-Target", "Firehose_20150804.PutRecordBatch"));
        headers.addAll(extra);
        return headers;
    }

    private void assertAccepted(String name) {
        assertThat(verifier.verify(SIGNED.get(name)))
                .isEqualTo(new Authenticated(CREDENTIAL.accessKeyId(), CREDENTIAL.accountId(), REGION));
    }

    private void assertRejected(ReceivedRequest request, String message) {
        assertThatThrownBy(() -> verifier.verify(request)).isInstanceOfSatisfying(FirehoseException.class, e -> {
            assertThat(e.code()).isEqualTo(INVALID_SIGNATURE);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void acceptsBotocoreRequestThatSignsOnlyFourHeaders() {
        String authorization = SIGNED.get("plain").firstHeader("Authorization").orElseThrow();

        assertThat(authorization).contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target,");
        assertThat(SIGNED.get("plain").header("x-amz-content-sha256")).isEmpty();
        assertAccepted("plain");
    }

    @Test
    void acceptsHostWithoutPort() {
        assertThat(SIGNED.get("default port").header("host")).containsExactly("firehose.example");
        assertAccepted("default port");
    }

    @Test
    void acceptsEmptyAndNonAsciiBodies() {
        assertAccepted("empty body");
        assertAccepted("non-ASCII body");
    }

    @Test
    void acceptsFoldedWhitespaceAndRepeatedHeaders() {
        assertThat(SIGNED.get("duplicates").header("x-repeated")).containsExactly("first", " second  value ");
        assertAccepted("whitespace");
        assertAccepted("duplicates");
    }

    @Test
    void acceptsDateHeaderInPlaceOfAmzDate() {
        ReceivedRequest request = SIGNED.get("Date header");

        assertThat(request.header("x-amz-date")).isEmpty();
        assertThat(request.header("date")).hasSize(1);
        assertAccepted("Date header");
    }

    @Test
    void acceptsEncodedPathAndQuery() {
        assertThat(SIGNED.get("path and query").rawPath()).isEqualTo("/a%20b/c~d");
        assertAccepted("path and query");
    }

    @Test
    void acceptsSignedSessionToken() {
        assertThat(SIGNED.get("session token").firstHeader("Authorization").orElseThrow())
                .contains("x-amz-security-token");
        assertAccepted("session token");
    }

    @Test
    void rejectsWrongSecret() {
        assertRejected(SIGNED.get("wrong secret"), SigV4Verifier.SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsBodyChangedAfterSigning() {
        assertRejected(
                Tampering.withBody(SIGNED.get("plain"), "{\"DeliveryStreamName\":\"x\"}".getBytes(UTF_8)),
                SigV4Verifier.SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsHeaderChangedAfterSigning() {
        assertRejected(
                Tampering.withHeader(SIGNED.get("plain"), "Content-Type", "application/json"),
                SigV4Verifier.SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsSignedContentSha256ThatLiesAboutTheBody() {
        assertRejected(SIGNED.get("content sha256 of another body"), SigV4Verifier.CONTENT_SHA256_MISMATCH);
    }

    @Test
    void rejectsUnsignedPayload() {
        assertRejected(SIGNED.get("unsigned payload"), SigV4Verifier.CONTENT_SHA256_MISMATCH);
    }
}
