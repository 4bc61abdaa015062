package io.sluice.bench;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The head of a signed Firehose request: {@code POST / HTTP/1.1} with {@code Host}, {@code
 * Content-Type}, {@code X-Amz-Target}, {@code X-Amz-Date} and {@code Content-Length}, the first four
 * signed, then {@code Authorization}.
 */
final class RequestHead {
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private RequestHead() {}

    static byte[] of(
            SigV4Signer signer, Endpoint endpoint, String target, Instant time, String bodySha256, long bodyLength) {
        Map<String, String> signed = new LinkedHashMap<>();
        signed.put("Host", endpoint.hostHeader());
        signed.put("Content-Type", CONTENT_TYPE);
        signed.put("X-Amz-Target", target);
        signed.put("X-Amz-Date", AMZ_DATE.format(time));
        StringBuilder head = new StringBuilder(512).append("POST / HTTP/1.1\r\n");
        signed.forEach(
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("Authorization: ")
                .append(signer.authorization(signed, bodySha256))
                .append("\r\nUser-Agent: sluice-bench\r\nContent-Length: ")
                .append(bodyLength)
                .append("\r\n\r\n")
                .toString()
                .getBytes(ISO_8859_1);
    }
}
