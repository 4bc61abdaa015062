package io.sluice.processor.jq;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.path.Path;

/** jackson-jq {@link Function}s made from plain Java functions of jq values. */
final class JqFunctions {
    private JqFunctions() {}

    /** A jq function of its input alone. */
    @FunctionalInterface
    interface Unary {
        JsonNode apply(JsonNode in) throws JsonQueryException;
    }

    /** A jq function of its input and one argument, called once per value of the argument. */
    @FunctionalInterface
    interface Binary {
        JsonNode apply(JsonNode in, JsonNode argument) throws JsonQueryException;
    }

    static Function unary(Unary body) {
        return (Scope scope, List<Expression> args, JsonNode in, Path path, PathOutput output, Version version) ->
                output.emit(body.apply(in), null);
    }

    static Function binary(Binary body) {
        return (Scope scope, List<Expression> args, JsonNode in, Path path, PathOutput output, Version version) ->
                args.get(0).apply(scope, in, argument -> output.emit(body.apply(in, argument), null));
    }
}
