package io.sluice.lambda;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One invocation to make: the function as a processor's {@code LambdaArn} names it (a full ARN, version
 * or alias qualifier included when configured; passed unchanged as the Invoke API's
 * {@code FunctionName}), the role Firehose would assume to invoke it (the processor's {@code RoleArn}),
 * and the event, JSON (at most {@link #MAX_PAYLOAD_BYTES}).
 */
public record FunctionCall(String functionArn, Optional<String> roleArn, byte[] payload) {
    /** Lambda's limit on a synchronous invocation's request and response payloads. */
    public static final int MAX_PAYLOAD_BYTES = 6_291_556;

    public FunctionCall {
        requireNonNull(functionArn, "functionArn is null");
        requireNonNull(roleArn, "roleArn is null");
        requireNonNull(payload, "payload is null");
    }
}
