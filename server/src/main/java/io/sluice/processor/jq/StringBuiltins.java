package io.sluice.processor.jq;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.path.Path;

/**
 * jackson-jq builtins replaced where they differ from jq 1.6 (found by {@code
 * MetadataQueryOracleTest}): {@code tostring} and {@code tojson} print numbers as jq 1.6 does ({@link
 * JqValues#format}), and so does string interpolation ({@link Interpolations}); {@code ascii_downcase}
 * and {@code ascii_upcase} keep characters outside the BMP, which jackson-jq drops; on strings, {@code
 * indices}, {@code index} and {@code rindex} answer UTF-8 <em>byte</em> offsets of non-overlapping
 * matches, as jq 1.6 does ({@code "aéa"|indices("a")} is {@code [0,3]}), where jackson-jq counts
 * characters. jq 1.6 never ends on an empty needle; here that is an error.
 */
final class StringBuiltins {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StringBuiltins() {}

    /** Adds the builtins to {@code scope}, over jackson-jq's of the same names (which must be loaded). */
    static void register(Scope scope) {
        Function dump = JqFunctions.unary(in -> in.isTextual() ? in : TextNode.valueOf(JqValues.dump(in)));
        scope.addFunction("tostring", 0, dump);
        scope.addFunction(Interpolations.TOSTRING, 0, dump);
        scope.addFunction("tojson", 0, JqFunctions.unary(in -> TextNode.valueOf(JqValues.dump(in))));
        scope.addFunction("ascii_downcase", 0, JqFunctions.unary(in -> asciiCase(in, 'A', 'a' - 'A')));
        scope.addFunction("ascii_upcase", 0, JqFunctions.unary(in -> asciiCase(in, 'a', 'A' - 'a')));
        scope.addFunction("indices", 1, onStrings(scope.getFunction("indices", 1), StringBuiltins::byteOffsets));
        scope.addFunction("index", 1, onStrings(scope.getFunction("index", 1), (in, needle) -> {
            JsonNode offsets = byteOffsets(in, needle);
            return offsets.isEmpty() ? NullNode.getInstance() : offsets.get(0);
        }));
        scope.addFunction("rindex", 1, onStrings(scope.getFunction("rindex", 1), (in, needle) -> {
            JsonNode offsets = byteOffsets(in, needle);
            return offsets.isEmpty() ? NullNode.getInstance() : offsets.get(offsets.size() - 1);
        }));
    }

    private static JsonNode asciiCase(JsonNode in, char first, int shift) throws JsonQueryException {
        if (!in.isTextual()) {
            throw new JsonQueryException("explode input must be a string"); // jq 1.6 defines them with explode
        }
        char[] chars = in.textValue().toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= first && chars[i] <= first + 25) {
                chars[i] = (char) (chars[i] + shift);
            }
        }
        return TextNode.valueOf(new String(chars));
    }

    /** jq 1.6's _strindices: byte offsets of the non-overlapping occurrences of {@code needle}. */
    private static JsonNode byteOffsets(JsonNode in, JsonNode needle) throws JsonQueryException {
        byte[] haystack = in.textValue().getBytes(UTF_8);
        byte[] target = needle.textValue().getBytes(UTF_8);
        if (target.length == 0) {
            throw new JsonQueryException("Cannot find the indices of an empty string");
        }
        ArrayNode offsets = NODES.arrayNode();
        for (int p = 0; p + target.length <= haystack.length; ) {
            if (java.util.Arrays.equals(haystack, p, p + target.length, target, 0, target.length)) {
                offsets.add(p);
                p += target.length;
            } else {
                p++;
            }
        }
        return offsets;
    }

    /** {@code body} for a string input and string argument; jackson-jq's {@code original} for the rest. */
    private static Function onStrings(Function original, JqFunctions.Binary body) {
        return (Scope scope, List<Expression> args, JsonNode in, Path path, PathOutput output, Version version) -> {
            if (!in.isTextual()) {
                original.apply(scope, args, in, path, output, version);
                return;
            }
            List<JsonNode> needles = new ArrayList<>();
            args.get(0).apply(scope, in, needles::add);
            for (JsonNode needle : needles) {
                if (needle.isTextual()) {
                    output.emit(body.apply(in, needle), null);
                } else {
                    original.apply(scope, List.of(new Constant(needle)), in, path, output, version);
                }
            }
        };
    }

    /** An argument expression yielding one value. */
    private record Constant(JsonNode value) implements Expression {
        @Override
        public void apply(Scope scope, JsonNode in, Path path, PathOutput output, boolean requirePath)
                throws JsonQueryException {
            output.emit(value, null);
        }
    }
}
