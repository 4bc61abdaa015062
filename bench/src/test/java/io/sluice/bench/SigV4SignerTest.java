package io.sluice.bench;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.auth.Authenticated;
import io.sluice.api.auth.Credential;
import io.sluice.api.auth.CredentialStore;
import io.sluice.api.auth.ReceivedRequest;
import io.sluice.api.auth.SigV4Verifier;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Oracle: Sluice's own server-side verifier, fed the exact bytes of the head the generator sends. */
class SigV4SignerTest {
    private static final Instant NOW = Instant.parse("2026-03-14T15:09:26Z");
    private static final Credential SERVER_SIDE = new Credential("AKIDBENCH", "s3cr3t/with+chars", "123456789012");
    private static final Credentials CLIENT_SIDE = new Credentials("AKIDBENCH", "s3cr3t/with+chars");
    private static final Endpoint ENDPOINT = Endpoint.parse("http://127.0.0.1:4573");
    private static final byte[] BODY =
            "{\"DeliveryStreamName\":\"bench\",\"Records\":[{\"Data\":\"aGk=\"}]}".getBytes(UTF_8);

    private final SigV4Signer signer = new SigV4Signer(CLIENT_SIDE, "eu-west-1", "firehose");

    @Test
    void aSignedPutRecordBatchHeadVerifiesWithSluicesVerifier() {
        byte[] head = RequestHead.of(
                signer, ENDPOINT, "Firehose_20150804.PutRecordBatch", NOW, SigV4Signer.sha256Hex(BODY), BODY.length);

        Authenticated caller = verifierAt(NOW).verify(received(head, BODY));

        assertThat(caller).isEqualTo(new Authenticated("AKIDBENCH", "123456789012", "eu-west-1"));
    }

    @Test
    void theCachedSigningKeyIsDerivedAgainWhenTheDateChanges() {
        Instant tomorrow = NOW.plusSeconds(24 * 3600);
        String sha = SigV4Signer.sha256Hex(BODY);
        byte[] today = RequestHead.of(signer, ENDPOINT, "Firehose_20150804.PutRecord", NOW, sha, BODY.length);
        byte[] later = RequestHead.of(signer, ENDPOINT, "Firehose_20150804.PutRecord", tomorrow, sha, BODY.length);

        assertThat(verifierAt(NOW).verify(received(today, BODY)).accessKeyId()).isEqualTo("AKIDBENCH");
        assertThat(verifierAt(tomorrow).verify(received(later, BODY)).accessKeyId())
                .isEqualTo("AKIDBENCH");
    }

    @Test
    void aDifferentBodyThanTheSignedOneIsRejected() {
        byte[] head = RequestHead.of(
                signer, ENDPOINT, "Firehose_20150804.PutRecordBatch", NOW, SigV4Signer.sha256Hex(BODY), BODY.length);
        byte[] other = "{\"DeliveryStreamName\":\"bench\",\"Records\":[{\"Data\":\"aGj=\"}]}".getBytes(UTF_8);

        assertThatThrownBy(() -> verifierAt(NOW).verify(received(head, other)))
                .isInstanceOfSatisfying(
                        FirehoseException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SIGNATURE));
    }

    @Test
    void aWrongSecretIsRejected() {
        SigV4Signer wrong = new SigV4Signer(new Credentials("AKIDBENCH", "not-the-secret"), "eu-west-1", "firehose");
        byte[] head = RequestHead.of(
                wrong, ENDPOINT, "Firehose_20150804.PutRecordBatch", NOW, SigV4Signer.sha256Hex(BODY), BODY.length);

        assertThatThrownBy(() -> verifierAt(NOW).verify(received(head, BODY)))
                .isInstanceOfSatisfying(
                        FirehoseException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SIGNATURE));
    }

    @Test
    void headerNamesAreSignedInLowerCaseAndSortedWhateverTheirOrder() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Amz-Target", "Firehose_20150804.PutRecord");
        headers.put("X-Amz-Date", "20260314T150926Z");
        headers.put("Host", "127.0.0.1:4573");

        assertThat(signer.authorization(headers, SigV4Signer.sha256Hex(BODY)))
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260314/eu-west-1/firehose/aws4_request,"
                        + " SignedHeaders=host;x-amz-date;x-amz-target, Signature=")
                .matches(".*Signature=[0-9a-f]{64}");
    }

    private static SigV4Verifier verifierAt(Instant now) {
        return new SigV4Verifier(CredentialStore.of(List.of(SERVER_SIDE)), Clock.fixed(now, ZoneOffset.UTC));
    }

    /** The request as a server reads it off the wire: the head's lines, then the body. */
    private static ReceivedRequest received(byte[] head, byte[] body) {
        String text = new String(head, ISO_8859_1);
        assertThat(text).startsWith("POST / HTTP/1.1\r\n").endsWith("\r\n\r\n");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line : text.substring(0, text.length() - 4).split("\r\n", -1)) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("POST ")) {
                headers.computeIfAbsent(line.substring(0, colon), n -> new ArrayList<>())
                        .add(line.substring(colon + 1).strip());
            }
        }
        assertThat(headers.get("Content-Length")).containsExactly(Integer.toString(body.length));
        return ReceivedRequest.withBody("POST", "/", "", headers, body);
    }
}
