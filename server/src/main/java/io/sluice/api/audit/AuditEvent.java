package io.sluice.api.audit;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One audited call: who (access key, the IAM user ARN it acts as, account, region of the signature's
 * scope, source address), what (the action, {@code firehose:CreateDeliveryStream}, and the stream the
 * request names) and how it ended: {@code errorCode} is empty on success and otherwise the error's
 * {@code __type}. It holds no request body, so never a secret.
 */
public record AuditEvent(
        String requestId,
        String accessKeyId,
        String principal,
        String account,
        String region,
        String sourceAddress,
        String action,
        Optional<String> stream,
        Optional<String> errorCode) {
    public AuditEvent {
        requireNonNull(requestId, "requestId is null");
        requireNonNull(accessKeyId, "accessKeyId is null");
        requireNonNull(principal, "principal is null");
        requireNonNull(account, "account is null");
        requireNonNull(region, "region is null");
        requireNonNull(sourceAddress, "sourceAddress is null");
        requireNonNull(action, "action is null");
        requireNonNull(stream, "stream is null");
        requireNonNull(errorCode, "errorCode is null");
    }

    /** {@code Success}, {@code Denied} (AccessDeniedException) or {@code Failed} (any other error). */
    public String outcome() {
        return errorCode
                .map(code -> code.equals("AccessDeniedException") ? "Denied" : "Failed")
                .orElse("Success");
    }
}
