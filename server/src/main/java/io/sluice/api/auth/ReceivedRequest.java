package io.sluice.api.auth;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as Sluice received it, reduced to what SigV4 covers.
 *
 * <ul>
 *   <li>{@code rawPath}: the path exactly as on the request line, still percent-encoded ({@code /}
 *       for every Firehose call); empty is read as {@code /}.
 *   <li>{@code rawQuery}: the query after {@code ?}, still percent-encoded; empty when there is none.
 *   <li>{@code headers}: every received header, values in the order received. Names are compared
 *       without regard to case; the canonical form keeps them lower-cased, and names that differ only
 *       in case are merged, in the map's iteration order.
 *   <li>{@code payloadSha256}: lower-case hex SHA-256 of the body actually received. {@link
 *       #withBody} computes it from the bytes.
 * </ul>
 */
public record ReceivedRequest(
        String method, String rawPath, String rawQuery, Map<String, List<String>> headers, String payloadSha256) {
    public ReceivedRequest {
        requireNonNull(method, "method is null");
        requireNonNull(rawPath, "rawPath is null");
        requireNonNull(rawQuery, "rawQuery is null");
        requireNonNull(headers, "headers is null");
        requireNonNull(payloadSha256, "payloadSha256 is null");
        if (method.isBlank()) {
            throw new IllegalArgumentException("method is blank");
        }
        if (!isSha256Hex(payloadSha256)) {
            throw new IllegalArgumentException(
                    "payloadSha256 is not 64 lower-case hex digits: '" + payloadSha256 + "'");
        }
        headers = lowerCaseNames(headers);
    }

    /** A request whose payload hash is computed from the received body. */
    public static ReceivedRequest withBody(
            String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        return new ReceivedRequest(method, rawPath, rawQuery, headers, sha256Hex(body));
    }

    /** The {@code payloadSha256} of {@code body}: its SHA-256 in lower-case hex. */
    public static String sha256Hex(byte[] body) {
        return Sha256.hex(requireNonNull(body, "body is null"));
    }

    /** Every value of the header, in the order received; empty when absent. */
    public List<String> header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** The first value of the header. */
    public Optional<String> firstHeader(String name) {
        List<String> values = header(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    private static Map<String, List<String>> lowerCaseNames(Map<String, List<String>> headers) {
        Map<String, List<String>> merged = new HashMap<>(2 * headers.size());
        headers.forEach((name, values) -> {
            requireNonNull(name, "header name is null");
            requireNonNull(values, () -> "values of header " + name + " are null");
            String lowerCase = name.toLowerCase(Locale.ROOT);
            List<String> earlier = merged.get(lowerCase);
            if (earlier == null) {
                merged.put(lowerCase, List.copyOf(values));
            } else {
                List<String> joined = new ArrayList<>(earlier);
                joined.addAll(values);
                merged.put(lowerCase, List.copyOf(joined));
            }
        });
        return Collections.unmodifiableMap(merged);
    }

    private static boolean isSha256Hex(String text) {
        if (text.length() != 64) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }
}
