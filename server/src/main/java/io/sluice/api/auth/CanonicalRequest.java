package io.sluice.api.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The SigV4 canonical request (the path as {@link SignedService} says; for every service but S3):
 *
 * <pre>
 * METHOD \n
 * canonical path \n        remove_dot_segments, empty segments dropped, then every byte that is not
 *                          unreserved (A-Z a-z 0-9 - _ . ~) or '/' percent-encoded again (so the
 *                          received %20 becomes %2520, as clients encode the already-encoded path)
 * canonical query \n       pairs split on '&amp;' and the first '=', percent-decoded, re-encoded,
 *                          sorted by name then value; '+' is a literal plus
 * name:value \n            per signed header, in SignedHeaders order; values trimmed, runs of
 *  ...                     whitespace collapsed to one space, repeated headers joined with ','
 * \n
 * signed header list \n
 * payload hash
 * </pre>
 */
final class CanonicalRequest {
    private static final Pattern SLASH = Pattern.compile("/");
    private static final Pattern AMPERSAND = Pattern.compile("&");
    private static final Pattern WHITESPACE_RUN = Pattern.compile("[ \\t\\n\\x0B\\f\\r]+");
    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

    private CanonicalRequest() {}

    /** Every name in {@code signedHeaders} must be present in {@code request}. */
    static String of(SignedService service, ReceivedRequest request, List<String> signedHeaders, String payloadHash) {
        StringBuilder canonical = new StringBuilder(512)
                .append(request.method())
                .append('\n')
                .append(service.canonicalPath(request.rawPath()))
                .append('\n')
                .append(query(request.rawQuery()))
                .append('\n');
        for (String name : signedHeaders) {
            canonical
                    .append(name)
                    .append(':')
                    .append(headerValue(request.header(name)))
                    .append('\n');
        }
        return canonical
                .append('\n')
                .append(String.join(";", signedHeaders))
                .append('\n')
                .append(payloadHash)
                .toString();
    }

    /** Values trimmed, inner whitespace runs collapsed, repeated values joined with ','. */
    static String headerValue(List<String> values) {
        if (values.size() == 1 && isCanonical(values.get(0))) {
            return values.get(0);
        }
        List<String> trimmed = new ArrayList<>(values.size());
        for (String value : values) {
            trimmed.add(WHITESPACE_RUN.matcher(value).replaceAll(" ").strip());
        }
        return String.join(",", trimmed);
    }

    /**
     * Whether {@code value} is its own canonical form: no whitespace but single spaces between other
     * characters (so neither the collapsing nor {@link String#strip} would change it).
     */
    private static boolean isCanonical(String value) {
        char previous = ' ';
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' ? previous == ' ' : Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return false;
            }
            previous = c;
        }
        return previous != ' ';
    }

    static String path(String rawPath) {
        if (rawPath.isEmpty() || rawPath.equals("/")) {
            return "/";
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : SLASH.split(rawPath, -1)) {
            if (segment.equals("..")) {
                segments.pollLast();
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.addLast(segment);
            }
        }
        boolean trailingSlash = rawPath.endsWith("/") && !segments.isEmpty();
        String normalized = "/" + String.join("/", segments) + (trailingSlash ? "/" : "");
        return encode(normalized.getBytes(StandardCharsets.UTF_8), true);
    }

    /** S3's canonical path: the received path percent-decoded and encoded once, nothing normalised. */
    static String singleEncodedPath(String rawPath) {
        String path = rawPath.isEmpty() ? "/" : rawPath;
        return encode(percentDecode(path), true);
    }

    static String query(String rawQuery) {
        if (rawQuery.isEmpty()) {
            return "";
        }
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        for (String pair : AMPERSAND.split(rawQuery, -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            pairs.add(Map.entry(encode(percentDecode(name), false), encode(percentDecode(value), false)));
        }
        pairs.sort(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
        List<String> joined = new ArrayList<>(pairs.size());
        for (Map.Entry<String, String> pair : pairs) {
            joined.add(pair.getKey() + "=" + pair.getValue());
        }
        return String.join("&", joined);
    }

    /** RFC 3986 percent-encoding of every byte that is not unreserved (nor '/', if kept). */
    private static String encode(byte[] bytes, boolean keepSlash) {
        StringBuilder encoded = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '~'
                    || (keepSlash && c == '/')) {
                encoded.append(c);
            } else {
                encoded.append('%').append(HEX_UPPER[c >> 4]).append(HEX_UPPER[c & 0xf]);
            }
        }
        return encoded.toString();
    }

    /** Decodes %XX escapes; a '%' not followed by two hex digits stays a literal '%'. */
    private static byte[] percentDecode(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream decoded = new ByteArrayOutputStream(utf8.length);
        for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] == '%'
                    && i + 2 < utf8.length
                    && Character.digit(utf8[i + 1], 16) >= 0
                    && Character.digit(utf8[i + 2], 16) >= 0) {
                decoded.write(Character.digit(utf8[i + 1], 16) * 16 + Character.digit(utf8[i + 2], 16));
                i += 2;
            } else {
                decoded.write(utf8[i]);
            }
        }
        return decoded.toByteArray();
    }
}
