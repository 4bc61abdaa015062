package io.sluice.testing;

import io.sluice.lambda.FunctionCall;
import io.sluice.lambda.FunctionInvoker;
import io.sluice.lambda.Invocation;
import io.sluice.metrics.Metrics;
import io.sluice.processor.LambdaProcessor;
import io.sluice.processor.ProcessorStages;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Processor stages for tests whose destinations run no Lambda function. */
public final class TestProcessors {
    private TestProcessors() {}

    /** Stages whose Lambda processors, were one configured, would find no function. */
    public static ProcessorStages withoutFunctions() {
        return with(new FunctionInvoker() {
            @Override
            public CompletableFuture<Invocation> invoke(FunctionCall call) {
                return CompletableFuture.completedFuture(
                        new Invocation.Refused(Invocation.Refused.RESOURCE_NOT_FOUND, "no functions in this test"));
            }

            @Override
            public void close() {}
        });
    }

    /** Stages running functions with {@code functions}, retrying at once. */
    public static ProcessorStages with(FunctionInvoker functions) {
        return new ProcessorStages(
                functions, new LambdaProcessor.Settings(5, Duration.ZERO, Duration.ZERO), new Metrics());
    }
}
