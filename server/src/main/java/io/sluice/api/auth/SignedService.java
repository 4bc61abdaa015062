package io.sluice.api.auth;

import io.sluice.common.FirehoseException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The two services whose SigV4 signatures Sluice checks; they differ in the scope's service name, the
 * canonical path and the payload hash.
 *
 * <ul>
 *   <li>{@link #FIREHOSE}: the path normalised and encoded twice (every service but S3); the body
 *       hash is the signed {@code X-Amz-Content-Sha256} or, unsigned, the hash of the body.
 *   <li>{@link #S3}: the path as sent, decoded and encoded once, not normalised (S3's rule: a key may
 *       hold {@code //} or {@code ..}); {@code X-Amz-Content-Sha256} must be sent and signed, and may
 *       be {@code UNSIGNED-PAYLOAD}. Streaming (chunk-signed) payloads are refused: the S3 API Sluice
 *       serves takes no object uploads.
 * </ul>
 */
public enum SignedService {
    FIREHOSE("firehose"),
    S3("s3");

    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    private final String scopeName;

    SignedService(String scopeName) {
        this.scopeName = scopeName;
    }

    /** The service as named in the credential scope. */
    public String scopeName() {
        return scopeName;
    }

    /**
     * The service a request is signed for, by the credential scope of its {@code Authorization}
     * header; empty when the header is missing or malformed or names another service (the Firehose
     * API then answers it with its own error).
     */
    public static Optional<SignedService> ofAuthorization(Optional<String> authorization) {
        if (authorization.isEmpty()) {
            return Optional.empty();
        }
        try {
            String[] scope = AuthorizationHeader.parse(authorization.get(), true)
                    .credential()
                    .split("/", -1);
            return scope.length == 5
                    ? Arrays.stream(values())
                            .filter(s -> s.scopeName.equals(scope[3]))
                            .findFirst()
                    : Optional.empty();
        } catch (FirehoseException malformed) {
            return Optional.empty();
        }
    }

    String canonicalPath(String rawPath) {
        return this == S3 ? CanonicalRequest.singleEncodedPath(rawPath) : CanonicalRequest.path(rawPath);
    }
}
