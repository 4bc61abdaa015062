package io.sluice.console;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.api.GuardedOperations;
import io.sluice.api.Operation;
import io.sluice.api.RequestBody;
import io.sluice.api.auth.Authenticated;
import io.sluice.api.auth.Credential;
import io.sluice.api.auth.CredentialStore;
import io.sluice.api.auth.Permissions;
import io.sluice.catalog.Catalog;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DeliveryStreamStatus;
import io.sluice.catalog.Scope;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console under {@code /console}, in front of the Firehose handler on the same port; every other
 * path goes on to it. Pages are rendered on the server; a browser signs in with an access key and its
 * secret (the API's credentials) and a region, and gets a session cookie ({@code HttpOnly},
 * {@code SameSite=Strict}, {@code Secure} over TLS, path {@code /console}). Every form but sign-in carries
 * the session's token, checked on each POST (403 without it). Every change goes through
 * {@link GuardedOperations}, the API's own code, validation, permissions and audit trail, in the session's
 * account and region; a key whose permissions are limited (access-key settings) cannot sign in, since the
 * console's pages show every stream of the account. Pages send a
 * Content-Security-Policy allowing only the console's own script and style sheet.
 */
public final class ConsoleHandler extends Handler.Wrapper {
    public static final String PREFIX = "/console";
    static final String CSRF_FIELD = "csrf";
    static final String COOKIE = "sluice-console";

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleHandler.class);
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final Map<String, String> STATIC =
            Map.of("console.css", "text/css; charset=utf-8", "console.js", "text/javascript; charset=utf-8");
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final CredentialStore credentials;
    private final Permissions permissions;
    private final Sessions sessions;
    private final SignInThrottle throttle;
    private final GuardedOperations operations;
    private final ObjectMapper json;
    private final Catalog catalog;
    private final Pages pages;
    private final DemoData demo;

    ConsoleHandler(
            Handler firehose,
            CredentialStore credentials,
            Permissions permissions,
            Sessions sessions,
            SignInThrottle throttle,
            GuardedOperations operations,
            ObjectMapper json,
            Catalog catalog,
            Pages pages,
            DemoData demo) {
        super(requireNonNull(firehose, "firehose is null"));
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.permissions = requireNonNull(permissions, "permissions is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.throttle = requireNonNull(throttle, "throttle is null");
        this.operations = requireNonNull(operations, "operations is null");
        this.json = requireNonNull(json, "json is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.pages = requireNonNull(pages, "pages is null");
        this.demo = requireNonNull(demo, "demo is null");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
            return super.handle(request, response, callback);
        }
        try {
            route(path.substring(PREFIX.length()), request, response, callback);
        } catch (FirehoseException e) {
            if (e.code() == ErrorCode.RESOURCE_NOT_FOUND) {
                // the stream was deleted between two reads of one page
                html(
                        response,
                        callback,
                        404,
                        Html.page(
                                "Not found",
                                "",
                                "",
                                "<h1>Not found</h1><p>The delivery"
                                        + " stream is gone. <a href=\"/console/streams\">All streams</a></p>"));
            } else {
                failed(request, path, e, response, callback);
            }
        } catch (BadMessageException e) {
            html(
                    response,
                    callback,
                    400,
                    Html.page("Bad request", "", "", "<h1>Bad request</h1><p>The form could not" + " be read.</p>"));
        } catch (RuntimeException | IOException e) {
            failed(request, path, e, response, callback);
        }
        return true;
    }

    private static void failed(Request request, String path, Exception e, Response response, Callback callback) {
        LOG.error("Console request {} {} failed", request.getMethod(), path, e);
        html(
                response,
                callback,
                500,
                Html.page(
                        "Error", "", "", "<h1>Something went wrong</h1><p>The server logged" + " what happened.</p>"));
    }

    private void route(String path, Request request, Response response, Callback callback) throws Exception {
        boolean post = HttpMethod.POST.is(request.getMethod());
        if (!post && !HttpMethod.GET.is(request.getMethod())) {
            html(response, callback, 405, Html.page("Not allowed", "", "", "<h1>Method not allowed</h1>"));
            return;
        }
        if (path.startsWith("/static/") && !post) {
            serveStatic(path.substring("/static/".length()), response, callback);
            return;
        }
        if (path.equals("/sign-in")) {
            if (post) {
                signIn(request, response, callback);
            } else {
                html(response, callback, 200, pages.signIn("", "us-east-1", ""));
            }
            return;
        }
        Optional<Session> found = session(request);
        if (found.isEmpty()) {
            redirect(response, callback, PREFIX + "/sign-in");
            return;
        }
        Session session = found.get();
        Fields form = post ? formOf(request) : Request.extractQueryParameters(request);
        if (post
                && !Sessions.same(
                        session.csrf(),
                        Optional.ofNullable(form.getValue(CSRF_FIELD)).orElse(""))) {
            html(
                    response,
                    callback,
                    403,
                    Html.page(
                            "Refused",
                            "",
                            "",
                            "<h1>Refused</h1><p>This form did not come from"
                                    + " this console, or its session has ended. <a href=\"/console/streams\">Reload the console</a>."
                                    + "</p>"));
            return;
        }
        Function<String, String> field =
                name -> Optional.ofNullable(form.getValue(name)).orElse("");
        List<String> parts = List.of(path.split("/", -1));
        if (path.isEmpty() || path.equals("/")) {
            redirect(response, callback, PREFIX + "/streams");
        } else if (path.equals("/sign-out") && post) {
            sessions.close(session.id());
            response.getHeaders().add(HttpHeader.SET_COOKIE, cookie(request, "", 0));
            redirect(response, callback, PREFIX + "/sign-in");
        } else if (path.equals("/streams") && !post) {
            html(response, callback, 200, pages.list(session, field.apply("q"), field.apply("sort")));
        } else if (path.equals("/streams/new") && !post) {
            html(
                    response,
                    callback,
                    200,
                    pages.createForm(session, field, new StreamForms.Refusal(Map.of(), List.of())));
        } else if (path.equals("/streams/new")) {
            create(session, field, response, callback);
        } else if (parts.size() == 3 && parts.get(1).equals("streams") && !post) {
            streamPage(session, parts.get(2), response, callback);
        } else if (parts.size() == 4 && parts.get(1).equals("streams")) {
            streamAction(session, parts.get(2), parts.get(3), post, field, response, callback);
        } else {
            notFound(session, response, callback);
        }
    }

    private void streamPage(Session session, String name, Response response, Callback callback) throws IOException {
        Optional<JsonNode> description = describe(session, name);
        if (description.isEmpty()) {
            notFound(session, response, callback);
            return;
        }
        html(
                response,
                callback,
                200,
                pages.stream(session, stream(session, name), description.get(), tags(session, name), ""));
    }

    private void streamAction(
            Session session,
            String name,
            String action,
            boolean post,
            Function<String, String> field,
            Response response,
            Callback callback)
            throws IOException {
        Optional<JsonNode> description = describe(session, name);
        if (description.isEmpty()) {
            notFound(session, response, callback);
            return;
        }
        String streamUrl = PREFIX + "/streams/" + Html.url(name);
        switch (action) {
            case "edit" -> {
                if (!post) {
                    html(
                            response,
                            callback,
                            200,
                            pages.editForm(
                                    session,
                                    description.get(),
                                    StreamForms.editValues(description.get()),
                                    new StreamForms.Refusal(Map.of(), List.of())));
                    return;
                }
                JsonNode stream = description.get().path("DeliveryStreamDescription");
                Optional<FormDestination> destination =
                        FormDestination.of(stream.path("Destinations").path(0));
                try {
                    call(
                            session,
                            Operation.UPDATE_DESTINATION,
                            StreamForms.update(
                                    json,
                                    name,
                                    field.apply("VersionId"),
                                    stream.path("Destinations")
                                            .path(0)
                                            .path("DestinationId")
                                            .asText(),
                                    destination,
                                    field));
                    redirect(response, callback, streamUrl);
                } catch (FirehoseException refused) {
                    html(
                            response,
                            callback,
                            400,
                            pages.editForm(
                                    session,
                                    description.get(),
                                    field,
                                    StreamForms.refusal(refused, StreamForms.editFields(destination))));
                }
            }
            case "delete" -> {
                if (!post) {
                    html(response, callback, 200, pages.deleteForm(session, name, ""));
                } else if (!field.apply("confirm").equals(name)) {
                    html(
                            response,
                            callback,
                            400,
                            pages.deleteForm(
                                    session,
                                    name,
                                    "Type the stream's name to confirm that it and its undelivered records are deleted."));
                } else {
                    demo.stop(session.scope().stream(name));
                    call(
                            session,
                            Operation.DELETE_DELIVERY_STREAM,
                            json.createObjectNode().put("DeliveryStreamName", name));
                    redirect(response, callback, PREFIX + "/streams");
                }
            }
            case "demo" -> {
                if (!post) {
                    redirect(response, callback, streamUrl);
                } else if (field.apply("action").equals("stop")) {
                    demo.stop(session.scope().stream(name));
                    redirect(response, callback, streamUrl);
                } else if (stream(session, name).status() != DeliveryStreamStatus.ACTIVE) {
                    html(
                            response,
                            callback,
                            409,
                            Html.page(
                                    "Not active",
                                    "",
                                    "",
                                    "<h1>Not active yet</h1><p>Demo data"
                                            + " starts once the stream is ACTIVE. <a href=\"" + streamUrl
                                            + "\">Back</a></p>"));
                } else if (demo.start(session, session.scope().stream(name))) {
                    redirect(response, callback, streamUrl);
                } else {
                    html(
                            response,
                            callback,
                            429,
                            Html.page(
                                    "Busy",
                                    "",
                                    "",
                                    "<h1>Too many demo generators</h1><p>Stop"
                                            + " one on another stream first. <a href=\"" + streamUrl
                                            + "\">Back</a></p>"));
                }
            }
            case "tags", "encryption" -> {
                if (!post) {
                    redirect(response, callback, streamUrl);
                    return;
                }
                try {
                    call(session, guarded(action, field.apply("action")), changeBody(name, action, field));
                    redirect(response, callback, streamUrl);
                } catch (FirehoseException refused) {
                    html(
                            response,
                            callback,
                            400,
                            pages.stream(
                                    session,
                                    stream(session, name),
                                    description.get(),
                                    tags(session, name),
                                    refused.code().awsType() + ": " + refused.getMessage()));
                }
            }
            default -> notFound(session, response, callback);
        }
    }

    /** The operation a tags or encryption form's button names. */
    private static Operation guarded(String form, String action) {
        return switch (form + "/" + action) {
            case "tags/add" -> Operation.TAG_DELIVERY_STREAM;
            case "tags/remove" -> Operation.UNTAG_DELIVERY_STREAM;
            case "encryption/start" -> Operation.START_DELIVERY_STREAM_ENCRYPTION;
            case "encryption/stop" -> Operation.STOP_DELIVERY_STREAM_ENCRYPTION;
            default -> throw new BadMessageException("No such action: " + action);
        };
    }

    /** The request of a tags or encryption form: the tag to add or remove, or the key type to encrypt with. */
    private ObjectNode changeBody(String name, String form, Function<String, String> field) {
        ObjectNode body = json.createObjectNode().put("DeliveryStreamName", name);
        switch (form + "/" + field.apply("action")) {
            case "tags/add" ->
                body.putArray("Tags")
                        .addObject()
                        .put("Key", field.apply("Key").strip())
                        .put("Value", field.apply("Value").strip());
            case "tags/remove" -> body.putArray("TagKeys").add(field.apply("Key"));
            case "encryption/start" ->
                body.putObject("DeliveryStreamEncryptionConfigurationInput").put("KeyType", "AWS_OWNED_CMK");
            default -> {
                // StopDeliveryStreamEncryption names only the stream
            }
        }
        return body;
    }

    private void create(Session session, Function<String, String> field, Response response, Callback callback)
            throws IOException {
        try {
            ObjectNode body = StreamForms.create(json, field);
            call(session, Operation.CREATE_DELIVERY_STREAM, body);
            redirect(
                    response,
                    callback,
                    PREFIX + "/streams/"
                            + Html.url(body.path("DeliveryStreamName").asText()));
        } catch (FirehoseException refused) {
            html(
                    response,
                    callback,
                    400,
                    pages.createForm(
                            session,
                            field,
                            StreamForms.refusal(
                                    refused,
                                    StreamForms.createFields(FormDestination.chosen(field.apply("Destination"))))));
        }
    }

    private void signIn(Request request, Response response, Callback callback) throws Exception {
        Fields form = formOf(request);
        String accessKey =
                Optional.ofNullable(form.getValue("AccessKeyId")).orElse("").strip();
        String secret = Optional.ofNullable(form.getValue("SecretAccessKey")).orElse("");
        String region = Optional.ofNullable(form.getValue("Region")).orElse("").strip();
        if (!REGION.matcher(region).matches()) {
            html(response, callback, 400, pages.signIn(accessKey, region, "The region must look like us-east-1."));
            return;
        }
        if (!throttle.allowed(accessKey)) {
            html(
                    response,
                    callback,
                    429,
                    pages.signIn(
                            accessKey,
                            region,
                            "Too many failed sign-ins with this access key;" + " try again in a few minutes."));
            return;
        }
        Optional<Credential> credential = accessKey.isEmpty() ? Optional.empty() : credentials.find(accessKey);
        if (credential.isEmpty() || !Sessions.same(credential.get().secretAccessKey(), secret)) {
            throttle.failed(accessKey);
            html(
                    response,
                    callback,
                    401,
                    pages.signIn(accessKey, region, "The access key or its secret is not valid."));
            return;
        }
        throttle.succeeded(accessKey);
        if (permissions.of(accessKey).restricted()) {
            html(
                    response,
                    callback,
                    403,
                    pages.signIn(
                            accessKey,
                            region,
                            "This access key's permissions are limited (access-key settings); the console signs in"
                                    + " only keys with full access to their account."));
            return;
        }
        Session session = sessions.open(
                accessKey, new Scope(credential.get().accountId(), region), Request.getRemoteAddr(request));
        response.getHeaders()
                .add(
                        HttpHeader.SET_COOKIE,
                        cookie(request, session.id(), sessions.lifetime().toSeconds()));
        redirect(response, callback, PREFIX + "/streams");
    }

    /** A POST's form fields (and the query's); a body that is not a readable form is the client's fault: 400. */
    private static Fields formOf(Request request) throws Exception {
        try {
            return Request.getParameters(request);
        } catch (IllegalArgumentException e) {
            throw new BadMessageException("The form could not be read", e);
        }
    }

    private Optional<Session> session(Request request) {
        for (HttpCookie cookie : Request.getCookies(request)) {
            if (cookie.getName().equals(COOKIE)) {
                Optional<Session> session = sessions.find(cookie.getValue());
                if (session.isPresent()) {
                    return session;
                }
            }
        }
        return Optional.empty();
    }

    private static String cookie(Request request, String value, long maxAgeSeconds) {
        return COOKIE + "=" + value + "; Path=" + PREFIX + "; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (request.isSecure() ? "; Secure" : "");
    }

    /** The stream's description, or empty when there is no such stream (or the name is not one). */
    private Optional<JsonNode> describe(Session session, String name) {
        try {
            return Optional.of(call(
                    session,
                    Operation.DESCRIBE_DELIVERY_STREAM,
                    json.createObjectNode().put("DeliveryStreamName", name)));
        } catch (FirehoseException e) {
            if (e.code() == ErrorCode.RESOURCE_NOT_FOUND || e.code() == ErrorCode.VALIDATION) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private DeliveryStream stream(Session session, String name) {
        return catalog.describe(session.scope().stream(name));
    }

    private JsonNode tags(Session session, String name) {
        return call(
                session,
                Operation.LIST_TAGS_FOR_DELIVERY_STREAM,
                json.createObjectNode().put("DeliveryStreamName", name).put("Limit", 50));
    }

    /** The session's key as the API's permissions and audit trail know a caller. */
    static Authenticated caller(Session session) {
        return new Authenticated(
                session.accessKeyId(),
                session.scope().account(),
                session.scope().region());
    }

    private JsonNode call(Session session, Operation operation, ObjectNode body) {
        try {
            return json.readTree(operations.run(
                    caller(session),
                    operation,
                    RequestBody.of(json.writeValueAsBytes(body)),
                    UUID.randomUUID().toString(),
                    session.sourceAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void notFound(Session session, Response response, Callback callback) {
        html(response, callback, 404, pages.notFound(session));
    }

    private static void serveStatic(String name, Response response, Callback callback) throws IOException {
        String type = STATIC.get(name);
        if (type == null) {
            write(response, callback, 404, "text/plain; charset=utf-8", "Not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (InputStream in = ConsoleHandler.class.getResourceAsStream(name)) {
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=300");
            write(response, callback, 200, type, requireNonNull(in, name).readAllBytes());
        }
    }

    private static void redirect(Response response, Callback callback, String location) {
        response.getHeaders().put(HttpHeader.LOCATION, location);
        write(response, callback, 303, "text/plain; charset=utf-8", new byte[0]);
    }

    private static void html(Response response, Callback callback, int status, String page) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        write(response, callback, status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(Response response, Callback callback, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put("Content-Security-Policy", POLICY);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "same-origin");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
