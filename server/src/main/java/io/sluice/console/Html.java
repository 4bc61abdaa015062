package io.sluice.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** HTML text: every value a page shows goes through {@link #text}, every value in a URL through {@link #url}. */
final class Html {
    private Html() {}

    /** {@code value} safe in element content and in a double- or single-quoted attribute. */
    static String text(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code value} as one path segment or query value, then escaped for an attribute. */
    static String url(String value) {
        return text(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /** A whole page: the console's style sheet and script, a header naming the signed-in scope, and {@code body}. */
    static String page(String title, String who, String csrf, String body) {
        StringBuilder page = new StringBuilder(body.length() + 1024);
        page.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(text(title))
                .append(" · Sluice</title><link rel=\"stylesheet\" href=\"/console/static/console.css\">")
                .append("<script src=\"/console/static/console.js\" defer></script></head><body><header>")
                .append("<a class=\"brand\" href=\"/console/streams\">Sluice</a>");
        if (!who.isEmpty()) {
            page.append("<span class=\"who\">")
                    .append(text(who))
                    .append("</span><form method=\"post\" action=\"/console/sign-out\" class=\"inline\">")
                    .append(csrfField(csrf))
                    .append("<button type=\"submit\">Sign out</button></form>");
        }
        return page.append("</header><main>")
                .append(body)
                .append("</main></body></html>")
                .toString();
    }

    static String csrfField(String csrf) {
        return "<input type=\"hidden\" name=\"" + ConsoleHandler.CSRF_FIELD + "\" value=\"" + text(csrf) + "\">";
    }
}
