package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;

/**
 * The parts of an HTTP/1.x message head the generator acts on. {@code contentLength} is -1 when the
 * head has none; {@code close} is true when the connection ends after this message ({@code
 * Connection: close}, or HTTP/1.0 without {@code keep-alive}); {@code errorType} is {@code
 * x-amzn-ErrorType}, which some servers send besides (or instead of) {@code __type}.
 */
record HttpHead(String startLine, long contentLength, boolean chunked, boolean close, Optional<String> errorType) {
    HttpHead {
        requireNonNull(startLine, "startLine is null");
        requireNonNull(errorType, "errorType is null");
        if (contentLength < -1) {
            throw new IllegalArgumentException("contentLength must be -1 (absent) or more: " + contentLength);
        }
    }

    /** Parses a head given as ISO-8859-1 text without its final empty line. */
    static HttpHead parse(String head) {
        String[] lines = head.split("\r\n", -1);
        String startLine = lines[0];
        boolean http10 = startLine.startsWith("HTTP/1.0") || startLine.endsWith("HTTP/1.0");
        long contentLength = -1;
        boolean chunked = false;
        Optional<String> connection = Optional.empty();
        Optional<String> errorType = Optional.empty();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "content-length" -> contentLength = parseLength(value);
                case "transfer-encoding" ->
                    chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                case "connection" -> connection = Optional.of(value.toLowerCase(Locale.ROOT));
                case "x-amzn-errortype" -> errorType = Optional.of(value);
                default -> {}
            }
        }
        boolean close = connection
                .map(c -> c.contains("close") || (http10 && !c.contains("keep-alive")))
                .orElse(http10);
        return new HttpHead(startLine, chunked ? -1 : contentLength, chunked, close, errorType);
    }

    /** The status code of a response's start line ({@code HTTP/1.1 200 OK}). */
    int status() {
        if (startLine.length() < 12 || !startLine.startsWith("HTTP/") || startLine.charAt(8) != ' ') {
            throw new IllegalArgumentException("not a status line: '" + startLine + "'");
        }
        return Integer.parseInt(startLine.substring(9, 12));
    }

    private static long parseLength(String value) {
        try {
            long length = Long.parseLong(value);
            if (length < 0) {
                throw new IllegalArgumentException("negative Content-Length: " + value);
            }
            return length;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad Content-Length: '" + value + "'", e);
        }
    }
}
