package io.sluice.console;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.catalog.Catalog;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DeliveryStreamStatus;
import io.sluice.destination.DestinationRegistry;
import io.sluice.destination.s3.ErrorOutputType;
import io.sluice.destination.s3.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The console's pages as HTML; every value from a stream, a form or an error is escaped with {@link Html}. */
final class Pages {
    /** How much of the first delivered object the demo section shows. */
    static final int OBJECT_PREVIEW_BYTES = 1024;

    static final int ERROR_OBJECTS_SHOWN = 20;
    /** Keys read from a bucket for one page: a bound on a page's work, whatever the bucket holds. */
    static final int KEYS_READ = 10_000;

    private static final String BUCKET_ARN = "arn:aws:s3:::";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(java.time.ZoneOffset.UTC);
    private static final Map<String, Comparator<Row>> SORTS = Map.of(
            "name", Comparator.comparing(Row::name),
            "status", Comparator.comparing(Row::status).thenComparing(Row::name),
            "incoming",
                    Comparator.comparingDouble(Row::recordsPerSecond).reversed().thenComparing(Row::name),
            "backlog", Comparator.comparingDouble(Row::backlog).reversed().thenComparing(Row::name),
            "freshness", Comparator.comparingDouble(Row::freshness).reversed().thenComparing(Row::name));

    /** One line of the streams list. */
    record Row(
            String name,
            String status,
            String source,
            String destination,
            double recordsPerSecond,
            double bytesPerSecond,
            double backlog,
            double freshness,
            String lastError) {}

    private final Catalog catalog;
    private final DestinationRegistry destinations;
    private final MetricsHistory history;
    private final DeliveryEvents events;
    private final DemoData demo;
    private final ObjectStore objects;
    private final ObjectMapper json;

