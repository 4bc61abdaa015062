package io.sluice.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Client-side SigV4 for AWS JSON 1.1 requests ({@code POST /}, no query string). The caller gives the
 * headers to sign, with {@code host} and {@code x-amz-date} ({@code yyyyMMdd'T'HHmmss'Z'}) among
 * them, and the body's SHA-256 computed once per body. Only the small canonical request is hashed per
 * signature; the signing key is derived once per date.
 *
 * <p>Not thread-safe: it keeps one {@link Mac}, one {@link MessageDigest} and the last date's key. Use
 * one signer per thread.
 */
final class SigV4Signer {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final HexFormat HEX = HexFormat.of();
    private static final String HMAC = "HmacSHA256";

    private final Credentials credentials;
    private final String region;
    private final String service;
    private final Mac mac;
    private final MessageDigest sha256;
    private String keyDate = "";
    private byte[] signingKey = new byte[0];

    SigV4Signer(Credentials credentials, String region, String service) {
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.region = requireNonNull(region, "region is null");
        this.service = requireNonNull(service, "service is null");
        try {
            this.mac = Mac.getInstance(HMAC);
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 and HmacSHA256 are mandatory in every JDK", e);
        }
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    static String sha256Hex(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }

    /**
     * The {@code Authorization} header value for a {@code POST /} carrying these headers (names in any
     * case; values are trimmed as SigV4 canonicalises them) and a body with this SHA-256.
     */
    String authorization(Map<String, String> headers, String payloadSha256) {
        SortedMap<String, String> signed = new TreeMap<>();
        headers.forEach((name, value) -> signed.put(name.toLowerCase(Locale.ROOT), value.strip()));
        String amzDate = signed.get("x-amz-date");
        if (amzDate == null || amzDate.length() != 16 || !signed.containsKey("host")) {
            throw new IllegalArgumentException("host and x-amz-date (yyyyMMddTHHmmssZ) must be signed");
        }
        StringBuilder canonical = new StringBuilder(384).append("POST\n/\n\n");
        signed.forEach((name, value) ->
                canonical.append(name).append(':').append(value).append('\n'));
        String signedHeaders = String.join(";", signed.keySet());
        canonical.append('\n').append(signedHeaders).append('\n').append(payloadSha256);

        String date = amzDate.substring(0, 8);
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n"
                + HEX.formatHex(sha256.digest(canonical.toString().getBytes(UTF_8)));
        String signature = HEX.formatHex(hmac(signingKey(date), stringToSign));
        return ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + scope + ", SignedHeaders=" + signedHeaders
                + ", Signature=" + signature;
    }

    private byte[] signingKey(String date) {
        if (!date.equals(keyDate)) {
            byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(UTF_8), date);
            key = hmac(key, region);
            key = hmac(key, service);
            signingKey = hmac(key, "aws4_request");
            keyDate = date;
        }
        return signingKey;
    }

    private byte[] hmac(byte[] key, String data) {
        try {
            mac.init(new SecretKeySpec(key, HMAC));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("an HMAC key of any length is valid", e);
        }
        return mac.doFinal(data.getBytes(UTF_8));
    }
}
