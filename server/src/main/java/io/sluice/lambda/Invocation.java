package io.sluice.lambda;

import static java.util.Objects.requireNonNull;

/** How one invocation of a function ended. */
public sealed interface Invocation {
    /**
     * The function returned {@code payload} (Invoke: HTTP 200 without {@code X-Amz-Function-Error};
     * Runtime API: {@code /response}). What it holds is the caller's to judge.
     */
    record Answered(byte[] payload) implements Invocation {
        public Answered {
            requireNonNull(payload, "payload is null");
        }
    }

    /**
     * The function ran and failed: it threw or returned an error (Invoke: {@code X-Amz-Function-Error};
     * Runtime API: {@code /error} or {@code /init/error}), its process crashed, or its response was over
     * {@link FunctionCall#MAX_PAYLOAD_BYTES} ({@code Function.ResponseSizeTooLarge}).
     * {@code errorType} is the function's (e.g. {@code java.lang.RuntimeException},
     * {@code Runtime.ExitError}), {@code errorMessage} its message; either may be empty.
     */
    record FunctionFailed(String errorType, String errorMessage) implements Invocation {
        public FunctionFailed {
            requireNonNull(errorType, "errorType is null");
            requireNonNull(errorMessage, "errorMessage is null");
        }
    }

    /** The function did not answer within its timeout. */
    record TimedOut() implements Invocation {}

    /**
     * The invocation was not made or its outcome is unknown: the service or the runtime refused it, or
     * could not be reached. {@code errorCode} is Firehose's (delivery spec §6.1.5):
     * {@code Lambda.ResourceNotFound} (no such function), {@code Lambda.InvokeLimitExceeded} (throttled,
     * 429), {@code Lambda.InvokeAccessDenied} (403, signature or permission),
     * {@code Lambda.AssumeRoleAccessDenied} (STS refused the processor's role),
     * {@code Lambda.InvokeFailed} (anything else: unreachable endpoint, 5xx, request too large);
     * {@code message} says what happened, for the operator.
     */
    record Refused(String errorCode, String message) implements Invocation {
        public static final String RESOURCE_NOT_FOUND = "Lambda.ResourceNotFound";
        public static final String INVOKE_LIMIT_EXCEEDED = "Lambda.InvokeLimitExceeded";
        public static final String INVOKE_ACCESS_DENIED = "Lambda.InvokeAccessDenied";
        public static final String ASSUME_ROLE_ACCESS_DENIED = "Lambda.AssumeRoleAccessDenied";
        public static final String INVOKE_FAILED = "Lambda.InvokeFailed";

        public Refused {
            requireNonNull(errorCode, "errorCode is null");
            requireNonNull(message, "message is null");
        }
    }
}
