package io.sluice.api.model;

import java.util.Optional;

/**
 * Checks base64 text (RFC 4648 standard alphabet, {@code =} padding, no line breaks) the way
 * AWS's Coral framework does, with its words, typo included:
 *
 * <ul>
 *   <li>{@code Base64 encoded length is expected a multiple of 4 bytes but found: 3}
 *   <li>{@code Invalid Base64 character: '!'} — a character outside the alphabet, or {@code =}
 *       followed by anything but {@code =}, or more than two {@code =} (the last is our choice)
 *   <li>{@code Invalid last non-pad Base64 character dectected} — the last character before the
 *       padding carries bits that decoding would drop
 * </ul>
 *
 * Runs in one pass without decoding, so a large value costs no memory.
 */
final class Base64Text {
    private Base64Text() {}

    /** Why the text is not valid base64, or empty when it is. */
    static Optional<String> problem(String text) {
        int length = text.length();
        if (length % 4 != 0) {
            return Optional.of("Base64 encoded length is expected a multiple of 4 bytes but found: " + length);
        }
        int padding = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '=') {
                boolean lastOrBeforePad = i + 1 == length || text.charAt(i + 1) == '=';
                if (!lastOrBeforePad || ++padding > 2) {
                    return Optional.of(invalidCharacter(text, i));
                }
            } else if (sextet(c) < 0) {
                return Optional.of(invalidCharacter(text, i));
            }
        }
        if (padding > 0) {
            int lastData = sextet(text.charAt(length - padding - 1));
            int unusedBitsMask = padding == 1 ? 0b11 : 0b1111;
            if ((lastData & unusedBitsMask) != 0) {
                return Optional.of("Invalid last non-pad Base64 character dectected");
            }
        }
        return Optional.empty();
    }

    /** The number of bytes that valid base64 text decodes to. */
    static long decodedLength(String text) {
        int length = text.length();
        int padding = length == 0
                ? 0
                : (text.charAt(length - 1) == '=' ? 1 : 0) + (length > 1 && text.charAt(length - 2) == '=' ? 1 : 0);
        return (long) length / 4 * 3 - padding;
    }

    private static String invalidCharacter(String text, int index) {
        return "Invalid Base64 character: '" + new String(Character.toChars(text.codePointAt(index))) + "'";
    }

    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '+') {
            return 62;
        }
        if (c == '/') {
            return 63;
        }
        return -1;
    }
}
