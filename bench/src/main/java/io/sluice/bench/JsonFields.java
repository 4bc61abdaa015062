package io.sluice.bench;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Finds a member's value in a JSON body without parsing it: the first {@code "name"} followed by
 * optional whitespace and a colon. Enough for the few members the generator reads ({@code
 * FailedPutCount}, {@code __type}, {@code DeliveryStreamStatus}), each of which appears once in the
 * bodies that carry it; compact and pretty-printed JSON both match.
 */
final class JsonFields {
    private JsonFields() {}

    /** A non-negative integer member. */
    static OptionalLong number(byte[] json, int offset, int length, String name) {
        int at = valueStart(json, offset, length, name);
        int end = offset + length;
        if (at < 0 || at >= end || json[at] < '0' || json[at] > '9') {
            return OptionalLong.empty();
        }
        long value = 0;
        while (at < end && json[at] >= '0' && json[at] <= '9') {
            value = Math.addExact(Math.multiplyExact(value, 10), json[at] - '0');
            at++;
        }
        return OptionalLong.of(value);
    }

    /** A string member without escapes (as error types and enum values are). */
    static Optional<String> string(byte[] json, int offset, int length, String name) {
        int at = valueStart(json, offset, length, name);
        int end = offset + length;
        if (at < 0 || at >= end || json[at] != '"') {
            return Optional.empty();
        }
        for (int close = at + 1; close < end; close++) {
            if (json[close] == '\\') {
                return Optional.empty();
            }
            if (json[close] == '"') {
                return Optional.of(new String(json, at + 1, close - at - 1, StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    /** Index of the first byte of the value after {@code "name" :}, or -1. */
    private static int valueStart(byte[] json, int offset, int length, String name) {
        byte[] key = ('"' + name + '"').getBytes(StandardCharsets.UTF_8);
        int end = offset + length;
        outer:
        for (int i = offset; i + key.length <= end; i++) {
            for (int k = 0; k < key.length; k++) {
                if (json[i + k] != key[k]) {
                    continue outer;
                }
            }
            int at = skipWhitespace(json, i + key.length, end);
            if (at < end && json[at] == ':') {
                return skipWhitespace(json, at + 1, end);
            }
        }
        return -1;
    }

    private static int skipWhitespace(byte[] json, int from, int end) {
        int at = from;
        while (at < end && (json[at] == ' ' || json[at] == '\n' || json[at] == '\r' || json[at] == '\t')) {
            at++;
        }
        return at;
    }
}
