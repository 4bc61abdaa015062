package io.sluice.lambda;

import java.util.concurrent.CompletionStage;

/**
 * Runs Lambda functions: one synchronous ({@code RequestResponse}) invocation per call (delivery spec
 * §6.1.12, §6.1.13). An implementation runs functions on AWS Lambda or a Lambda-compatible endpoint
 * through the Invoke API, or locally through the Lambda Runtime API; which one serves a function is
 * configuration ({@link FunctionRouter}). Thread-safe; invocations beyond what it runs at once wait.
 */
public interface FunctionInvoker extends AutoCloseable {
    /**
     * Invokes {@code call}'s function with its payload. The stage never completes exceptionally: every
     * way an invocation can end is an {@link Invocation}. It completes at the latest when the
     * function's timeout (plus transport slack) has passed.
     */
    CompletionStage<Invocation> invoke(FunctionCall call);

    /** Stops what the invoker started (clients, processes); invocations in flight end as refused. */
    @Override
    void close();
}
