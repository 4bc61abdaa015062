package io.sluice.lambda;

import static java.util.Objects.requireNonNull;

import io.sluice.lambda.invoke.InvokeEndpointConfig;
import io.sluice.lambda.invoke.SdkFunctionInvoker;
import io.sluice.lambda.local.LocalFunction;
import io.sluice.lambda.local.LocalFunctionConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who runs which Lambda function: per function ARN as a processor's {@code LambdaArn} names it (an
 * unqualified ARN serves every version and alias), a {@link Route} (another Invoke API endpoint, or
 * local runtime processes); every other function through the Invoke API of {@code defaultEndpoint}
 * (AWS Lambda unless configured otherwise).
 */
public record FunctionsConfig(InvokeEndpointConfig defaultEndpoint, Map<String, Route> functions) {
    /** How one function runs. */
    public sealed interface Route {
        /** Through the Invoke API of {@code endpoint}. */
        record Invoke(InvokeEndpointConfig endpoint) implements Route {
            public Invoke {
                requireNonNull(endpoint, "endpoint is null");
            }
        }

        /** Locally, by runtime processes Sluice starts and serves the Runtime API to. */
        record Local(LocalFunctionConfig function) implements Route {
            public Local {
                requireNonNull(function, "function is null");
            }
        }
    }

    public FunctionsConfig {
        requireNonNull(defaultEndpoint, "defaultEndpoint is null");
        functions = Map.copyOf(functions);
    }

    /** Every function on AWS Lambda, in its ARN's region, with the SDK's default credentials. */
    public static FunctionsConfig aws() {
        return new FunctionsConfig(InvokeEndpointConfig.aws(), Map.of());
    }

    /** Starts what this configuration runs: clients, and the processes of local functions. */
    public FunctionRouter open(Clock clock) {
        Map<String, FunctionInvoker> byArn = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Route> function : functions.entrySet()) {
                byArn.put(
                        function.getKey(),
                        switch (function.getValue()) {
                            case Route.Invoke invoke -> new SdkFunctionInvoker(invoke.endpoint());
                            case Route.Local local -> LocalFunction.start(local.function(), clock);
                        });
            }
            return new FunctionRouter(byArn, new SdkFunctionInvoker(defaultEndpoint));
        } catch (IOException e) {
            byArn.values().forEach(FunctionInvoker::close);
            throw new UncheckedIOException("cannot start a local Lambda function", e);
        } catch (RuntimeException e) {
            byArn.values().forEach(FunctionInvoker::close);
            throw e;
        }
    }
}
