package io.sluice.testing;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading Sluice's {@code GET /metrics} (Prometheus text) in tests. */
public final class Scrapes {
    private Scrapes() {}

    /** The current text of {@code /metrics} of the Sluice at {@code endpoint}. */
    public static String scrape(URI endpoint) {
        return new SignedHttp(endpoint)
                .send(HttpRequest.newBuilder(endpoint.resolve("/metrics")).build())
                .body();
    }

    /** The sum of {@code metric} over the series of one stream (0 when it has none). */
    public static double streamValue(String scrape, String metric, String stream) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)$")
                .matcher(scrape);
        double total = 0;
        while (m.find()) {
            if (m.group(1).contains("DeliveryStreamName=\"" + stream + "\"")) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }
}
