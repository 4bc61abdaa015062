package io.sluice.api.auth;

import static io.sluice.common.ErrorCode.INCOMPLETE_SIGNATURE;
import static java.util.Objects.requireNonNull;

import io.sluice.common.FirehoseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parameters of {@code Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
 * Signature=…}. Parameters are separated by commas and/or whitespace; a parameter given twice keeps
 * its last value; unknown parameters are ignored, as AWS does. {@code signedHeaders} is kept in the
 * order sent, because the client wrote it into its canonical request that way.
 */
record AuthorizationHeader(String credential, List<String> signedHeaders, String signature) {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";

    private static final Pattern WHITESPACE = Pattern.compile("\\s");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");
    private static final Pattern SEMICOLON = Pattern.compile(";");

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
        String[] algorithmAndRest = WHITESPACE.split(header, 2);
        String algorithm = algorithmAndRest[0];
        if (!algorithm.equals(ALGORITHM)) {
            throw FirehoseException.of(INCOMPLETE_SIGNATURE, "Unsupported AWS 'algorithm': '%s'.", algorithm);
        }
        Map<String, String> parameters = new HashMap<>();
        if (algorithmAndRest.length == 2) {
            for (String pair : SEPARATORS.split(algorithmAndRest[1], -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                if (equals < 0) {
                    throw FirehoseException.of(
                            INCOMPLETE_SIGNATURE,
                            "'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'",
                            pair,
                            header);
                }
                parameters.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        List<String> missing = new ArrayList<>();
        for (String required : List.of("Credential", "Signature", "SignedHeaders")) {
            if (!parameters.containsKey(required)) {
                missing.add("Authorization header requires '" + required + "' parameter.");
            }
        }
        if (!hasDateHeader) {
            missing.add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        if (!missing.isEmpty()) {
            throw new FirehoseException(
                    INCOMPLETE_SIGNATURE, String.join(" ", missing) + " Authorization=" + algorithm);
        }
        return new AuthorizationHeader(
                parameters.get("Credential"),
                List.of(SEMICOLON.split(parameters.get("SignedHeaders"), -1)),
                parameters.get("Signature"));
    }
}
