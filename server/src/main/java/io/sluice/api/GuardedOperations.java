package io.sluice.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import io.sluice.api.audit.AuditEvent;
import io.sluice.api.audit.AuditTrail;
import io.sluice.api.auth.Authenticated;
import io.sluice.api.auth.Permissions;
import io.sluice.catalog.Scope;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.io.IOException;
import java.util.Optional;

/**
 * The operations as an authenticated caller runs them, whoever received the call (the API's handler, the
 * console): the caller's permissions checked before anything reads the request ({@link Authorization}),
 * then the operation, and every control-plane call and every denied call written to the audit trail.
 */
public final class GuardedOperations {
    private final Authorization authorization;
    private final Operations operations;
    private final AuditTrail audit;

    public GuardedOperations(Permissions permissions, Operations operations, AuditTrail audit, JsonFactory json) {
        this.authorization = new Authorization(requireNonNull(permissions, "permissions is null"), json);
        this.operations = requireNonNull(operations, "operations is null");
        this.audit = requireNonNull(audit, "audit is null");
    }

    /**
     * Runs {@code operation} for {@code caller}.
     *
     * @param requestId the call's id, for the audit trail
     * @param sourceAddress where the call came from, for the audit trail
     * @throws FirehoseException the call was denied ({@code AccessDeniedException}) or failed as the API answers
     */
    public byte[] run(
            Authenticated caller, Operation operation, RequestBody body, String requestId, String sourceAddress)
            throws IOException {
        Authorization.Decision decision = authorization.decide(caller, operation, body);
        Optional<String> failure = Optional.of(ErrorCode.INTERNAL_FAILURE.awsType());
        try {
            if (decision.denial().isPresent()) {
                throw decision.denial().get();
            }
            byte[] output = operations.run(
                    operation, new Scope(caller.accountId(), caller.region()), body, authorization.visible(caller));
            failure = Optional.empty();
            return output;
        } catch (FirehoseException e) {
            failure = Optional.of(e.code().awsType());
            throw e;
        } finally {
            if (!Operations.isDataPlane(operation) || decision.denial().isPresent()) {
                audit.record(new AuditEvent(
                        requestId,
                        caller.accessKeyId(),
                        authorization.principalArn(caller),
                        caller.accountId(),
                        caller.region(),
                        sourceAddress,
                        Authorization.action(operation),
                        decision.stream(),
                        failure));
            }
        }
    }
}
