package io.sluice.lambda;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * Chooses per function who runs it (delivery spec §6.1.12, §6.1.13): the invoker configured for the
 * processor's {@code LambdaArn} as written, else the one configured for that function without a
 * qualifier (it serves every version and alias), else the fallback (the default Invoke endpoint).
 * Closing it closes every invoker once.
 */
public final class FunctionRouter implements FunctionInvoker {
    /** A {@code :version} or {@code :alias} after {@code function:NAME}. */
    private static final Pattern QUALIFIER = Pattern.compile("(:function:[^:]+):[^:]+$");

    private final Map<String, FunctionInvoker> byArn;
    private final FunctionInvoker fallback;

    public FunctionRouter(Map<String, FunctionInvoker> byArn, FunctionInvoker fallback) {
        this.byArn = Map.copyOf(new LinkedHashMap<>(byArn));
        this.fallback = requireNonNull(fallback, "fallback is null");
    }

    @Override
    public CompletionStage<Invocation> invoke(FunctionCall call) {
        return route(call.functionArn()).invoke(call);
    }

    /** Who runs {@code functionArn}. */
    FunctionInvoker route(String functionArn) {
        FunctionInvoker exact = byArn.get(functionArn);
        if (exact != null) {
            return exact;
        }
        return byArn.getOrDefault(unqualified(functionArn), fallback);
    }

    /** {@code functionArn} without its version or alias. */
    static String unqualified(String functionArn) {
        return QUALIFIER.matcher(functionArn).replaceFirst("$1");
    }

    @Override
    public void close() {
        Set<FunctionInvoker> all = Collections.newSetFromMap(new IdentityHashMap<>());
        all.addAll(byArn.values());
        all.add(fallback);
        all.forEach(FunctionInvoker::close);
    }
}
