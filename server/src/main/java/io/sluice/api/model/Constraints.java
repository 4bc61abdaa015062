package io.sluice.api.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The model's constraints on a scalar value and AWS's phrase for each. A value's broken
 * constraints come in the order AWS reports them: length (max before min), value (max before
 * min, so NaN breaks both), pattern, enum.
 */
final class Constraints {
    static final String NOT_NULL = "Member must not be null";

    /**
     * A pattern is matched only against values of at most this many characters, or of the shape's
     * max length when that is more. Like AWS, an over-long value that also breaks the pattern breaks
     * both (a 70-character name of {@code !} is two violations), up to this length; a longer one is
     * reported for its length only. The bound keeps the model's patterns affordable: some backtrack
     * ({@code arn:.*:glue:.*:…}, quadratic in the value's length) and the JDBC URL's recurses once
     * per host label, which overflows a thread's stack at a few thousand characters.
     */
    static final int PATTERN_INPUT_LIMIT = 1024;

    private Constraints() {}

    /** The constraints a string breaks. */
    static List<String> broken(StringShape shape, String value) {
        List<String> broken = new ArrayList<>(0);
        long length = value.codePointCount(0, value.length());
        length(shape.length(), length, broken);
        long patternLimit = Math.max(shape.length().max().orElse(0L), PATTERN_INPUT_LIMIT);
        shape.pattern().ifPresent(pattern -> {
            if (length <= patternLimit && !pattern.matcher(value).matches()) {
                broken.add(patternPhrase(shape));
            }
        });
        if (!shape.enumValues().isEmpty() && !shape.enumValues().contains(value)) {
            broken.add(enumPhrase(shape));
        }
        return broken;
    }

    /** The constraints a blob of this decoded length breaks. */
    static List<String> broken(BlobShape shape, long decodedLength) {
        List<String> broken = new ArrayList<>(0);
        length(shape.length(), decodedLength, broken);
        return broken;
    }

    /** The constraints an integer breaks. */
    static List<String> broken(IntegerShape shape, int value) {
        List<String> broken = new ArrayList<>(0);
        BigDecimal decimal = BigDecimal.valueOf(value);
        shape.range().max().filter(max -> decimal.compareTo(max) > 0).ifPresent(max -> broken.add(maxValuePhrase(max)));
        shape.range().min().filter(min -> decimal.compareTo(min) < 0).ifPresent(min -> broken.add(minValuePhrase(min)));
        return broken;
    }

    /** The constraints a double breaks; NaN satisfies no bound. */
    static List<String> broken(DoubleShape shape, double value) {
        List<String> broken = new ArrayList<>(0);
        shape.range()
                .max()
                .filter(max -> !(value <= max.doubleValue()))
                .ifPresent(max -> broken.add(maxValuePhrase(max)));
        shape.range()
                .min()
                .filter(min -> !(value >= min.doubleValue()))
                .ifPresent(min -> broken.add(minValuePhrase(min)));
        return broken;
    }

    /** The length constraints of a list or map with this many entries that it breaks. */
    static List<String> brokenLength(LengthRange range, long entries) {
        List<String> broken = new ArrayList<>(0);
        length(range, entries, broken);
        return broken;
    }

    /**
     * Every constraint of a scalar shape, as AWS lists them inside {@code Member must satisfy
     * constraint: [...]} for a list's items and {@code Map keys/value must satisfy constraint:
     * [...]}: length max, length min, value max, value min, pattern, enum.
     */
    static String all(ScalarShape shape) {
        List<String> phrases = new ArrayList<>();
        switch (shape) {
            case StringShape string -> {
                lengthPhrases(string.length(), phrases);
                string.pattern().ifPresent(pattern -> phrases.add(patternPhrase(string)));
                if (!string.enumValues().isEmpty()) {
                    phrases.add(enumPhrase(string));
                }
            }
            case BlobShape blob -> lengthPhrases(blob.length(), phrases);
            case IntegerShape integer -> rangePhrases(integer.range(), phrases);
            case DoubleShape decimal -> rangePhrases(decimal.range(), phrases);
            case BooleanShape b -> {}
            case TimestampShape t -> {}
        }
        return "[" + String.join(", ", phrases) + "]";
    }

    private static void length(LengthRange range, long length, List<String> broken) {
        range.max().stream().filter(max -> length > max).forEach(max -> broken.add(maxLengthPhrase(max)));
        range.min().stream().filter(min -> length < min).forEach(min -> broken.add(minLengthPhrase(min)));
    }

    private static void lengthPhrases(LengthRange range, List<String> phrases) {
        range.max().ifPresent(max -> phrases.add(maxLengthPhrase(max)));
        range.min().ifPresent(min -> phrases.add(minLengthPhrase(min)));
    }

    private static void rangePhrases(ValueRange range, List<String> phrases) {
        range.max().ifPresent(max -> phrases.add(maxValuePhrase(max)));
        range.min().ifPresent(min -> phrases.add(minValuePhrase(min)));
    }

    private static String maxLengthPhrase(long max) {
        return "Member must have length less than or equal to " + max;
    }

    private static String minLengthPhrase(long min) {
        return "Member must have length greater than or equal to " + min;
    }

    private static String maxValuePhrase(BigDecimal max) {
        return "Member must have value less than or equal to " + max.toPlainString();
    }

    private static String minValuePhrase(BigDecimal min) {
        return "Member must have value greater than or equal to " + min.toPlainString();
    }

    private static String patternPhrase(StringShape shape) {
        return "Member must satisfy regular expression pattern: "
                + shape.pattern().orElseThrow().pattern();
    }

    private static String enumPhrase(StringShape shape) {
        return "Member must satisfy enum value set: [" + String.join(", ", shape.enumValues()) + "]";
    }
}
