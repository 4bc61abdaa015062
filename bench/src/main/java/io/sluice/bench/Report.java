package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The result of a run, written for people ({@link #human()}) or programs ({@link #json()}). */
public record Report(
        LoadSpec spec, Counts counts, long connectionsOpened, Optional<ProcessUsage> server, ProcessUsage generator) {
    public Report {
        requireNonNull(spec, "spec is null");
        requireNonNull(counts, "counts is null");
        requireNonNull(server, "server is null");
        requireNonNull(generator, "generator is null");
    }

    public String human() {
        Counts c = counts;
        StringBuilder out = new StringBuilder();
        String shape = spec.operation() == PutOperation.PUT_RECORD
                ? spec.recordSize().bytes() + " B"
                : spec.recordsPerRequest() + " × " + spec.recordSize().bytes() + " B";
        line(
                out,
                "run",
                String.format(
                        Locale.ROOT,
                        "%s %s, %d connection(s), %s, %s measured after %s warm-up, %s %s",
                        spec.operation().wireName(),
                        shape,
                        spec.connections(),
                        pacing(),
                        seconds(spec.duration()),
                        seconds(spec.warmup()),
                        spec.endpoint(),
                        spec.streams() == 1
                                ? "stream " + spec.stream()
                                : spec.streams() + " streams " + spec.stream() + "-0…" + (spec.streams() - 1)));
        line(
                out,
                "requests",
                String.format(
                        Locale.ROOT,
                        "%d: %d OK, %d partial, %d errors; %.1f OK/s (%.1f/s in all)",
                        c.requests(),
                        c.okRequests(),
                        c.partialRequests(),
                        c.errorRequests(),
                        c.perSecond(c.okRequests()),
                        c.perSecond(c.requests())));
        line(
                out,
                "records",
                String.format(
                        Locale.ROOT,
                        "%d accepted (%.1f/s), %d failed in partial batches, %d in errors",
                        c.recordsAccepted(),
                        c.perSecond(c.recordsAccepted()),
                        c.recordsFailed(),
                        c.recordsRejected()));
        line(
                out,
                "payload",
                String.format(
                        Locale.ROOT, "%.2f MB/s of accepted record data (MB = 10^6 bytes)", c.megabytesPerSecond()));
        line(out, "latency OK", latency(c.latencyOk()));
        if (c.answeredRequests() != c.okRequests()) {
            line(out, "latency all", latency(c.latencyAnswered()));
        }
        for (Map.Entry<String, Long> error : c.errors().entrySet()) {
            line(out, "error", error.getKey() + ": " + error.getValue());
        }
        line(out, "connections", connectionsOpened + " opened");
        server.ifPresent(s -> line(out, "server", "pid " + s.pid() + ": " + usage(s)));
        line(out, "generator", "pid " + generator.pid() + ": " + usage(generator));
        return out.toString();
    }

    private String perRequest(ProcessUsage usage) {
        if (counts.answeredRequests() == 0) {
            return "";
        }
        return String.format(
                Locale.ROOT,
                ", %.3f ms CPU per answered request",
                usage.cpu().toNanos() / 1e6 / counts.answeredRequests());
    }

    public String json() {
        Counts c = counts;
        StringBuilder out = new StringBuilder(1024).append('{');
        field(out, "operation", quote(spec.operation().wireName()));
        field(out, "endpoint", quote(spec.endpoint().toString()));
        field(out, "stream", quote(spec.stream()));
        field(out, "streams", spec.streams());
        field(out, "connections", spec.connections());
        field(out, "recordsPerRequest", spec.recordsPerRequest());
        field(out, "recordBytes", spec.recordSize().bytes());
        field(
                out,
                "targetRequestsPerSecond",
                spec.pacing() instanceof Pacing.OpenLoop open ? Double.toString(open.requestsPerSecond()) : "null");
        field(out, "warmupSeconds", spec.warmup().toNanos() / 1e9);
        field(out, "durationSeconds", spec.duration().toNanos() / 1e9);
        field(out, "requests", c.requests());
        field(out, "okRequests", c.okRequests());
        field(out, "partialRequests", c.partialRequests());
        field(out, "errorRequests", c.errorRequests());
        field(out, "okRequestsPerSecond", c.perSecond(c.okRequests()));
        field(out, "requestsPerSecond", c.perSecond(c.requests()));
        field(out, "recordsAccepted", c.recordsAccepted());
        field(out, "recordsFailed", c.recordsFailed());
        field(out, "recordsRejected", c.recordsRejected());
        field(out, "recordsPerSecond", c.perSecond(c.recordsAccepted()));
        field(out, "payloadMegabytesPerSecond", c.megabytesPerSecond());
        field(out, "latencyOk", latencyJson(c.latencyOk()));
        field(out, "latencyAnswered", latencyJson(c.latencyAnswered()));
        StringBuilder errors = new StringBuilder("{");
        c.errors().forEach((key, count) -> field(errors, key, count));
        field(out, "errors", close(errors, '}'));
        field(out, "connectionsOpened", connectionsOpened);
        field(out, "server", server.map(this::usageJson).orElse("null"));
        field(out, "generator", usageJson(generator));
        return close(out, '}');
    }

    private String pacing() {
        return switch (spec.pacing()) {
            case Pacing.ClosedLoop closed -> "closed loop";
            case Pacing.OpenLoop open ->
                String.format(Locale.ROOT, "open loop at %.1f requests/s", open.requestsPerSecond());
        };
    }

    private String usage(ProcessUsage usage) {
        return String.format(
                Locale.ROOT,
                "%.2f CPU-s (%.1f%% of one core)%s%s%s",
                usage.cpu().toNanos() / 1e9,
                usage.percentOfOneCore(counts.window()),
                perRequest(usage),
                usage.written().map(this::written).orElse(""),
                usage.peakRss().map(rss -> ", peak RSS " + rss.human()).orElse(""));
    }

    private String written(ByteSize written) {
        String ratio = counts.bytesAccepted() == 0
                ? ""
                : String.format(
                        Locale.ROOT, " = %.3f × accepted payload", written.bytes() / (double) counts.bytesAccepted());
        return String.format(Locale.ROOT, ", wrote %.2f MB to storage%s", written.bytes() / 1e6, ratio);
    }

    private String usageJson(ProcessUsage usage) {
        StringBuilder out = new StringBuilder("{");
        field(out, "pid", usage.pid());
        field(out, "cpuSeconds", usage.cpu().toNanos() / 1e9);
        field(out, "percentOfOneCore", usage.percentOfOneCore(counts.window()));
        field(
                out,
                "cpuMillisPerAnsweredRequest",
                counts.answeredRequests() == 0
                        ? "null"
                        : Double.toString(usage.cpu().toNanos() / 1e6 / counts.answeredRequests()));
        field(
                out,
                "writtenBytes",
                usage.written().map(w -> Long.toString(w.bytes())).orElse("null"));
        field(
                out,
                "peakRssBytes",
                usage.peakRss().map(rss -> Long.toString(rss.bytes())).orElse("null"));
        return close(out, '}');
    }

    private static String latency(LatencySummary latency) {
        if (latency.count() == 0) {
            return "none";
        }
        return "p50 " + DurationText.millis(latency.p50()) + "  p99 " + DurationText.millis(latency.p99())
                + "  p99.9 " + DurationText.millis(latency.p999()) + "  max " + DurationText.millis(latency.max())
                + "  (" + latency.count() + " requests)";
    }

    private static String latencyJson(LatencySummary latency) {
        StringBuilder out = new StringBuilder("{");
        field(out, "count", latency.count());
        field(out, "p50Millis", latency.p50().toNanos() / 1e6);
        field(out, "p99Millis", latency.p99().toNanos() / 1e6);
        field(out, "p999Millis", latency.p999().toNanos() / 1e6);
        field(out, "maxMillis", latency.max().toNanos() / 1e6);
        return close(out, '}');
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toNanos() / 1e9);
    }

    private static void line(StringBuilder out, String label, String text) {
        out.append(String.format(Locale.ROOT, "%-12s %s%n", label, text));
    }

    private static void field(StringBuilder out, String name, Object rawJson) {
        if (out.length() > 1) {
            out.append(',');
        }
        out.append(quote(name)).append(':').append(rawJson);
    }

    private static String close(StringBuilder out, char closing) {
        return out.append(closing).toString();
    }

    /** A JSON string literal. */
    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        quoted.append(ch);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
