package io.sluice.api.auth;

import static io.sluice.common.ErrorCode.INCOMPLETE_SIGNATURE;
import static io.sluice.common.ErrorCode.INVALID_SIGNATURE;
import static io.sluice.common.ErrorCode.MISSING_AUTHENTICATION_TOKEN;
import static io.sluice.common.ErrorCode.UNRECOGNIZED_CLIENT;
import static java.util.Objects.requireNonNull;

import io.sluice.common.FirehoseException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Verifies the SigV4 {@code Authorization} header of a Firehose request (or, made {@link
 * #forService} S3, of an S3 request), in AWS's order and words (see {@code package-info.java}).
 * Stateless apart from a bounded cache of signing keys; thread-safe.
 */
public final class SigV4Verifier {
    static final String SERVICE = SignedService.FIREHOSE.scopeName();
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    static final String SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature you"
            + " provided. Check your AWS Secret Access Key and signing method. Consult the service documentation"
            + " for details.";
    static final String CONTENT_SHA256_MISMATCH =
            "The provided 'x-amz-content-sha256' header does not match what was computed.";

    private static final String TERMINATOR = "aws4_request";
    private static final String CONTENT_SHA256 = "x-amz-content-sha256";
    private static final int SIGNING_KEY_CACHE_CAPACITY = 1024;
    private static final int REGION_MAX_LENGTH = 64;
    private static final DateTimeFormatter BASIC_ISO8601 = DateTimeFormatter.ofPattern(
                    "uuuuMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT)
            .withZone(ZoneOffset.UTC);

    private final SignedService service;
    private final CredentialStore credentials;
    private final Clock clock;
    private final SigningKeys signingKeys;

    /** A verifier of Firehose requests. */
    public SigV4Verifier(CredentialStore credentials, Clock clock) {
        this(SignedService.FIREHOSE, credentials, clock);
    }

    private SigV4Verifier(SignedService service, CredentialStore credentials, Clock clock) {
        this.service = requireNonNull(service, "service is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.signingKeys = new SigningKeys(service.scopeName(), SIGNING_KEY_CACHE_CAPACITY);
    }

    /** A verifier of requests signed for {@code service}, with the same credentials. */
    public static SigV4Verifier forService(SignedService service, CredentialStore credentials, Clock clock) {
        return new SigV4Verifier(service, credentials, clock);
    }

    /**
     * Returns the caller of a correctly signed request.
     *
     * @throws FirehoseException with MISSING_AUTHENTICATION_TOKEN, INCOMPLETE_SIGNATURE,
     *     UNRECOGNIZED_CLIENT or INVALID_SIGNATURE, carrying AWS's message
     */
    public Authenticated verify(ReceivedRequest request) {
        requireNonNull(request, "request is null");
        String authorization = request.firstHeader("authorization")
                .orElseThrow(() -> new FirehoseException(MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token"));
        Optional<String> amzDate = request.firstHeader("x-amz-date");
        Optional<String> httpDate = request.firstHeader("date");
        AuthorizationHeader header =
                AuthorizationHeader.parse(authorization, amzDate.isPresent() || httpDate.isPresent());
        List<String> signedHeaders = header.signedHeaders();
        if (!signedHeaders.contains("host")) {
            throw new FirehoseException(
                    INVALID_SIGNATURE, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        Instant requestTime = amzDate.isPresent() ? parseAmzDate(amzDate.get()) : parseHttpDate(httpDate.orElseThrow());
        checkClockSkew(requestTime);
        String timestamp =
                amzDate.filter(SigV4Verifier::isBasicIso8601).orElseGet(() -> BASIC_ISO8601.format(requestTime));
        CredentialScope scope = CredentialScope.parse(header.credential());
        checkScope(scope, timestamp);
        Credential credential = credentials
                .find(scope.accessKeyId())
                .orElseThrow(() -> new FirehoseException(
                        UNRECOGNIZED_CLIENT, "The security token included in the request is invalid."));
        for (String name : signedHeaders) {
            if (request.header(name).isEmpty()) {
                throw new FirehoseException(INVALID_SIGNATURE, SIGNATURE_MISMATCH);
            }
        }
        boolean contentSha256Signed = signedHeaders.contains(CONTENT_SHA256);
        if (service == SignedService.S3 && !contentSha256Signed) {
            throw new FirehoseException(
                    INCOMPLETE_SIGNATURE, "Missing required header for this request: x-amz-content-sha256");
        }
        String payloadHash = contentSha256Signed
                ? CanonicalRequest.headerValue(request.header(CONTENT_SHA256))
                : request.payloadSha256();
        String stringToSign = String.join(
                "\n",
                AuthorizationHeader.ALGORITHM,
                timestamp,
                scope.withoutAccessKeyId(),
                Sha256.hex(CanonicalRequest.of(service, request, signedHeaders, payloadHash)));
        byte[] signingKey = signingKeys.signingKey(credential, scope.date(), scope.region());
        String expected = Sha256.hexOf(Sha256.hmac(signingKey, stringToSign));
        if (!MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), header.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw new FirehoseException(INVALID_SIGNATURE, SIGNATURE_MISMATCH);
        }
        boolean unsignedAllowed = service == SignedService.S3 && payloadHash.equals(SignedService.UNSIGNED_PAYLOAD);
        if (contentSha256Signed && !unsignedAllowed && !payloadHash.equals(request.payloadSha256())) {
            throw new FirehoseException(INVALID_SIGNATURE, CONTENT_SHA256_MISMATCH);
        }
        return new Authenticated(credential.accessKeyId(), credential.accountId(), scope.region());
    }

    /**
     * Reads {@code X-Amz-Date}. The usual form, {@code yyyyMMdd'T'HHmmss'Z'} with a four-digit year, is read
     * by hand (it is what the string to sign carries, unchanged); anything else goes to the formatter, whose
     * strict rules decide.
     */
    private static Instant parseAmzDate(String value) {
        try {
            if (isBasicIso8601(value)) {
                return LocalDateTime.of(
                                digits(value, 0, 4),
                                digits(value, 4, 6),
                                digits(value, 6, 8),
                                digits(value, 9, 11),
                                digits(value, 11, 13),
                                digits(value, 13, 15))
                        .toInstant(ZoneOffset.UTC);
            }
            return LocalDateTime.parse(value, BASIC_ISO8601).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw FirehoseException.of(
                    INCOMPLETE_SIGNATURE,
                    "Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601",
                    value);
        }
    }

    /** Sixteen characters, {@code dddddddd'T'dddddd'Z'}; the values may still be out of range. */
    private static boolean isBasicIso8601(String value) {
        if (value.length() != 16 || value.charAt(8) != 'T' || value.charAt(15) != 'Z') {
            return false;
        }
        for (int i = 0; i < 15; i++) {
            char c = value.charAt(i);
            if (i != 8 && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    private static Instant parseHttpDate(String value) {
        try {
            return DateTimeFormatter.RFC_1123_DATE_TIME.parse(value.strip(), Instant::from);
        } catch (DateTimeParseException e) {
            throw FirehoseException.of(INCOMPLETE_SIGNATURE, "Date must be in RFC 1123 format. Got '%s'.", value);
        }
    }

    private void checkClockSkew(Instant requestTime) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant earliest = now.minus(MAX_CLOCK_SKEW);
        Instant latest = now.plus(MAX_CLOCK_SKEW);
        if (requestTime.isBefore(earliest)) {
            throw FirehoseException.of(
                    INVALID_SIGNATURE,
                    "Signature expired: %s is now earlier than %s (%s - %d min.)",
                    BASIC_ISO8601.format(requestTime),
                    BASIC_ISO8601.format(earliest),
                    BASIC_ISO8601.format(now),
                    MAX_CLOCK_SKEW.toMinutes());
        }
        if (requestTime.isAfter(latest)) {
            throw FirehoseException.of(
                    INVALID_SIGNATURE,
                    "Signature not yet current: %s is still later than %s (%s + %d min.)",
                    BASIC_ISO8601.format(requestTime),
                    BASIC_ISO8601.format(latest),
                    BASIC_ISO8601.format(now),
                    MAX_CLOCK_SKEW.toMinutes());
        }
    }

    /** {@code [a-z0-9]+(-[a-z0-9]+)*}. */
    private static boolean isRegion(String region) {
        boolean afterHyphen = true;
        for (int i = 0; i < region.length(); i++) {
            char c = region.charAt(i);
            if (c == '-') {
                if (afterHyphen) {
                    return false;
                }
                afterHyphen = true;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                afterHyphen = false;
            } else {
                return false;
            }
        }
        return !afterHyphen;
    }

    /** Every problem of the scope at once, each sentence followed by a space, as AWS writes them. */
    private void checkScope(CredentialScope scope, String timestamp) {
        StringBuilder problems = new StringBuilder();
        String region = scope.region();
        if (region.length() > REGION_MAX_LENGTH || !isRegion(region)) {
            problems.append("Credential should be scoped to a valid region. ");
        }
        if (!scope.service().equals(service.scopeName())) {
            problems.append("Credential should be scoped to correct service: '" + service.scopeName() + "'. ");
        }
        if (!scope.terminator().equals(TERMINATOR)) {
            problems.append("Credential should be scoped with a valid terminator: '" + TERMINATOR + "', not '")
                    .append(scope.terminator())
                    .append("'. ");
        }
        String requestDate = timestamp.substring(0, 8);
        if (!scope.date().equals(requestDate)) {
            problems.append(
                            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '")
                    .append(scope.date())
                    .append("' != '")
                    .append(requestDate)
                    .append("', from '")
                    .append(timestamp)
                    .append("'. ");
        }
        if (!problems.isEmpty()) {
            throw new FirehoseException(INVALID_SIGNATURE, problems.toString());
        }
    }
}
