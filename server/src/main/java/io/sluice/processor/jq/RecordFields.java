package io.sluice.processor.jq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The top-level fields of a record that a jq program reads, found from its text, so that a record can be
 * parsed into just those fields: a 1 KiB record whose query reads {@code .id} then costs a scan, not a
 * tree of every field. The answer is either a set of names, and then the program's result on any object
 * is its result on that object's fields of those names alone, or empty: the program may read the record
 * in some other way, and the record must be parsed whole.
 *
 * <p>A program qualifies when every expression that receives the record as its input ({@code .}) is one
 * of: a field {@code .name}, {@code ."name"} or {@code .["name"]} (then anything applied to that field's
 * value), a literal ({@code 1}, {@code "text"}, {@code null}, {@code true}, {@code false}, {@code empty},
 * {@code []}), an object construction whose keys are names, plain strings or qualifying {@code (E)}
 * (shorthand {@code {name}} reads {@code .name}), an array construction, a string whose interpolations
 * qualify (with or without a format), or parentheses, {@code ,}, arithmetic, comparison, {@code and},
 * {@code or}, {@code //} and unary minus over qualifying expressions; index expressions ({@code .a[E]})
 * qualify too. The right side of a {@code |} receives its left side's output, not the record, and may be
 * anything but {@code def}, {@code reduce}, {@code foreach}, {@code try}, {@code catch} or {@code label},
 * whose extent this reader does not follow. Everything else, among it {@code .} alone, {@code ..}, {@code
 * .[]}, variables, {@code as} bindings, assignments and function calls on the record ({@code keys}, {@code
 * length}, {@code tojson}, …), gives empty. So does anything this reader does not understand: it errs on
 * the side of the whole record. The program has compiled already; this reader does not check it again.
 */
final class RecordFields {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Names that, where the record is the input, do not read it. */
    private static final Set<String> CONSTANTS = Set.of("null", "true", "false", "empty");
    /** Binary operators spelled as names. */
    private static final Set<String> WORD_OPERATORS = Set.of("and", "or");

    private static final Set<String> SYMBOL_OPERATORS =
            Set.of("//", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%");
    /** Keywords whose extent {@link #skip} does not follow. */
    private static final Set<String> UNFOLLOWED = Set.of("def", "reduce", "foreach", "try", "catch", "label");

    private final List<Token> tokens;
    private final Set<String> read = new LinkedHashSet<>();
    private int at;

    private RecordFields(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** The top-level fields {@code program} reads, or empty if it may read the record otherwise. */
    static Optional<Set<String>> of(String program) {
        try {
            RecordFields reader = new RecordFields(new Lexer(program).tokens());
            reader.whole(reader.tokens);
            return Optional.of(Collections.unmodifiableSet(reader.read));
        } catch (Unsupported e) {
            return Optional.empty();
        }
    }

    /** Reads {@code part} (the program, or one interpolation) as a pipeline on the record, to its end. */
    private void whole(List<Token> part) {
        RecordFields inner = part == tokens ? this : new RecordFields(part);
        inner.pipeline(false);
        if (inner.at != part.size()) {
            throw new Unsupported();
        }
        if (inner != this) {
            read.addAll(inner.read);
        }
    }

    /**
     * {@code E} or {@code E | rest} with the record as E's input; stops before a closing bracket, the end,
     * or (for an object's value) a comma.
     */
    private void pipeline(boolean objectValue) {
        comma(objectValue);
        if (is("|")) {
            at++;
            skip(objectValue);
        }
    }

    private void comma(boolean objectValue) {
        operand();
        while (true) {
            Token next = peek();
            if (next == null) {
                return;
            }
            if (next.is(",") && !objectValue
                    || next.kind == Kind.SYMBOL && SYMBOL_OPERATORS.contains(next.text)
                    || next.kind == Kind.NAME && WORD_OPERATORS.contains(next.text)) {
                at++;
                operand();
            } else {
                return;
            }
        }
    }

    private void operand() {
        if (is("-")) {
            at++;
            operand();
            return;
        }
        term();
        suffixes();
    }

    private void term() {
        Token token = next();
        switch (token.kind) {
            case FIELD -> read.add(token.text);
            case NUMBER -> {}
            case STRING -> interpolations(token);
            case FORMAT -> {
                if (peek() == null || peek().kind != Kind.STRING) {
                    throw new Unsupported();
                }
                interpolations(next());
            }
            case NAME -> {
                if (!CONSTANTS.contains(token.text)) {
                    throw new Unsupported();
                }
            }
            case SYMBOL -> {
                switch (token.text) {
                    case "." -> field();
                    case "(" -> {
                        pipeline(false);
                        expect(")");
                    }
                    case "[" -> {
                        if (!is("]")) {
                            pipeline(false);
                        }
                        expect("]");
                    }
                    case "{" -> object();
                    default -> throw new Unsupported();
                }
            }
            default -> throw new Unsupported();
        }
    }

    /** After a lone {@code .}: {@code ."name"} or {@code .["name"]}; anything else uses the whole record. */
    private void field() {
        Token next = next();
        if (next.kind == Kind.STRING && next.plain()) {
            read.add(next.text);
        } else if (next.is("[") && peek() != null && peek().kind == Kind.STRING && peek().plain()) {
            read.add(next().text);
            expect("]");
        } else {
            throw new Unsupported();
        }
    }

    /** {@code .name}, {@code ."name"}, {@code [E]}, {@code []}, {@code [E:E]} and {@code ?} after a term. */
    private void suffixes() {
        while (peek() != null) {
            Token next = peek();
            if (next.kind == Kind.FIELD || next.is("?")) {
                at++;
            } else if (next.is(".") && at + 1 < tokens.size() && tokens.get(at + 1).kind == Kind.STRING) {
                at += 2;
            } else if (next.is("[")
                    || next.is(".")
                            && at + 1 < tokens.size()
                            && tokens.get(at + 1).is("[")) {
                at += next.is(".") ? 2 : 1;
                if (is(":")) {
                    at++;
                }
                if (!is("]")) {
                    pipeline(false); // an index's input is the record, as the term's is
                    if (is(":")) {
                        at++;
                        if (!is("]")) {
                            pipeline(false);
                        }
                    }
                }
                expect("]");
            } else {
                return;
            }
        }
    }

    private void object() {
        if (is("}")) {
            at++;
            return;
        }
        while (true) {
            Token key = next();
            if (key.kind == Kind.NAME && !is(":")) {
                read.add(key.text); // {name} is {name: .name}
            } else {
                switch (key.kind) {
                    case NAME -> {}
                    case STRING -> interpolations(key);
                    case SYMBOL -> {
                        if (!key.is("(")) {
                            throw new Unsupported();
                        }
                        pipeline(false);
                        expect(")");
                    }
                    default -> throw new Unsupported();
                }
                expect(":");
                pipeline(true);
            }
            Token after = next();
            if (after.is("}")) {
                return;
            }
            if (!after.is(",")) {
                throw new Unsupported();
            }
        }
    }

    private void interpolations(Token string) {
        for (List<Token> part : string.parts) {
            whole(part);
        }
    }

    /**
     * Passes over the right side of a {@code |}, whose input is not the record, up to a closing bracket at
     * its own depth, the end, or (for an object's value) a comma at its own depth.
     */
    private void skip(boolean objectValue) {
        int depth = 0;
        while (peek() != null) {
            Token token = peek();
            boolean keyword = token.kind == Kind.NAME && (token.text.equals("if") || token.text.equals("end"));
            if (token.kind == Kind.NAME && UNFOLLOWED.contains(token.text)
                    || keyword && at + 1 < tokens.size() && tokens.get(at + 1).is(":")) {
                throw new Unsupported(); // {end: …} would pass for the end of an if
            }
            boolean opens = token.is("(") || token.is("[") || token.is("{") || keyword && token.text.equals("if");
            boolean closes = token.is(")") || token.is("]") || token.is("}") || keyword && token.text.equals("end");
            if (depth == 0 && (closes || objectValue && token.is(","))) {
                return;
            }
            depth += opens ? 1 : closes ? -1 : 0;
            at++;
        }
    }

    private boolean is(String symbol) {
        Token next = peek();
        return next != null && next.is(symbol);
    }

    private Token peek() {
        return at < tokens.size() ? tokens.get(at) : null;
    }

    private Token next() {
        if (at >= tokens.size()) {
            throw new Unsupported();
        }
        return tokens.get(at++);
    }

    private void expect(String symbol) {
        if (!next().is(symbol)) {
            throw new Unsupported();
        }
    }

    private enum Kind {
        /** {@code .name}; text is the name. */
        FIELD,
        /** A name: a function, keyword or object key. */
        NAME,
        NUMBER,
        /** A string; text is its value when {@link Token#plain()}, parts its interpolations. */
        STRING,
        /** {@code @name}. */
        FORMAT,
        /** {@code $name}. */
        VARIABLE,
        /** Punctuation and operators, {@code .} and {@code ..} among them. */
        SYMBOL
    }

    private record Token(Kind kind, String text, List<List<Token>> parts) {
        boolean is(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        boolean plain() {
            return parts.isEmpty();
        }
    }

    /** jq 1.6's tokens, comments skipped; what it does not know is {@link Unsupported}. */
    private static final class Lexer {
        private static final List<String> SYMBOLS = List.of(
                "?//", "//=", "|=", "+=", "-=", "*=", "/=", "%=", "==", "!=", "<=", ">=", "//", "..", "|", ",", "+",
                "-", "*", "/", "%", "=", "<", ">", ";", ":", "?", "(", ")", "[", "]", "{", "}", ".");

        private final String text;
        private int i;

        Lexer(String text) {
            this.text = text;
        }

        List<Token> tokens() {
            List<Token> tokens = new ArrayList<>();
            while (true) {
                Token token = token();
                if (token == null) {
                    return tokens;
                }
                tokens.add(token);
            }
        }

        /** The next token, or null at the end or before the {@code )} closing an interpolation. */
        private Token token() {
            skipBlanks();
            if (i >= text.length() || text.charAt(i) == ')' && closesInterpolation) {
                return null;
            }
            char c = text.charAt(i);
            if (c == '"') {
                return string();
            }
            if (c == '.' && i + 1 < text.length() && nameStart(text.charAt(i + 1))) {
                i++;
                return new Token(Kind.FIELD, name(), List.of());
            }
            if (Character.isDigit(c) || c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))) {
                return number();
            }
            if (nameStart(c)) {
                return new Token(Kind.NAME, name(), List.of());
            }
            if ((c == '@' || c == '$') && i + 1 < text.length() && nameStart(text.charAt(i + 1))) {
                i++;
                return new Token(c == '@' ? Kind.FORMAT : Kind.VARIABLE, name(), List.of());
            }
            for (String symbol : SYMBOLS) {
                if (text.startsWith(symbol, i)) {
                    i += symbol.length();
                    return new Token(Kind.SYMBOL, symbol, List.of());
                }
            }
            throw new Unsupported();
        }

        /** Set while lexing an interpolation: a {@code )} at its own depth ends it. */
        private boolean closesInterpolation;

        private Token string() {
            int start = i++;
            List<List<Token>> parts = new ArrayList<>();
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '"') {
                    i++;
                    return new Token(Kind.STRING, parts.isEmpty() ? decoded(text.substring(start, i)) : "", parts);
                }
                if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '(') {
                    i += 2;
                    parts.add(interpolation());
                } else {
                    i += c == '\\' ? 2 : 1;
                }
            }
            throw new Unsupported();
        }

        /** The tokens of an interpolation up to its closing parenthesis, which it consumes. */
        private List<Token> interpolation() {
            boolean outer = closesInterpolation;
            List<Token> part = new ArrayList<>();
            int depth = 0;
            while (true) {
                closesInterpolation = depth == 0;
                Token token = token();
                if (token == null) {
                    if (i >= text.length()) {
                        throw new Unsupported();
                    }
                    i++;
                    closesInterpolation = outer;
                    return part;
                }
                depth += token.is("(") ? 1 : token.is(")") ? -1 : 0;
                part.add(token);
            }
        }

        private static String decoded(String literal) {
            try {
                return JSON.readValue(literal, String.class);
            } catch (JsonProcessingException e) {
                throw new Unsupported();
            }
        }

        private Token number() {
            int start = i;
            while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                i++;
            }
            if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
                i++;
                if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                    i++;
                }
                while (i < text.length() && Character.isDigit(text.charAt(i))) {
                    i++;
                }
            }
            return new Token(Kind.NUMBER, text.substring(start, i), List.of());
        }

        private String name() {
            int start = i;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (nameStart(c) || Character.isDigit(c)) {
                    i++;
                } else if (c == ':'
                        && text.startsWith("::", i)
                        && i + 2 < text.length()
                        && nameStart(text.charAt(i + 2))) {
                    i += 2;
                } else {
                    break;
                }
            }
            return text.substring(start, i);
        }

        private void skipBlanks() {
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '#') {
                    while (i < text.length() && text.charAt(i) != '\n') {
                        i++;
                    }
                } else if (Character.isWhitespace(c)) {
                    i++;
                } else {
                    return;
                }
            }
        }

        private static boolean nameStart(char c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
        }
    }

    /** The program is outside what this reader follows; the record is read whole. */
    private static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported() {
            super(null, null, false, false);
        }
    }
}
