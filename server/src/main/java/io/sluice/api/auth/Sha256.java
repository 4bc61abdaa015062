package io.sluice.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** SHA-256 and HMAC-SHA256 from the JDK; both algorithms are mandatory in every Java platform. */
final class Sha256 {
    private static final HexFormat HEX = HexFormat.of();
    private static final String HMAC = "HmacSHA256";

    /** Cloned for each use: looking an algorithm up among the providers costs more than the hash of a short text. */
    private static final MessageDigest SHA256 = digest();

    private static final Mac HMAC_SHA256 = mac();

    private Sha256() {}

    /** Lower-case hex of the SHA-256 of {@code bytes}. */
    static String hex(byte[] bytes) {
        try {
            return HEX.formatHex(((MessageDigest) SHA256.clone()).digest(bytes));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 of this JDK cannot be cloned", e);
        }
    }

    static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA256 of the UTF-8 bytes of {@code data}. */
    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = (Mac) HMAC_SHA256.clone();
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 of this JDK cannot be used", e);
        }
    }

    static String hexOf(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static Mac mac() {
        try {
            return Mac.getInstance(HMAC);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
