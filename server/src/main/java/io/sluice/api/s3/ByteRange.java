package io.sluice.api.s3;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bytes {@code first} to {@code last} (inclusive) of an object, from a {@code Range} header of one
 * range: {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}. As S3 does, a header it cannot read
 * (several ranges, another unit) is ignored and the whole object sent.
 */
record ByteRange(long first, long last) {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /**
     * The range of an object of {@code size} bytes, empty for the whole object.
     *
     * @throws S3Error InvalidRange (416) when the range starts past the end
     */
    static Optional<ByteRange> of(Optional<String> header, long size) {
        Matcher m = header.map(h -> SINGLE.matcher(h.strip())).orElse(null);
        if (m == null || !m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    throw invalid(size);
                }
                return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (first >= size) {
                throw invalid(size);
            }
            return first > last ? Optional.empty() : Optional.of(new ByteRange(first, last));
        } catch (NumberFormatException tooLong) {
            return Optional.empty();
        }
    }

    long length() {
        return last - first + 1;
    }

    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    private static S3Error invalid(long size) {
        return new S3Error(
                416,
                "InvalidRange",
                "The requested range is not satisfiable",
                java.util.Map.of("ActualObjectSize", Long.toString(size)));
    }
}
