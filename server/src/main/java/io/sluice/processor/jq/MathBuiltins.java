package io.sluice.processor.jq;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.DoubleUnaryOperator;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * jq 1.6's one-number math builtins that jackson-jq lacks: {@code fabs trunc rint nearbyint significand
 * logb} (C's functions; rounding to even for {@code rint}/{@code nearbyint}). jq 1.6's {@code pow10}
 * is not built on glibc 2.36, so it is missing here too. The two- and three-argument C functions
 * ({@code fmin}, {@code fmod}, …) and the gamma and Bessel functions are not provided.
 */
final class MathBuiltins {
    private MathBuiltins() {}

    static void register(Scope scope) {
        add(scope, "fabs", Math::abs);
        add(scope, "trunc", d -> d < 0 ? Math.ceil(d) : Math.floor(d));
        add(scope, "rint", Math::rint);
        add(scope, "nearbyint", Math::rint);
        add(scope, "significand", d -> d == 0 || !Double.isFinite(d) ? d : d / Math.scalb(1.0, Math.getExponent(d)));
        add(scope, "logb", d -> d == 0 ? Double.NEGATIVE_INFINITY : Math.getExponent(d));
    }

    private static void add(Scope scope, String name, DoubleUnaryOperator function) {
        scope.addFunction(name, 0, JqFunctions.unary(in -> apply(in, function)));
    }

    private static JsonNode apply(JsonNode in, DoubleUnaryOperator function) throws JsonQueryException {
        if (!in.isNumber()) {
            throw new JsonQueryException(JqValues.typeAndValue(in) + " number required");
        }
        return JqValues.number(function.applyAsDouble(in.doubleValue()));
    }
}
