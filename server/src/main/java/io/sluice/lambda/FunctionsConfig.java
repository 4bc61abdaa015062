package io.sluice.lambda;

import static java.util.Objects.requireNonNull;

import io.sluice.lambda.invoke.InvokeEndpointConfig;
import io.sluice.lambda.invoke.SdkFunctionInvoker;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who runs which Lambda function: per function ARN as a processor's {@code LambdaArn} names it (an
 * unqualified ARN serves every version and alias), a {@link Route}; every other function through the
 * Invoke API of {@code defaultEndpoint} (AWS Lambda unless configured otherwise).
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
    }

    public FunctionsConfig {
        requireNonNull(defaultEndpoint, "defaultEndpoint is null");
        functions = Map.copyOf(functions);
    }

    /** Every function on AWS Lambda, in its ARN's region, with the SDK's default credentials. */
    public static FunctionsConfig aws() {
        return new FunctionsConfig(InvokeEndpointConfig.aws(), Map.of());
    }

    /** Starts what this configuration runs. */
    public FunctionRouter open() {
        Map<String, FunctionInvoker> byArn = new LinkedHashMap<>();
        try {
            functions.forEach((arn, route) -> byArn.put(
                    arn,
                    switch (route) {
                        case Route.Invoke invoke -> new SdkFunctionInvoker(invoke.endpoint());
                    }));
            return new FunctionRouter(byArn, new SdkFunctionInvoker(defaultEndpoint));
        } catch (RuntimeException e) {
            byArn.values().forEach(FunctionInvoker::close);
            throw e;
        }
    }
}
