package io.sluice.console;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A line graph drawn on the server as inline SVG: nothing to fetch, no script, no library to vendor,
 * and it prints and screenshots as it is shown. The y axis starts at 0 and ends at the largest value
 * (at least 1); the x axis is the hour up to the last point.
 */
final class SvgChart {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final int WIDTH = 480;
    private static final int HEIGHT = 140;
    private static final int LEFT = 56;
    private static final int BOTTOM = 20;
    private static final int TOP = 8;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private SvgChart() {}

    static String render(String title, List<MetricsHistory.Point> points) {
        double max = Math.max(
                1,
                points.stream().mapToDouble(MetricsHistory.Point::value).max().orElse(0));
        long last = points.isEmpty() ? 0 : points.getLast().at().toEpochMilli();
        long first = last - HOUR.toMillis();
        long span = HOUR.toMillis();
        int plotWidth = WIDTH - LEFT - 8;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        StringBuilder path = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (MetricsHistory.Point point : points) {
            double x = LEFT
                    + (points.size() == 1
                            ? plotWidth
                            : plotWidth * (double) (point.at().toEpochMilli() - first) / span);
            double y = TOP + plotHeight - plotHeight * point.value() / max;
            path.append(path.isEmpty() ? "M" : " L")
                    .append(format(x))
                    .append(' ')
                    .append(format(y));
            dots.append("<circle class=\"point\" cx=\"")
                    .append(format(x))
                    .append("\" cy=\"")
                    .append(format(y))
                    .append("\" r=\"2.5\"><title>")
                    .append(Html.text(TIME.format(point.at()) + " UTC: " + number(point.value())))
                    .append("</title></circle>");
        }
        StringBuilder svg = new StringBuilder(512 + path.length() + dots.length());
        svg.append("<figure class=\"chart\"><figcaption>")
                .append(Html.text(title))
                .append("</figcaption>")
                .append("<svg viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"")
                .append(Html.text(title))
                .append("\">")
                .append("<line x1=\"")
                .append(LEFT)
                .append("\" y1=\"")
                .append(TOP + plotHeight)
                .append("\" x2=\"")
                .append(WIDTH - 8)
                .append("\" y2=\"")
                .append(TOP + plotHeight)
                .append("\" stroke=\"#999\"/>")
                .append("<line x1=\"")
                .append(LEFT)
                .append("\" y1=\"")
                .append(TOP)
                .append("\" x2=\"")
                .append(LEFT)
                .append("\" y2=\"")
                .append(TOP + plotHeight)
                .append("\" stroke=\"#999\"/>")
                .append(label(LEFT - 4, TOP + 10, "end", number(max)))
                .append(label(LEFT - 4, TOP + plotHeight, "end", "0"));
        if (!points.isEmpty()) {
            svg.append(label(
                            LEFT,
                            HEIGHT - 4,
                            "start",
                            TIME.format(points.getFirst().at())))
                    .append(label(
                            WIDTH - 8,
                            HEIGHT - 4,
                            "end",
                            TIME.format(points.getLast().at())))
                    .append("<path d=\"")
                    .append(path)
                    .append("\" fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\"/>")
                    .append(dots);
        }
        return svg.append("</svg></figure>").toString();
    }

    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String label(int x, int y, String anchor, String text) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" text-anchor=\"" + anchor + "\" font-size=\"11\" fill=\"#555\">"
                + Html.text(text) + "</text>";
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
