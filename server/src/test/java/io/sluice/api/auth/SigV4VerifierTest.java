package io.sluice.api.auth;

import static io.sluice.api.auth.Tampering.withAuthorization;
import static io.sluice.api.auth.Tampering.withBody;
import static io.sluice.api.auth.Tampering.withHeader;
import static io.sluice.api.auth.Tampering.withoutHeader;
import static io.sluice.common.ErrorCode.INCOMPLETE_SIGNATURE;
import static io.sluice.common.ErrorCode.INVALID_SIGNATURE;
import static io.sluice.common.ErrorCode.MISSING_AUTHENTICATION_TOKEN;
import static io.sluice.common.ErrorCode.UNRECOGNIZED_CLIENT;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** Oracle: requests signed by the AWS SDK for Java v2 signer ({@code AwsV4HttpSigner}). */
class SigV4VerifierTest {
    static final Instant NOW = Instant.parse("2026-03-14T15:09:26Z");
    static final Credential CREDENTIAL =
            new Credential("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "123456789012");
    static final Credential OTHER_CREDENTIAL = new Credential("AKIAOTHERKEY00000001", "other-secret", "210987654321");
    static final String REGION = "eu-west-1";
    static final byte[] BODY = "{\"DeliveryStreamName\":\"orders\",\"Records\":[{\"Data\":\"aGk=\"}]}".getBytes(UTF_8);

    private final SigV4Verifier verifier = new SigV4Verifier(
            CredentialStore.of(List.of(CREDENTIAL, OTHER_CREDENTIAL)), Clock.fixed(NOW, ZoneOffset.UTC));

    private static AwsCredentialsIdentity identity(Credential credential) {
        return AwsCredentialsIdentity.create(credential.accessKeyId(), credential.secretAccessKey());
    }

    private static ReceivedRequest sdkSigned(Map<String, List<String>> extraHeaders, byte[] body) {
        return SdkV2Signer.sign(
                SdkV2Signer.firehoseRequest(extraHeaders).build(), body, identity(CREDENTIAL), "firehose", REGION, NOW);
    }

    private static ReceivedRequest sdkSigned() {
        return sdkSigned(Map.of(), BODY);
    }

    private static ReceivedRequest sdkSignedAt(Instant signingTime) {
        return SdkV2Signer.sign(
                SdkV2Signer.firehoseRequest(Map.of()).build(),
                BODY,
                identity(CREDENTIAL),
                "firehose",
                REGION,
                signingTime);
    }

    private void assertRejected(ReceivedRequest request, ErrorCode code, String message) {
        assertThatThrownBy(() -> verifier.verify(request)).isInstanceOfSatisfying(FirehoseException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void acceptsSdkSignedRequestAndReturnsAccountAndRegionOfTheScope() {
        ReceivedRequest request = sdkSigned();

        assertThat(request.header("host")).containsExactly("127.0.0.1:4573");
        assertThat(request.header("x-amz-content-sha256")).containsExactly(request.payloadSha256());
        assertThat(verifier.verify(request)).isEqualTo(new Authenticated("AKIDEXAMPLE", "123456789012", REGION));
    }

    @Test
    void regionComesFromTheCredentialScope() {
        ReceivedRequest request = SdkV2Signer.sign(
                SdkV2Signer.firehoseRequest(Map.of()).build(),
                BODY,
                identity(OTHER_CREDENTIAL),
                "firehose",
                "ap-southeast-2",
                NOW);

        assertThat(verifier.verify(request))
                .isEqualTo(new Authenticated("AKIAOTHERKEY00000001", "210987654321", "ap-southeast-2"));
    }

    @Test
    void acceptsEmptyBody() {
        ReceivedRequest request = sdkSigned(Map.of(), new byte[0]);

        assertThat(request.payloadSha256())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(verifier.verify(request).accountId()).isEqualTo("123456789012");
    }

    @Test
    void acceptsBodyWithNonAsciiAndNonUtf8Bytes() {
        byte[] text = "{\"Data\":\"h\u00e9llo \u20ac \ud83d\ude80\"}".getBytes(UTF_8);
        byte[] body = new byte[text.length + 3];
        System.arraycopy(text, 0, body, 0, text.length);
        body[text.length] = (byte) 0xff;
        body[text.length + 1] = (byte) 0x00;
        body[text.length + 2] = (byte) 0x80;

        assertThat(verifier.verify(sdkSigned(Map.of(), body)).region()).isEqualTo(REGION);
    }

    @Test
    void foldsWhitespaceInSignedHeaderValues() {
        ReceivedRequest request = sdkSigned(Map.of("X-Custom", List.of("  a   b \t c  ")), BODY);

        assertThat(request.header("x-custom")).containsExactly("  a   b \t c  ");
        assertThat(verifier.verify(request).region()).isEqualTo(REGION);
    }

    @Test
    void joinsRepeatedHeadersInOrder() {
        ReceivedRequest request = sdkSigned(Map.of("X-Repeated", List.of("first", " second  value ")), BODY);

        assertThat(request.header("x-repeated")).containsExactly("first", " second  value ");
        assertThat(verifier.verify(request).region()).isEqualTo(REGION);
        assertRejected(
                withHeader(request, "X-Repeated", " second  value ", "first"),
                INVALID_SIGNATURE,
                SigV4Verifier.SIGNATURE_MISMATCH);
    }

    @Test
    void encodesPathAndSortsQueryLikeTheSdk() {
        SdkHttpRequest request = SdkV2Signer.firehoseRequest(Map.of())
                .encodedPath("/a%20b/c~d/%C3%A9")
                .putRawQueryParameter("b", "2")
                .putRawQueryParameter("a", List.of("z", "x y", "\u00e9/+"))
                .build();

        ReceivedRequest received = SdkV2Signer.sign(request, BODY, identity(CREDENTIAL), "firehose", REGION, NOW);

        assertThat(received.rawQuery()).contains("b=2");
        assertThat(verifier.verify(received).region()).isEqualTo(REGION);
    }

    @Test
    void acceptsSessionTokenAsAnOrdinarySignedHeader() {
        ReceivedRequest request = SdkV2Signer.sign(
                SdkV2Signer.firehoseRequest(Map.of()).build(),
                BODY,
                AwsSessionCredentialsIdentity.create(
                        CREDENTIAL.accessKeyId(), CREDENTIAL.secretAccessKey(), "FwoGZXIvYXdzEJr//session+token=="),
                "firehose",
                REGION,
                NOW);

        assertThat(request.header("x-amz-security-token")).containsExactly("FwoGZXIvYXdzEJr//session+token==");
        assertThat(verifier.verify(request).accessKeyId()).isEqualTo("AKIDEXAMPLE");
        assertRejected(
                withHeader(request, "X-Amz-Security-Token", "another-token"),
                INVALID_SIGNATURE,
                SigV4Verifier.SIGNATURE_MISMATCH);
    }

    @Test
    void ignoresUnsignedSessionToken() {
        ReceivedRequest request = withHeader(sdkSigned(), "X-Amz-Security-Token", "not-issued-by-anyone");

        assertThat(verifier.verify(request).accessKeyId()).isEqualTo("AKIDEXAMPLE");
    }

    @Test
    void ignoresUnsignedHeadersAddedAfterSigning() {
        ReceivedRequest request = withHeader(sdkSigned(), "User-Agent", "proxy/1.0");

        assertThat(verifier.verify(request).accessKeyId()).isEqualTo("AKIDEXAMPLE");
    }

    @Test
    void toleratesWhitespaceAndUnknownParametersInAuthorization() {
        ReceivedRequest request = withAuthorization(
                sdkSigned(),
                header -> "  " + header.replace(", ", " ,\t ").replace("AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA256   ")
                        + ", Extra=ignored  ");

        assertThat(verifier.verify(request).accessKeyId()).isEqualTo("AKIDEXAMPLE");
    }

    @Test
    void acceptsRequestExactlyFiveMinutesOldOrAhead() {
        assertThat(verifier.verify(sdkSignedAt(NOW.minus(Duration.ofMinutes(5))))
                        .region())
                .isEqualTo(REGION);
        assertThat(verifier.verify(sdkSignedAt(NOW.plus(Duration.ofMinutes(5)))).region())
                .isEqualTo(REGION);
    }

    @Test
    void verifiesRepeatedlyWithTheCachedSigningKey() {
        ReceivedRequest request = sdkSigned();

        for (int i = 0; i < 3; i++) {
            assertThat(verifier.verify(request).accessKeyId()).isEqualTo("AKIDEXAMPLE");
        }
        assertRejected(
                SdkV2Signer.sign(
                        SdkV2Signer.firehoseRequest(Map.of()).build(),
                        BODY,
                        AwsCredentialsIdentity.create(CREDENTIAL.accessKeyId(), "wrong-secret"),
                        "firehose",
                        REGION,
                        NOW),
                INVALID_SIGNATURE,
                SigV4Verifier.SIGNATURE_MISMATCH);
    }

    // --- MissingAuthenticationToken ---

    @Test
    void rejectsRequestWithoutAuthorizationHeader() {
        assertRejected(
                withoutHeader(sdkSigned(), "Authorization"),
                MISSING_AUTHENTICATION_TOKEN,
                "Missing Authentication Token");
    }

    @Test
    void rejectsPresignedQueryAuthAsMissingToken() {
        ReceivedRequest signed = sdkSigned();
        ReceivedRequest presigned = new ReceivedRequest(
                "POST",
                "/",
                "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20260314%2Feu-west-1%2Ffirehose"
                        + "%2Faws4_request&X-Amz-Date=20260314T150926Z&X-Amz-SignedHeaders=host&X-Amz-Signature=abc",
                withoutHeader(signed, "Authorization").headers(),
                signed.payloadSha256());

        assertRejected(presigned, MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token");
    }

    // --- IncompleteSignature ---

    @ParameterizedTest
    @ValueSource(strings = {"AWS4-ECDSA-P256-SHA256", "AWS", "Bearer", "aws4-hmac-sha256"})
    void rejectsUnsupportedAlgorithm(String algorithm) {
        ReceivedRequest request =
                withAuthorization(sdkSigned(), header -> header.replace("AWS4-HMAC-SHA256", algorithm));

        assertRejected(request, INCOMPLETE_SIGNATURE, "Unsupported AWS 'algorithm': '" + algorithm + "'.");
    }

    @Test
    void rejectsParameterWithoutEqualSign() {
        String header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260314/eu-west-1/firehose/aws4_request,"
                + " SignedHeaders=host;x-amz-date, Signature";

        assertRejected(
                withHeader(sdkSigned(), "Authorization", header),
                INCOMPLETE_SIGNATURE,
                "'Signature' not a valid key=value pair (missing equal-sign) in Authorization header: '" + header
                        + "'");
    }

    @Test
    void rejectsCredentialContainingSpaceAsBadPair() {
        String header = "AWS4-HMAC-SHA256 Credential=not valid/20260314/eu-west-1/firehose/aws4_request,"
                + " SignedHeaders=host, Signature=00";

        assertRejected(
                withHeader(sdkSigned(), "Authorization", header),
                INCOMPLETE_SIGNATURE,
                "'valid/20260314/eu-west-1/firehose/aws4_request' not a valid key=value pair (missing equal-sign)"
                        + " in Authorization header: '" + header + "'");
    }

    @Test
    void rejectsMissingCredential() {
        assertRejected(
                withAuthorization(sdkSigned(), header -> header.replaceFirst("Credential=[^,]*, ", "")),
                INCOMPLETE_SIGNATURE,
                "Authorization header requires 'Credential' parameter. Authorization=AWS4-HMAC-SHA256");
    }

    @Test
    void rejectsMissingSignature() {
        assertRejected(
                withAuthorization(sdkSigned(), header -> header.replaceFirst(", Signature=[0-9a-f]+", "")),
                INCOMPLETE_SIGNATURE,
                "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256");
    }

    @Test
    void rejectsMissingSignedHeaders() {
        assertRejected(
                withAuthorization(sdkSigned(), header -> header.replaceFirst("SignedHeaders=[^,]*, ", "")),
                INCOMPLETE_SIGNATURE,
                "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256");
    }

    @Test
    void rejectsUnknownParameterInPlaceOfARequiredOne() {
        assertRejected(
                withAuthorization(sdkSigned(), header -> header.replace("Credential=", "Credentials=")),
                INCOMPLETE_SIGNATURE,
                "Authorization header requires 'Credential' parameter. Authorization=AWS4-HMAC-SHA256");
    }

    @Test
    void reportsEveryMissingParameterAndTheMissingDateAtOnce() {
        ReceivedRequest request =
                withHeader(withoutHeader(sdkSigned(), "X-Amz-Date"), "Authorization", "AWS4-HMAC-SHA256");

        assertRejected(
                request,
                INCOMPLETE_SIGNATURE,
                "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature'"
                        + " parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header"
                        + " requires existence of either a 'X-Amz-Date' or a 'Date' header."
                        + " Authorization=AWS4-HMAC-SHA256");
    }

    @Test
    void rejectsMissingDateHeader() {
        assertRejected(
                withoutHeader(sdkSigned(), "X-Amz-Date"),
                INCOMPLETE_SIGNATURE,
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
                        + " Authorization=AWS4-HMAC-SHA256");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-03-14T15:09:26Z",
                "20261314T150926Z",
                "20260230T150926Z",
                "20260314T240000Z",
                "20260314T150960Z",
                "20260314T150926",
                "20260314 150926Z",
                "2026031x4T150926Z",
                "+20260314T150926Z",
                "",
            })
    void rejectsMalformedAmzDate(String date) {
        assertRejected(
                withHeader(sdkSigned(), "X-Amz-Date", date),
                INCOMPLETE_SIGNATURE,
                "Date must be in ISO-8601 'basic format'. Got '" + date + "'."
                        + " See http://en.wikipedia.org/wiki/ISO_8601");
    }

    @Test
    void rejectsMalformedHttpDate() {
        assertRejected(
                withHeader(withoutHeader(sdkSigned(), "X-Amz-Date"), "Date", "yesterday"),
                INCOMPLETE_SIGNATURE,
                "Date must be in RFC 1123 format. Got 'yesterday'.");
    }

    @Test
    void rejectsCredentialWithoutFiveParts() {
        assertRejected(
                withAuthorization(sdkSigned(), header -> header.replace("/aws4_request", "")),
                INCOMPLETE_SIGNATURE,
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term,"
                        + " got 'AKIDEXAMPLE/20260314/eu-west-1/firehose'");
    }

    // --- UnrecognizedClient ---

    @Test
    void rejectsUnknownAccessKey() {
        ReceivedRequest request = SdkV2Signer.sign(
                SdkV2Signer.firehoseRequest(Map.of()).build(),
                BODY,
                AwsCredentialsIdentity.create("AKIAUNKNOWN000000000", CREDENTIAL.secretAccessKey()),
                "firehose",
                REGION,
                NOW);

        assertRejected(request, UNRECOGNIZED_CLIENT, "The security token included in the request is invalid.");
    }

    // --- InvalidSignature ---

    @Test
    void rejectsWrongSecret() {
        ReceivedRequest request = SdkV2Signer.sign(
                SdkV2Signer.firehoseRequest(Map.of()).build(),
                BODY,
                AwsCredentialsIdentity.create(CREDENTIAL.accessKeyId(), OTHER_CREDENTIAL.secretAccessKey()),
                "firehose",
                REGION,
                NOW);

        assertRejected(request, INVALID_SIGNATURE, SigV4Verifier.SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsHeaderChangedAfterSigning() {
        assertRejected(
                withHeader(sdkSigned(), "X-Amz-Target", "Firehose_20150804.DeleteDeliveryStream"),
                INVALID_SIGNATURE,
                SigV4Verifier.SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsHostChangedAfterSigning() {
        assertRejected(
                withHeader(sdkSigned(), "Host", "127.0.0.1:4574"), INVALID_SIGNATURE, SigV4Verifier.SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsSignatureAlteredInOneDigit() {
        assertRejected(
                withAuthorization(
                        sdkSigned(),
                        header -> header.substring(0, header.length() - 1) + (header.endsWith("0") ? "1" : "0")),
                INVALID_SIGNATURE,
                SigV4Verifier.SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsBodyChangedAfterSigningWhenContentSha256IsSigned() {
        ReceivedRequest request = withBody(sdkSigned(), "{\"DeliveryStreamName\":\"other\"}".getBytes(UTF_8));

        assertRejected(request, INVALID_SIGNATURE, SigV4Verifier.CONTENT_SHA256_MISMATCH);
    }

    @Test
    void rejectsExpiredRequest() {
        ReceivedRequest request = sdkSignedAt(NOW.minus(Duration.ofMinutes(5).plusSeconds(1)));

        assertRejected(
                request,
                INVALID_SIGNATURE,
                "Signature expired: 20260314T150425Z is now earlier than 20260314T150426Z (20260314T150926Z - 5 min.)");
    }

    @Test
    void rejectsRequestFromTheFuture() {
        ReceivedRequest request = sdkSignedAt(NOW.plus(Duration.ofMinutes(5).plusSeconds(1)));

        assertRejected(
                request,
                INVALID_SIGNATURE,
                "Signature not yet current: 20260314T151427Z is still later than 20260314T151426Z"
                        + " (20260314T150926Z + 5 min.)");
    }

    @Test
    void rejectsCredentialScopedToAnotherService() {
        ReceivedRequest request = SdkV2Signer.sign(
                SdkV2Signer.firehoseRequest(Map.of()).build(), BODY, identity(CREDENTIAL), "kinesis", REGION, NOW);

        assertRejected(request, INVALID_SIGNATURE, "Credential should be scoped to correct service: 'firehose'. ");
    }

    @Test
    void rejectsScopeDateOtherThanRequestDate() {
        ReceivedRequest request = withAuthorization(sdkSigned(), header -> header.replace("/20260314/", "/20260313/"));

        assertRejected(
                request,
                INVALID_SIGNATURE,
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP:"
                        + " '20260313' != '20260314', from '20260314T150926Z'. ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"EU_WEST", "eu--west-1", "-eu-west-1", "eu-west-1-", "eu-West-1", "eu.west"})
    void rejectsMalformedRegion(String region) {
        ReceivedRequest request = SdkV2Signer.sign(
                SdkV2Signer.firehoseRequest(Map.of()).build(), BODY, identity(CREDENTIAL), "firehose", region, NOW);

        assertRejected(request, INVALID_SIGNATURE, "Credential should be scoped to a valid region. ");
    }

    @Test
    void reportsEveryScopeProblemAtOnce() {
        ReceivedRequest request = withAuthorization(
                sdkSigned(),
                header -> header.replace(
                        "/20260314/eu-west-1/firehose/aws4_request", "/20260301/eu_west/kinesis/aws5_request"));
        assertRejected(
                request,
                INVALID_SIGNATURE,
                "Credential should be scoped to a valid region. Credential should be scoped to correct service:"
                        + " 'firehose'. Credential should be scoped with a valid terminator: 'aws4_request', not"
                        + " 'aws5_request'. Date in Credential scope does not match YYYYMMDD from ISO-8601 version"
                        + " of date from HTTP: '20260301' != '20260314', from '20260314T150926Z'. ");
    }

    @Test
    void rejectsSignedHeaderMissingFromRequest() {
        assertRejected(withoutHeader(sdkSigned(), "X-Amz-Target"), INVALID_SIGNATURE, SigV4Verifier.SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsRequestWhoseHostIsNotSigned() {
        ReceivedRequest request = withAuthorization(sdkSigned(), header -> header.replace(";host;", ";"));

        assertThat(request.firstHeader("Authorization").orElseThrow()).doesNotContain("host");
        assertRejected(
                request,
                INVALID_SIGNATURE,
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }

    @Test
    void checksInAwsOrderSkewBeforeScopeBeforeKey() {
        ReceivedRequest expiredUnknownKeyWrongService = SdkV2Signer.sign(
                SdkV2Signer.firehoseRequest(Map.of()).build(),
                BODY,
                AwsCredentialsIdentity.create("AKIAUNKNOWN000000000", "x"),
                "kinesis",
                REGION,
                NOW.minus(Duration.ofHours(1)));
        ReceivedRequest unknownKeyWrongService = SdkV2Signer.sign(
                SdkV2Signer.firehoseRequest(Map.of()).build(),
                BODY,
                AwsCredentialsIdentity.create("AKIAUNKNOWN000000000", "x"),
                "kinesis",
                REGION,
                NOW);

        assertRejected(
                expiredUnknownKeyWrongService,
                INVALID_SIGNATURE,
                "Signature expired: 20260314T140926Z is now earlier than 20260314T150426Z (20260314T150926Z - 5 min.)");
        assertRejected(
                unknownKeyWrongService,
                INVALID_SIGNATURE,
                "Credential should be scoped to correct service: 'firehose'. ");
    }

    @Test
    void headerNamesInRequestAreCaseInsensitive() {
        ReceivedRequest signed = sdkSigned();
        Map<String, List<String>> upperCased = new LinkedHashMap<>();
        signed.headers().forEach((name, values) -> upperCased.put(name.toUpperCase(Locale.ROOT), values));

        ReceivedRequest request = new ReceivedRequest(
                signed.method(), signed.rawPath(), signed.rawQuery(), upperCased, signed.payloadSha256());

        assertThat(verifier.verify(request).accessKeyId()).isEqualTo("AKIDEXAMPLE");
    }
}
