package io.sluice.api.s3;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One page of ListObjectsV2 over a bucket's keys (sorted by UTF-8 bytes): the keys after {@code
 * after} that start with {@code prefix}, those holding {@code delimiter} past the prefix rolled up into
 * one common prefix each, at most {@code maxKeys} entries (keys and common prefixes together). A page
 * never ends inside a common prefix; {@code lastKey} is the last key it covers, from which the next
 * page continues.
 */
record ListObjectsPage(List<String> keys, List<String> commonPrefixes, boolean truncated, Optional<String> lastKey) {
    ListObjectsPage {
        keys = List.copyOf(keys);
        commonPrefixes = List.copyOf(commonPrefixes);
        requireNonNull(lastKey, "lastKey is null");
    }

    /** {@code maxKeys} 0 lists nothing and is not truncated, as in S3. */
    static ListObjectsPage of(List<String> sortedKeys, String prefix, String delimiter, String after, int maxKeys) {
        if (maxKeys == 0) {
            return new ListObjectsPage(List.of(), List.of(), false, Optional.empty());
        }
        byte[] afterBytes = after.getBytes(StandardCharsets.UTF_8);
        List<String> keys = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String lastKey = null;
        String lastPrefix = null;
        for (String key : sortedKeys) {
            if (!key.startsWith(prefix)
                    || Arrays.compareUnsigned(key.getBytes(StandardCharsets.UTF_8), afterBytes) <= 0) {
                continue;
            }
            String common = commonPrefix(key, prefix, delimiter);
            if (common != null && common.equals(lastPrefix)) {
                lastKey = key;
                continue;
            }
            if (keys.size() + prefixes.size() == maxKeys) {
                return new ListObjectsPage(keys, prefixes, true, Optional.ofNullable(lastKey));
            }
            if (common != null) {
                prefixes.add(common);
                lastPrefix = common;
            } else {
                keys.add(key);
            }
            lastKey = key;
        }
        return new ListObjectsPage(keys, prefixes, false, Optional.ofNullable(lastKey));
    }

    /** The common prefix {@code key} rolls up into, or null when it holds no delimiter past the prefix. */
    private static String commonPrefix(String key, String prefix, String delimiter) {
        if (delimiter.isEmpty()) {
            return null;
        }
        int at = key.indexOf(delimiter, prefix.length());
        return at < 0 ? null : key.substring(0, at + delimiter.length());
    }
}
