package io.sluice.api.auth;

import static io.sluice.common.ErrorCode.INCOMPLETE_SIGNATURE;
import static java.util.Objects.requireNonNull;

import io.sluice.common.FirehoseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of {@code Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
 * Signature=…}. Parameters are separated by commas and/or whitespace; a parameter given twice keeps
 * its last value; unknown parameters are ignored, as AWS does. {@code signedHeaders} is kept in the
 * order sent, because the client wrote it into its canonical request that way.
 */
record AuthorizationHeader(String credential, List<String> signedHeaders, String signature) {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";

    AuthorizationHeader {
        requireNonNull(credential, "credential is null");
        signedHeaders = List.copyOf(signedHeaders);
        requireNonNull(signature, "signature is null");
    }

    /**
     * Parses the header value. {@code hasDateHeader} says whether the request carries {@code
     * X-Amz-Date} or {@code Date}: AWS reports a missing date together with missing parameters.
     */
    static AuthorizationHeader parse(String value, boolean hasDateHeader) {
        String header = value.strip();
        int space = 0;
        while (space < header.length() && !isWhitespace(header.charAt(space))) {
            space++;
        }
        String algorithm = header.substring(0, space);
        if (!algorithm.equals(ALGORITHM)) {
            throw FirehoseException.of(INCOMPLETE_SIGNATURE, "Unsupported AWS 'algorithm': '%s'.", algorithm);
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        int start = space;
        while (start < header.length()) {
            if (isSeparator(header.charAt(start))) {
                start++;
                continue;
            }
            int end = start;
            int equals = -1;
            while (end < header.length() && !isSeparator(header.charAt(end))) {
                if (equals < 0 && header.charAt(end) == '=') {
                    equals = end;
                }
                end++;
            }
            if (equals < 0) {
                throw FirehoseException.of(
                        INCOMPLETE_SIGNATURE,
                        "'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'",
                        header.substring(start, end),
                        header);
            }
            String parameterValue = header.substring(equals + 1, end);
            if (isName(header, start, equals, "Credential")) {
                credential = parameterValue;
            } else if (isName(header, start, equals, "SignedHeaders")) {
                signedHeaders = parameterValue;
            } else if (isName(header, start, equals, "Signature")) {
                signature = parameterValue;
            }
            start = end;
        }
        List<String> missing = new ArrayList<>();
        if (credential == null) {
            missing.add("Authorization header requires 'Credential' parameter.");
        }
        if (signature == null) {
            missing.add("Authorization header requires 'Signature' parameter.");
        }
        if (signedHeaders == null) {
            missing.add("Authorization header requires 'SignedHeaders' parameter.");
        }
        if (!hasDateHeader) {
            missing.add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        if (!missing.isEmpty()) {
            throw new FirehoseException(
                    INCOMPLETE_SIGNATURE, String.join(" ", missing) + " Authorization=" + algorithm);
        }
        return new AuthorizationHeader(credential, split(signedHeaders, ';'), signature);
    }

    /** {@code text} split at every {@code separator}, empty parts kept. */
    static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = text.indexOf(separator); i >= 0; i = text.indexOf(separator, start)) {
            parts.add(text.substring(start, i));
            start = i + 1;
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static boolean isName(String header, int start, int end, String name) {
        return end - start == name.length() && header.startsWith(name, start);
    }

    /** Regular expressions' {@code \s}: ASCII whitespace. */
    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static boolean isSeparator(char c) {
        return c == ',' || isWhitespace(c);
    }
}
