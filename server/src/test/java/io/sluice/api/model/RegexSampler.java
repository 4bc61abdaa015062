package io.sluice.api.model;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Makes strings that do, or do not, match a model pattern, for generating requests.
 *
 * <p>It understands the regular-expression subset the service model uses: literals and escapes,
 * {@code .}, character classes (each is handed to {@link Pattern} itself, so their semantics are
 * Java's), groups, alternation, the quantifiers {@code * + ? {n} {n,} {n,m}} (lazy or possessive
 * forms too), anchors, and lookarounds (which it skips). Characters come from a fixed pool of
 * ASCII plus a few non-ASCII, whitespace, control and supplementary characters. Every candidate is
 * checked against the real pattern and the length bounds, and retried with repetition counts drawn
 * from a widening range until it fits, so a lookaround or an unusual construct costs retries, never a wrong answer.
 */
final class RegexSampler {
    /** Code points strings are made of: printable ASCII and a few awkward others. */
    static final List<Integer> POOL = IntStream.concat(
                    IntStream.rangeClosed(0x20, 0x7e),
                    IntStream.of('\t', '\n', 0x01, 0xa0, 'é', 'ß', 'ж', '中', '٣', 0x2003, 0x1f600))
            .boxed()
            .toList();

    private static final int ATTEMPTS = 400;

    private final Pattern pattern;
    private final Node root;

    RegexSampler(Pattern pattern) {
        this.pattern = requireNonNull(pattern, "pattern is null");
        Parser parser = new Parser(pattern.pattern());
        this.root = parser.alternation();
        if (parser.position != parser.source.length()) {
            throw new IllegalArgumentException("cannot parse pattern " + pattern.pattern() + " at " + parser.position);
        }
    }