    Pages(
            Catalog catalog,
            DestinationRegistry destinations,
            MetricsHistory history,
            DeliveryEvents events,
            DemoData demo,
            ObjectStore objects,
            ObjectMapper json) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.destinations = requireNonNull(destinations, "destinations is null");
        this.history = requireNonNull(history, "history is null");
        this.events = requireNonNull(events, "events is null");
        this.demo = requireNonNull(demo, "demo is null");
        this.objects = requireNonNull(objects, "objects is null");
        this.json = requireNonNull(json, "json is null");
    }

    String signIn(String accessKey, String region, String error) {
        return Html.page(
                "Sign in",
                "",
                "",
                "<h1>Sign in to Sluice</h1>"
                        + (error.isEmpty() ? "" : "<p class=\"error\" role=\"alert\">" + Html.text(error) + "</p>")
                        + "<form method=\"post\" action=\"/console/sign-in\" class=\"form\">"
                        + input("AccessKeyId", "Access key ID", accessKey, "text", "")
                        + input("SecretAccessKey", "Secret access key", "", "password", "")
                        + input("Region", "Region", region, "text", "")
                        + "<button type=\"submit\">Sign in</button></form>"
                        + "<p class=\"hint\">The access keys are those of the API (the <code>credentials</code> setting).</p>");
    }

    String list(Session session, String filter, String sort) {
        String needle = filter.strip().toLowerCase(Locale.ROOT);
        List<Row> rows = catalog.all().stream()
                .filter(s -> session.scope().contains(s.ref()))
                .filter(s -> s.ref().name().toLowerCase(Locale.ROOT).contains(needle))
                .map(this::row)
                .sorted(SORTS.getOrDefault(sort, SORTS.get("name")))
                .toList();
        StringBuilder body = new StringBuilder("<div class=\"bar\"><h1>Delivery streams</h1>"
                + "<a class=\"button\" href=\"/console/streams/new\">Create delivery stream</a></div>"
                + "<form method=\"get\" action=\"/console/streams\" class=\"filter\"><input type=\"search\" name=\"q\""
                + " aria-label=\"Filter by name\" placeholder=\"Filter by name\" value=\"" + Html.text(filter) + "\">"
                + "<input type=\"hidden\" name=\"sort\" value=\"" + Html.text(sort) + "\"><button type=\"submit\">"
                + "Filter</button></form><div id=\"live\" data-refresh=\"10\"><table class=\"streams\"><thead><tr>");
        String query = "q=" + Html.url(filter) + "&amp;sort=";
        body.append(header("Name", query, "name"))
                .append(header("Status", query, "status"))
                .append("<th>Source</th><th>Destination</th>")
                .append(header("Incoming records/s", query, "incoming"))
                .append("<th>Incoming bytes/s</th>")
                .append(header("Backlog (bytes)", query, "backlog"))
                .append(header("Data freshness (s)", query, "freshness"))
                .append("<th>Last delivery error</th></tr></thead><tbody>");
        for (Row row : rows) {
            body.append("<tr><td><a href=\"/console/streams/")
                    .append(Html.url(row.name()))
                    .append("\">")
                    .append(Html.text(row.name()))
                    .append("</a></td><td><span class=\"status ")
                    .append(Html.text(row.status().toLowerCase(Locale.ROOT)))
                    .append("\">")
                    .append(Html.text(row.status()))
                    .append("</span></td><td>")
                    .append(Html.text(row.source()))
                    .append("</td><td>")
                    .append(Html.text(row.destination()))
                    .append("</td><td class=\"num\">")
                    .append(SvgChart.number(round(row.recordsPerSecond())))
                    .append("</td><td class=\"num\">")
                    .append(SvgChart.number(round(row.bytesPerSecond())))
                    .append("</td><td class=\"num\">")
                    .append(SvgChart.number(row.backlog()))
                    .append("</td><td class=\"num\">")
                    .append(SvgChart.number(round(row.freshness())))
                    .append("</td><td>")
                    .append(Html.text(row.lastError()))
                    .append("</td></tr>");
        }
        if (rows.isEmpty()) {
            body.append("<tr><td colspan=\"9\" class=\"empty\">No delivery streams")
                    .append(needle.isEmpty() ? "" : " match the filter")
                    .append(".</td></tr>");
        }
        body.append("</tbody></table></div>");
        return Html.page("Delivery streams", who(session), session.csrf(), body.toString());
    }

    private static String header(String label, String query, String sort) {
        return "<th><a href=\"/console/streams?" + query + sort + "\">" + Html.text(label) + "</a></th>";
    }

    private Row row(DeliveryStream stream) {
        List<DeliveryEvents.DeliveryError> errors = events.errors(stream.uid());
        return new Row(
                stream.ref().name(),
                stream.status().name(),
                stream.type().wireName(),
                destinationKind(stream),
                history.rate(stream, Series.INCOMING_RECORDS),
                history.rate(stream, Series.INCOMING_BYTES),
                history.rate(stream, Series.BACKLOG_BYTES),
                history.rate(stream, Series.FRESHNESS_SECONDS),
                errors.isEmpty()
                        ? ""
                        : errors.getFirst().code() + " at "
                                + TIME.format(errors.getFirst().at()));
    }

    /** The API member the stream's destination is configured by, without its suffix: {@code ExtendedS3}. */
    private String destinationKind(DeliveryStream stream) {
        return destinations.member(stream.destination().spec()).replace("DestinationConfiguration", "");
    }

    /** A stream's page; {@code refusal} is the API's answer to a tags or encryption form, shown at the top. */
    String stream(Session session, DeliveryStream stream, JsonNode description, JsonNode tags, String refusal) {
        JsonNode d = description.path("DeliveryStreamDescription");
        String name = d.path("DeliveryStreamName").asText();
        String url = "/console/streams/" + Html.url(name);
        StringBuilder body = new StringBuilder();
        body.append("<div class=\"bar\"><h1>")
                .append(Html.text(name))
                .append("</h1><a class=\"button\" href=\"")
                .append(url)
                .append("/edit\">Edit destination</a><a class=\"button danger\" href=\"")
                .append(url)
                .append("/delete\">Delete</a></div>")
                .append(refusal.isEmpty() ? "" : "<p class=\"error\" role=\"alert\">" + Html.text(refusal) + "</p>")
                .append("<dl class=\"summary\">")
                .append(term("Status", d.path("DeliveryStreamStatus").asText()))
                .append(term("ARN", d.path("DeliveryStreamARN").asText()))
                .append(term("Source", d.path("DeliveryStreamType").asText()))
                .append(term("Destination", destinationKind(stream)))
                .append(term("Version", d.path("VersionId").asText()))
                .append(term("Created", TIME.format(stream.createTimestamp())))
                .append("<dt>Encryption</dt><dd>")
                .append(Html.text(encryption(d)))
                .append(encryptionForm(session, d, url))
                .append("</dd>")
                .append("</dl><div id=\"live\" data-refresh=\"5\">")
                .append(demoSection(session, stream, d, url))
                .append("<h2>Monitoring (last hour, one point a minute)</h2><div class=\"charts\">");
        for (Series series : Series.values()) {
            body.append(SvgChart.render(series.title(), history.points(stream, series)));
        }
        body.append("</div><h2>Recent delivery errors</h2>")
                .append(errors(stream))
                .append(errorObjects(stream, d))
                .append("</div>")
                .append("<h2>Tags</h2>")
                .append(tags(session, tags, url))
                .append("<h2>Configuration</h2><div class=\"config\">")
                .append(readable(d))
                .append("</div>")
                .append("<details><summary>As AWS's JSON (DescribeDeliveryStream)</summary><pre class=\"json\">")
                .append(Html.text(pretty(description)))
                .append("</pre></details>");
        return Html.page(name, who(session), session.csrf(), body.toString());
    }

    private String demoSection(Session session, DeliveryStream stream, JsonNode d, String url) {
        Optional<DemoData.Run> run = demo.running(stream.ref());
        StringBuilder section = new StringBuilder("<section class=\"demo\"><h2>Test with demo data</h2><p>Puts ")
                .append(DemoData.RECORDS_PER_PUT)
                .append(" records a second of AWS's stock-ticker sample, such as <code>")
                .append(Html.text(
                        "{\"ticker_symbol\":\"QXZ\",\"sector\":\"HEALTHCARE\",\"change\":-0.05,\"price\":84.51}"))
                .append("</code>, until stopped (at most 15 minutes).</p><form method=\"post\" action=\"")
                .append(url)
                .append("/demo\">")
                .append(Html.csrfField(session.csrf()))
                .append(
                        run.isPresent()
                                ? "<input type=\"hidden\" name=\"action\" value=\"stop\"><button type=\"submit\">Stop demo data</button>"
                                        + " <span class=\"running\">Running since "
                                        + Html.text(TIME.format(run.get().started()))
                                        + "</span>"
                                : stream.status() == DeliveryStreamStatus.ACTIVE
                                        ? "<input type=\"hidden\" name=\"action\" value=\"start\"><button type=\"submit\">"
                                                + "Start demo data</button>"
                                        : "<button type=\"submit\" disabled>Start demo data</button> <span class=\"hint\">once"
                                                + " the stream is ACTIVE</span>")
                .append("</form>");
        events.firstDelivery(stream.uid())
                .ifPresent(first -> section.append("<p class=\"delivered\">First delivery: ")
                        .append(first.records())
                        .append(" records, ")
                        .append(first.bytes())
                        .append(" bytes at ")
                        .append(Html.text(TIME.format(first.at())))
                        .append(".</p>"));
        firstObject(stream, d).ifPresent(section::append);
        return section.append("</section>").toString();
    }

    /** The first data object of an S3 stream. */
    private Optional<String> firstObject(DeliveryStream stream, JsonNode d) {
        Optional<Bucket> bucket = bucket(d);
        if (bucket.isEmpty() || !d.path("Destinations").path(0).has("ExtendedS3DestinationDescription")) {
            return Optional.empty();
        }
        try {
            Optional<String> key =
                    objects(stream, d, bucket.get(), false).stream().findFirst();
            Optional<ObjectStore.ObjectHead> head = key.isEmpty()
                    ? Optional.empty()
                    : objects.head(bucket.get().name(), key.get(), bucket.get().role(), OBJECT_PREVIEW_BYTES);
            if (head.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of("<p class=\"object\">First object: <code>s3://"
                    + Html.text(bucket.get().name() + "/" + key.get()) + "</code> ("
                    + head.get().size()
                    + " bytes)</p><pre class=\"object-body\">"
                    + Html.text(new String(head.get().firstBytes(), StandardCharsets.UTF_8)) + "</pre>");
        } catch (IOException | RuntimeException e) {
            return Optional.of(unreadable(e));
        }
    }

    /** The newest error-output objects of the stream, in its (backup) bucket. */
    private String errorObjects(DeliveryStream stream, JsonNode d) {
        Optional<Bucket> bucket = bucket(d);
        if (bucket.isEmpty()) {
            return "";
        }
        try {
            List<String> keys = objects(stream, d, bucket.get(), true);
            if (keys.isEmpty()) {
                return "";
            }
            StringBuilder list = new StringBuilder("<h3>Error output objects</h3><ul class=\"error-objects\">");
            for (String key : keys.reversed().subList(0, Math.min(ERROR_OBJECTS_SHOWN, keys.size()))) {
                list.append("<li><code>s3://")
                        .append(Html.text(bucket.get().name() + "/" + key))
                        .append("</code></li>");
            }
            return list.append("</ul>").toString();
        } catch (IOException | RuntimeException e) {
            return unreadable(e);
        }
    }

    private static String unreadable(Exception e) {
        return "<p class=\"error\">The bucket could not be read: " + Html.text(String.valueOf(e.getMessage())) + "</p>";
    }

    /** A bucket a stream writes to, and the role it writes with. */
    private record Bucket(String name, Optional<String> role) {}

    /** The bucket the stream's destination, or its S3 backup, writes to, with its role. */
    private static Optional<Bucket> bucket(JsonNode d) {
        JsonNode s3 = d.path("Destinations").path(0).findParent("BucketARN");
        String arn = s3 == null ? "" : s3.path("BucketARN").asText("");
        if (!arn.startsWith(BUCKET_ARN)) {
            return Optional.empty();
        }
        String role = s3.path("RoleARN").asText("");
        return Optional.of(
                new Bucket(arn.substring(BUCKET_ARN.length()), role.isEmpty() ? Optional.empty() : Optional.of(role)));
    }

    /**
     * The stream's objects of {@code bucket} (named {@code <stream>-…}), error output or not, in key order,
     * among the bucket's first {@link #KEYS_READ} keys.
     */
    private List<String> objects(DeliveryStream stream, JsonNode d, Bucket bucket, boolean errorOutput)
            throws IOException {
        String errorPrefix =
                d.path("Destinations").path(0).findPath("ErrorOutputPrefix").asText("");
        return objects.keys(bucket.name(), bucket.role(), KEYS_READ).stream()
                .filter(k -> k.substring(k.lastIndexOf('/') + 1)
                        .startsWith(stream.ref().name() + "-"))
                .filter(k -> isErrorOutput(k, errorPrefix) == errorOutput)
                .toList();
    }

    /**
     * Whether {@code key} is error output: under a static {@code ErrorOutputPrefix}, or in a folder named by an
     * error-output type (the default error prefix, and every prefix with {@code !{firehose:error-output-type}}).
     */
    private static boolean isErrorOutput(String key, String errorPrefix) {
        if (!errorPrefix.isEmpty() && !errorPrefix.contains("!{") && key.startsWith(errorPrefix)) {
            return true;
        }
        List<String> folders = List.of(key.split("/"));
        return Arrays.stream(ErrorOutputType.values()).anyMatch(type -> folders.contains(type.text()));
    }

    private String errors(DeliveryStream stream) {
        List<DeliveryEvents.DeliveryError> errors = events.errors(stream.uid());
        if (errors.isEmpty()) {
            return "<p class=\"empty\">No delivery errors since the server started.</p>";
        }
        StringBuilder table = new StringBuilder(
                "<table><thead><tr><th>Time</th><th>Error code</th><th>Outcome</th>" + "</tr></thead><tbody>");
        for (DeliveryEvents.DeliveryError error : errors) {
            table.append("<tr><td>")
                    .append(Html.text(TIME.format(error.at())))
                    .append("</td><td>")
                    .append(Html.text(error.code()))
                    .append("</td><td>")
                    .append(
                            error.givenUp()
                                    ? error.records() + " records given up on"
                                            + (error.errorOutput() ? ", written to the error output" : ", discarded")
                                    : "attempt failed, retrying")
                    .append("</td></tr>");
        }
        return table.append("</tbody></table>").toString();
    }

    /** The stream's tags, each with a button removing it, and a form adding one. */
    private static String tags(Session session, JsonNode tags, String url) {
        String action =
                "<form method=\"post\" action=\"" + url + "/tags\" class=\"inline\">" + Html.csrfField(session.csrf());
        StringBuilder table = new StringBuilder();
        if (tags.path("Tags").isEmpty()) {
            table.append("<p class=\"empty\">No tags.</p>");
        } else {
            table.append("<table class=\"tags\"><thead><tr><th>Key</th><th>Value</th><th></th></tr></thead><tbody>");
            for (JsonNode tag : tags.path("Tags")) {
                String key = tag.path("Key").asText();
                table.append("<tr><td>")
                        .append(Html.text(key))
                        .append("</td><td>")
                        .append(Html.text(tag.path("Value").asText()))
                        .append("</td><td>")
                        .append(action)
                        .append("<input type=\"hidden\" name=\"action\" value=\"remove\"><input type=\"hidden\"")
                        .append(" name=\"Key\" value=\"")
                        .append(Html.text(key))
                        .append("\"><button type=\"submit\" aria-label=\"Remove tag ")
                        .append(Html.text(key))
                        .append("\">Remove</button></form></td></tr>");
            }
            table.append("</tbody></table>");
        }
        return table.append(action.replace("class=\"inline\"", "class=\"add-tag\""))
                .append("<input type=\"hidden\" name=\"action\" value=\"add\">")
                .append("<input type=\"text\" name=\"Key\" aria-label=\"Tag key\" placeholder=\"Key\">")
                .append("<input type=\"text\" name=\"Value\" aria-label=\"Tag value\" placeholder=\"Value\">")
                .append("<button type=\"submit\">Add tag</button></form>")
                .toString();
    }

    /** A button starting or stopping server-side encryption, for a stream that has it (Direct PUT). */
    private static String encryptionForm(Session session, JsonNode d, String url) {
        JsonNode encryption = d.path("DeliveryStreamEncryptionConfiguration");
        if (encryption.isMissingNode()) {
            return "";
        }
        boolean on = List.of("ENABLED", "ENABLING")
                .contains(encryption.path("Status").asText());
        return " <form method=\"post\" action=\"" + url + "/encryption\" class=\"inline\">"
                + Html.csrfField(session.csrf()) + "<input type=\"hidden\" name=\"action\" value=\""
                + (on ? "stop" : "start") + "\"><button type=\"submit\">"
                + (on ? "Disable encryption" : "Enable encryption (AWS_OWNED_CMK)") + "</button></form>";
    }

    private static String encryption(JsonNode d) {
        JsonNode encryption = d.path("DeliveryStreamEncryptionConfiguration");
        if (encryption.isMissingNode()) {
            return "not applicable (the source's own)";
        }
        return encryption.path("Status").asText()
                + encryption.path("KeyType").asText("").transform(k -> k.isEmpty() ? "" : " (" + k + ")");
    }

    /** A JSON tree as nested definition lists. */
    private static String readable(JsonNode node) {
        if (node.isObject()) {
            StringBuilder dl = new StringBuilder("<dl>");
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                dl.append("<dt>")
                        .append(Html.text(member.getKey()))
                        .append("</dt><dd>")
                        .append(readable(member.getValue()))
                        .append("</dd>");
            }
            return dl.append("</dl>").toString();
        }
        if (node.isArray()) {
            StringBuilder ol = new StringBuilder("<ol>");
            node.forEach(item -> ol.append("<li>").append(readable(item)).append("</li>"));
            return ol.append("</ol>").toString();
        }
        return Html.text(node.isNumber() ? node.decimalValue().toPlainString() : node.asText());
    }

    String createForm(Session session, Function<String, String> values, StreamForms.Refusal refusal) {
        FormDestination destination = FormDestination.chosen(values.apply("Destination"));
        StringBuilder form = new StringBuilder("<h1>Create delivery stream</h1><nav class=\"choices\">Destination:");
        for (FormDestination other : FormDestination.values()) {
            form.append(
                    other == destination
                            ? " <strong>" + Html.text(other.label()) + "</strong>"
                            : " <a href=\"/console/streams/new?Destination=" + Html.url(other.stem()) + "\">"
                                    + Html.text(other.label()) + "</a>");
        }
        form.append("</nav>")
                .append(general(refusal))
                .append("<form method=\"post\" action=\"/console/streams/new\" class=\"form\">")
                .append(Html.csrfField(session.csrf()))
                .append("<input type=\"hidden\" name=\"Destination\" value=\"")
                .append(Html.text(destination.stem()))
                .append("\"><p class=\"hint\">")
                .append(Html.text(destination.label()))
                .append(
                        destination == FormDestination.EXTENDED_S3
                                ? " (the local store unless S3 endpoints are configured)."
                                : ", with an S3 bucket for the backup.")
                .append(" The source's fields are read for the source chosen; Direct PUT needs none.</p>");
        String role = "arn:aws:iam::" + session.scope().account() + ":role/firehose";
        List<StreamForms.Field> fields = StreamForms.createFields(destination);
        int destinationFields = StreamForms.STREAM.size() + destination.inputs().size();
        for (int i = 0; i < fields.size(); i++) {
            if (i == 1) {
                form.append("<fieldset><legend>Source</legend>");
            } else if (i == StreamForms.STREAM.size()) {
                form.append("</fieldset><fieldset><legend>")
                        .append(Html.text(destination.label()))
                        .append("</legend>");
            } else if (i == destinationFields) {
                form.append("</fieldset>");
            }
            StreamForms.Field field = fields.get(i);
            String value = values.apply(field.name());
            if (value.isEmpty() && field.name().endsWith("RoleARN")) {
                value = role;
            }
            form.append(field(field, value, refusal));
        }
        form.append("<label class=\"check\"><input type=\"checkbox\" name=\"Encryption\"")
                .append(values.apply("Encryption").equals("on") ? " checked" : "")
                .append("> Encrypt records at rest (AWS_OWNED_CMK; Direct PUT only)</label>")
                .append("<button type=\"submit\">Create delivery stream</button></form>");
        return Html.page("Create delivery stream", who(session), session.csrf(), form.toString());
    }

    String editForm(
            Session session, JsonNode description, Function<String, String> values, StreamForms.Refusal refusal) {
        JsonNode d = description.path("DeliveryStreamDescription");
        String name = d.path("DeliveryStreamName").asText();
        Optional<FormDestination> destination =
                FormDestination.of(d.path("Destinations").path(0));
        StringBuilder form = new StringBuilder("<h1>Edit ")
                .append(Html.text(name))
                .append("</h1>")
                .append(general(refusal))
                .append("<form method=\"post\" action=\"/console/streams/")
                .append(Html.url(name))
                .append("/edit\" class=\"form\">")
                .append(Html.csrfField(session.csrf()))
                .append("<input type=\"hidden\" name=\"VersionId\" value=\"")
                .append(Html.text(values.apply("VersionId")))
                .append("\">");
        destination.ifPresent(kind -> form.append("<p class=\"hint\">")
                .append(Html.text(kind.label()))
                .append(". A secret left blank stays as it is.</p>"));
        for (StreamForms.Field field : StreamForms.editFields(destination)) {
            form.append(field(field, values.apply(field.name()), refusal));
        }
        form.append("<button type=\"submit\">Save</button> <a href=\"/console/streams/")
                .append(Html.url(name))
                .append("\">Cancel</a></form>");
        return Html.page("Edit " + name, who(session), session.csrf(), form.toString());
    }

    String deleteForm(Session session, String name, String error) {
        return Html.page(
                "Delete " + name,
                who(session),
                session.csrf(),
                "<h1>Delete " + Html.text(name) + "</h1>"
                        + (error.isEmpty() ? "" : "<p class=\"error\" role=\"alert\">" + Html.text(error) + "</p>")
                        + "<p>The stream, its configuration and every record not yet delivered are deleted. Delivered objects"
                        + " stay where they are.</p><form method=\"post\" action=\"/console/streams/" + Html.url(name)
                        + "/delete\" class=\"form\" data-confirm=\"Delete this delivery stream?\">"
                        + Html.csrfField(session.csrf())
                        + input("confirm", "Type the name to confirm", "", "text", "")
                        + "<button type=\"submit\" class=\"danger\">Delete</button> <a href=\"/console/streams/"
                        + Html.url(name)
                        + "\">Cancel</a></form>");
    }

    String notFound(Session session) {
        return Html.page(
                "Not found",
                who(session),
                session.csrf(),
                "<h1>Not found</h1><p>No such page or delivery" + " stream in "
                        + Html.text(session.scope().region()) + ". <a href=\"/console/streams\">All streams</a></p>");
    }

    private static String general(StreamForms.Refusal refusal) {
        StringBuilder out = new StringBuilder();
        for (String message : refusal.general()) {
            out.append("<p class=\"error\" role=\"alert\">")
                    .append(Html.text(message))
                    .append("</p>");
        }
        return out.toString();
    }

    /** A field with its messages; a secret's value is never written into the page. */
    private static String field(StreamForms.Field field, String value, StreamForms.Refusal refusal) {
        List<String> errors = refusal.byField().getOrDefault(field.name(), List.of());
        StringBuilder messages = new StringBuilder();
        for (String error : errors) {
            messages.append("<span class=\"field-error\" id=\"")
                    .append(field.name())
                    .append("-error\">")
                    .append(Html.text(error))
                    .append("</span>");
        }
        return switch (field.kind()) {
            case CHOICE -> {
                StringBuilder select = new StringBuilder("<label>")
                        .append(Html.text(field.label()))
                        .append("<select name=\"")
                        .append(field.name())
                        .append("\"><option value=\"\">(default)</option>");
                for (String choice : field.choices()) {
                    select.append("<option")
                            .append(choice.equals(value) ? " selected" : "")
                            .append(">")
                            .append(Html.text(choice))
                            .append("</option>");
                }
                yield select.append("</select>")
                        .append(messages)
                        .append("</label>")
                        .toString();
            }
            case TAGS, JSON ->
                "<label>" + Html.text(field.label()) + "<textarea name=\"" + field.name() + "\" rows=\""
                        + (field.kind() == StreamForms.Kind.JSON ? 6 : 3) + "\">" + Html.text(value) + "</textarea>"
                        + messages + "</label>";
            case SECRET -> input(field.name(), field.label(), "", "password", messages.toString());
            case TEXT, NUMBER -> input(field.name(), field.label(), value, "text", messages.toString());
        };
    }

    private static String input(String name, String label, String value, String type, String messages) {
        return "<label>" + Html.text(label) + "<input type=\"" + type + "\" name=\"" + name + "\" value=\""
                + Html.text(value) + "\"" + (messages.isEmpty() ? "" : " aria-invalid=\"true\"") + ">" + messages
                + "</label>";
    }

    private static String term(String name, String value) {
        return "<dt>" + Html.text(name) + "</dt><dd>" + Html.text(value) + "</dd>";
    }

    private static String who(Session session) {
        return session.accessKeyId() + " · account " + session.scope().account() + " · "
                + session.scope().region();
    }

    private String pretty(JsonNode node) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            return node.toString();
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
