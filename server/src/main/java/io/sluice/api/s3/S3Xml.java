package io.sluice.api.s3;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** S3's XML bodies, written by hand: a handful of flat elements, text escaped. */
final class S3Xml {
    static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    private final StringBuilder xml = new StringBuilder(DECLARATION);

    /** Opens the document element, in S3's namespace. */
    static S3Xml document(String root) {
        S3Xml document = new S3Xml();
        document.xml
                .append('<')
                .append(root)
                .append(" xmlns=\"")
                .append(NAMESPACE)
                .append("\">");
        return document;
    }

    static byte[] error(S3Error error, String requestId) {
        S3Xml document = new S3Xml();
        document.open("Error").element("Code", error.code()).element("Message", error.getMessage());
        for (Map.Entry<String, String> detail : error.details().entrySet()) {
            document.element(detail.getKey(), detail.getValue());
        }
        return document.element("RequestId", requestId).close("Error").bytes();
    }

    /** S3's timestamps in XML: ISO-8601 with milliseconds, UTC. */
    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    S3Xml open(String name) {
        xml.append('<').append(name).append('>');
        return this;
    }

    S3Xml close(String name) {
        xml.append("</").append(name).append('>');
        return this;
    }

    S3Xml element(String name, Object value) {
        open(name);
        escape(String.valueOf(value));
        return close(name);
    }

    byte[] bytes() {
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void escape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> xml.append("&lt;");
                case '>' -> xml.append("&gt;");
                case '&' -> xml.append("&amp;");
                case '"' -> xml.append("&quot;");
                case '\'' -> xml.append("&apos;");
                case '\r' -> xml.append("&#13;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n') {
                        xml.append("&#").append((int) c).append(';');
                    } else {
                        xml.append(c);
                    }
                }
            }
        }
    }
}