    /** A string matching the pattern whose length in code points lies in [min, max], if one is found. */
    Optional<String> matching(RandomGenerator random, long min, long max) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            StringBuilder out = new StringBuilder();
            root.emit(out, random, 1 << random.nextInt(Math.min(3 + attempt / 20, 13)));
            String candidate = out.toString();
            if (fits(candidate, min, max) && pattern.matcher(candidate).matches()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A string not matching the pattern whose length in code points lies in [min, max], if one is found. */
    Optional<String> notMatching(RandomGenerator random, long min, long max) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long length = min + random.nextLong(Math.min(max, min + 16) - min + 1);
            String candidate = randomText(random, length);
            if (!pattern.matcher(candidate).matches()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Random code points from the pool. */
    static String randomText(RandomGenerator random, long length) {
        StringBuilder out = new StringBuilder();
        for (long i = 0; i < length; i++) {
            out.appendCodePoint(POOL.get(random.nextInt(POOL.size())));
        }
        return out.toString();
    }

    private static boolean fits(String text, long min, long max) {
        long length = text.codePointCount(0, text.length());
        return length >= min && length <= max;
    }

    private sealed interface Node permits Sequence, Alternation, Repeat, CharSet, Nothing {
        void emit(StringBuilder out, RandomGenerator random, int stretch);
    }

    private record Sequence(List<Node> parts) implements Node {
        @Override
        public void emit(StringBuilder out, RandomGenerator random, int stretch) {
            parts.forEach(part -> part.emit(out, random, stretch));
        }
    }

    private record Alternation(List<Node> choices) implements Node {
        @Override
        public void emit(StringBuilder out, RandomGenerator random, int stretch) {
            choices.get(random.nextInt(choices.size())).emit(out, random, stretch);
        }
    }

    /** A quantified node; {@code max} of -1 means unbounded. */
    private record Repeat(Node node, int min, int max) implements Node {
        @Override
        public void emit(StringBuilder out, RandomGenerator random, int stretch) {
            int upper = max < 0 ? min + stretch : Math.min(max, min + stretch);
            int count = min + random.nextInt(upper - min + 1);
            for (int i = 0; i < count; i++) {
                node.emit(out, random, stretch);
            }
        }
    }

    /** One code point out of those in the pool that the class (or escape, or literal) matches. */
    private record CharSet(List<Integer> members) implements Node {
        static CharSet of(String regex) {
            Pattern single = Pattern.compile(regex);
            List<Integer> members = POOL.stream()
                    .filter(c ->
                            single.matcher(new String(Character.toChars(c))).matches())
                    .toList();
            if (members.isEmpty()) {
                throw new IllegalArgumentException("no pool character matches " + regex);
            }
            return new CharSet(members);
        }

        static CharSet literal(int codePoint) {
            return new CharSet(List.of(codePoint));
        }

        @Override
        public void emit(StringBuilder out, RandomGenerator random, int stretch) {
            out.appendCodePoint(members.get(random.nextInt(members.size())));
        }
    }

    /** An anchor or lookaround: emits nothing; the final match decides. */
    private record Nothing() implements Node {
        @Override
        public void emit(StringBuilder out, RandomGenerator random, int stretch) {}
    }

    private static final class Parser {
        private final String source;
        private int position;

        Parser(String source) {
            this.source = source;
        }

        Node alternation() {
            List<Node> choices = new ArrayList<>();
            choices.add(sequence());
            while (peek('|')) {
                position++;
                choices.add(sequence());
            }
            return choices.size() == 1 ? choices.getFirst() : new Alternation(choices);
        }

        private Node sequence() {
            List<Node> parts = new ArrayList<>();
            while (position < source.length() && !peek('|') && !peek(')')) {
                parts.add(quantified(atom()));
            }
            return new Sequence(parts);
        }

        private Node quantified(Node atom) {
            Node result;
            if (peek('{')) {
                result = bounded(atom);
            } else if (peek('*') || peek('+') || peek('?')) {
                char c = source.charAt(position++);
                result = new Repeat(atom, c == '+' ? 1 : 0, c == '?' ? 1 : -1);
            } else {
                return atom;
            }
            if (peek('?') || peek('+')) {
                position++;
            }
            return result;
        }

        private Node bounded(Node atom) {
            int close = source.indexOf('}', position);
            String[] bounds = source.substring(position + 1, close).split(",", -1);
            position = close + 1;
            int min = Integer.parseInt(bounds[0]);
            int max = bounds.length == 1 ? min : bounds[1].isEmpty() ? -1 : Integer.parseInt(bounds[1]);
            return new Repeat(atom, min, max);
        }

        private Node atom() {
            return switch (source.charAt(position)) {
                case '(' -> group();
                case '[' -> characterClass();
                case '\\' -> escape();
                case '^', '$' -> {
                    position++;
                    yield new Nothing();
                }
                case '.' -> {
                    position++;
                    yield CharSet.of(".");
                }
                default -> {
                    int codePoint = source.codePointAt(position);
                    position += Character.charCount(codePoint);
                    yield CharSet.literal(codePoint);
                }
            };
        }

        private Node characterClass() {
            int start = position;
            position = classEnd(position);
            return CharSet.of(source.substring(start, position));
        }

        private Node group() {
            position++;
            boolean lookaround = false;
            if (source.startsWith("?:", position)) {
                position += 2;
            } else if (source.startsWith("?=", position) || source.startsWith("?!", position)) {
                position += 2;
                lookaround = true;
            } else if (source.startsWith("?<=", position) || source.startsWith("?<!", position)) {
                position += 3;
                lookaround = true;
            }
            Node inner = alternation();
            if (!peek(')')) {
                throw new IllegalArgumentException("unclosed group in " + source);
            }
            position++;
            return lookaround ? new Nothing() : inner;
        }

        private Node escape() {
            char next = source.charAt(position + 1);
            int start = position;
            if (next == 'p' || next == 'P') {
                position = source.indexOf('}', position) + 1;
            } else if (next == 'u') {
                position += 6;
            } else if (next == 'x') {
                position += 4;
            } else {
                position += 2;
            }
            return CharSet.of(source.substring(start, position));
        }

        /** The index just past the class that starts at {@code open}. */
        private int classEnd(int open) {
            int i = open + 1;
            if (i < source.length() && source.charAt(i) == '^') {
                i++;
            }
            if (i < source.length() && source.charAt(i) == ']') {
                i++;
            }
            while (source.charAt(i) != ']') {
                i += source.charAt(i) == '\\' ? 2 : 1;
            }
            return i + 1;
        }

        private boolean peek(char c) {
            return position < source.length() && source.charAt(position) == c;
        }
    }
}
