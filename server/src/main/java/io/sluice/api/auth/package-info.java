/**
 * SigV4 verification of Firehose requests, written against the JDK only; the same checks serve the
 * local store's S3 API, with S3's differences listed in {@link io.sluice.api.auth.SignedService}
 * (the scope's service must then be {@code s3}).
 *
 * <h2>Contract</h2>
 *
 * {@link io.sluice.api.auth.SigV4Verifier#verify} takes a {@link io.sluice.api.auth.ReceivedRequest}
 * (method, raw path, raw query, headers, SHA-256 of the body actually received) and either returns
 * the {@link io.sluice.api.auth.Authenticated} caller (access key id, account id, region of the
 * credential scope) or throws a {@link io.sluice.common.FirehoseException} whose code and message
 * are what AWS sends. Checks run in AWS's order; the first failing step decides the error:
 *
 * <ol>
 *   <li>no {@code Authorization} header → MissingAuthenticationTokenException {@code Missing
 *       Authentication Token}. Presigned query-string auth ({@code X-Amz-Algorithm=…}) is not
 *       supported: no Firehose client uses it, so such a request also gets this error;
 *   <li>an algorithm other than {@code AWS4-HMAC-SHA256} (SigV2, SigV4a, {@code Bearer}) →
 *       IncompleteSignatureException {@code Unsupported AWS 'algorithm': '<alg>'.};
 *   <li>a parameter without {@code =} → IncompleteSignatureException {@code '<token>' not a valid
 *       key=value pair (missing equal-sign) in Authorization header: '<header>'}. Parameters are
 *       separated by commas and/or whitespace; unknown parameters are ignored; a repeated one keeps
 *       its last value;
 *   <li>missing {@code Credential}, {@code Signature}, {@code SignedHeaders} and/or both date headers
 *       → one IncompleteSignatureException naming all of them, ending {@code
 *       Authorization=AWS4-HMAC-SHA256};
 *   <li>{@code host} not in SignedHeaders → InvalidSignatureException. {@code x-amz-date} need not
 *       be signed: the request time is part of the string to sign anyway;
 *   <li>request time: {@code X-Amz-Date} ({@code yyyyMMdd'T'HHmmss'Z'}) if present, else {@code
 *       Date} (RFC 1123); unparsable → IncompleteSignatureException;
 *   <li>more than 5 minutes from the clock (truncated to the second) → InvalidSignatureException
 *       {@code Signature expired: …} / {@code Signature not yet current: …};
 *   <li>Credential not of 5 slash-separated parts → IncompleteSignatureException;
 *   <li>scope problems, all reported in one InvalidSignatureException, each sentence followed by a
 *       space: a region not matching {@code [a-z0-9]+(-[a-z0-9]+)*} (any such region is served and
 *       becomes the namespace of the caller's streams), a service other than {@code firehose}, a
 *       terminator other than {@code aws4_request}, a scope date other than the request date;
 *   <li>unknown access key id → UnrecognizedClientException {@code The security token included in
 *       the request is invalid.};
 *   <li>a signed header absent from the request, or a signature that differs (compared in constant
 *       time) → InvalidSignatureException with AWS's mismatch sentence;
 *   <li>a signed {@code X-Amz-Content-Sha256} that differs from the hash of the received body →
 *       InvalidSignatureException {@code The provided 'x-amz-content-sha256' header does not match
 *       what was computed.} (S3's wording; Firehose's is unknown). {@code UNSIGNED-PAYLOAD} and the
 *       streaming values are refused this way too: every Firehose client signs its body.
 * </ol>
 *
 * <h2>Canonical request</h2>
 *
 * See {@code CanonicalRequest}: only the headers listed in SignedHeaders, in the order listed, with
 * {@code Host} exactly as received (including {@code :port}); the payload hash is the signed {@code
 * X-Amz-Content-Sha256} value when that header is signed (SDK for Java v2 signs it, botocore does
 * not), else the hash of the body. An unsigned {@code X-Amz-Content-Sha256} is ignored.
 *
 * <h2>Security tokens</h2>
 *
 * Sluice has no STS, so there are no temporary credentials to check. {@code X-Amz-Security-Token}
 * is therefore ignored, except that when it is signed (as every SDK does) it is part of the canonical
 * request like any other header; the access key id and secret alone authenticate. A client holding
 * a leftover session token can thus talk to Sluice with a configured key pair.
 *
 * <h2>Permissions</h2>
 *
 * What a verified key may then do is its {@link io.sluice.api.auth.KeyPermissions}: allow and deny
 * {@link io.sluice.api.auth.Statement}s in IAM's vocabulary (actions {@code firehose:<Operation>}, resources
 * stream ARNs, wildcards {@code *} and {@code ?}, explicit deny wins); a key without statements may do
 * everything in its account. {@code io.sluice.api.Authorization} applies them before the request is read
 * any further.
 *
 * <h2>Secrets</h2>
 *
 * Nothing here logs. {@link io.sluice.api.auth.Credential#toString} hides the secret; error messages
 * quote only what the client sent.
 */
package io.sluice.api.auth;
