package io.sluice.processor.jq;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes string interpolation print numbers as jq 1.6 does. jackson-jq prints an interpolated value
 * with Jackson's {@code asText()}, so a computed number comes out as {@code 1.0E17} where jq 1.6 prints
 * {@code 1e+17}. Before compiling, each {@code \(E)} in a string without a format is rewritten to
 * {@code \((E) | _sluice_tostring)}, our {@code tostring} ({@link DateBuiltins}), which in jq 1.6 is what
 * interpolation does, also under {@code @text @base64 @base64d @uri @html}, which print their value with
 * {@code tostring}. Under {@code @json @csv @tsv @sh} the value is left to jackson-jq's format (numbers
 * inside are then printed by jackson-jq, not as jq 1.6 does). The rewrite knows jq's strings, escapes and {@code #} comments; nothing else.
 */
final class Interpolations {
    static final String TOSTRING = "_sluice_tostring";

    private static final Pattern FORMAT_BEFORE = Pattern.compile("@([A-Za-z0-9_]+)\\s*$");
    /** Formats that, in jq 1.6, apply {@code tostring} to a value before encoding it. */
    private static final Set<String> TEXT_FORMATS = Set.of("text", "base64", "base64d", "uri", "html");

    private final String query;
    private final StringBuilder out;
    private int i;

    private Interpolations(String query) {
        this.query = query;
        this.out = new StringBuilder(query.length() + 32);
    }

    static String rewrite(String query) {
        Interpolations rewriter = new Interpolations(query);
        rewriter.code(false);
        return rewriter.out.toString();
    }

    /** Copies code up to the end, or inside an interpolation up to (not past) its closing parenthesis. */
    private void code(boolean inInterpolation) {
        int depth = 0;
        while (i < query.length()) {
            char c = query.charAt(i);
            if (c == '"') {
                Matcher format = FORMAT_BEFORE.matcher(out);
                string(format.find() && !TEXT_FORMATS.contains(format.group(1)));
                continue;
            }
            if (c == '#') {
                while (i < query.length() && query.charAt(i) != '\n') {
                    out.append(query.charAt(i++));
                }
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (inInterpolation && depth == 0) {
                    return;
                }
                depth--;
            }
            out.append(c);
            i++;
        }
    }

    private void string(boolean formatted) {
        out.append('"');
        i++;
        while (i < query.length()) {
            char c = query.charAt(i);
            if (c == '\\' && i + 1 < query.length()) {
                if (query.charAt(i + 1) == '(') {
                    i += 2;
                    out.append(formatted ? "\\(" : "\\((");
                    code(true);
                    out.append(formatted ? "" : ") | " + TOSTRING);
                    if (i < query.length()) {
                        out.append(')');
                        i++;
                    }
                } else {
                    out.append(c).append(query.charAt(i + 1));
                    i += 2;
                }
                continue;
            }
            out.append(c);
            i++;
            if (c == '"') {
                return;
            }
        }
    }
}
