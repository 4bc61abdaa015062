package io.sluice.api.s3;

import static java.util.Objects.requireNonNull;

import io.sluice.api.SignedRequests;
import io.sluice.api.auth.Authenticated;
import io.sluice.api.auth.SigV4Verifier;
import io.sluice.common.FirehoseException;
import io.sluice.destination.s3.LocalObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded local store served as a path-style S3 API, so tests read what was delivered with any
 * S3 client: ListBuckets, HeadBucket, CreateBucket, ListObjectsV2, GetObject (one {@code Range}
 * honoured), HeadObject and DeleteObject. Objects are only written by delivery: PutObject and every
 * other operation answer NotImplemented (501). Requests are SigV4-checked for service {@code s3} with
 * the Firehose API's credentials; errors are S3's XML errors (none in the body of a HEAD).
 *
 * <p>Objects keep no metadata: {@code Content-Type} is {@code binary/octet-stream}, the ETag is the
 * MD5 of the bytes (read on each request), {@code LastModified} the file's modification time. A
 * listing reads the bucket's folder tree on each request.
 */
public final class LocalS3Api {
    private static final Logger LOG = LoggerFactory.getLogger(LocalS3Api.class);
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_KEYS = 1000;
    private static final int COPY_BUFFER_BYTES = 64 * 1024;
    private static final String XML = "application/xml";
    private static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
    private static final Set<String> LIST_PARAMETERS = Set.of(
            "list-type",
            "prefix",
            "delimiter",
            "max-keys",
            "continuation-token",
            "start-after",
            "encoding-type",
            "fetch-owner",
            "x-id");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final SigV4Verifier verifier;
    private final LocalObjectStore store;

    public LocalS3Api(SigV4Verifier verifier, LocalObjectStore store) {
        this.verifier = requireNonNull(verifier, "verifier is null");
        this.store = requireNonNull(store, "store is null");
    }

    private enum Operation {
        LIST_BUCKETS,
        HEAD_BUCKET,
        CREATE_BUCKET,
        LIST_OBJECTS_V2,
        GET_OBJECT,
        HEAD_OBJECT,
        DELETE_OBJECT
    }

    /** Answers one request signed for S3. */
    public void handle(Request request, Response response, Callback callback) {
        String requestId =
                UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
        response.getHeaders().put("x-amz-request-id", requestId);
        boolean head = "HEAD".equals(request.getMethod());
        try {
            String rawPath = request.getHttpURI().getPath();
            String path = decode(rawPath.isEmpty() ? "/" : rawPath).substring(1);
            int slash = path.indexOf('/');
            String bucket = slash < 0 ? path : path.substring(0, slash);
            String key = slash < 0 ? "" : path.substring(slash + 1);
            Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            Operation operation = operation(request.getMethod(), bucket, key, query);
            Authenticated caller = verifier.verify(SignedRequests.received(request, readBody(request)));
            switch (operation) {
                case LIST_BUCKETS -> listBuckets(caller, response, callback);
                case HEAD_BUCKET -> headBucket(bucket, response, callback);
                case CREATE_BUCKET -> createBucket(caller, bucket, response, callback);
                case LIST_OBJECTS_V2 -> listObjects(bucket, query, response, callback);
                case GET_OBJECT, HEAD_OBJECT -> getObject(request, bucket, key, head, response, callback);
                case DELETE_OBJECT -> deleteObject(bucket, key, response, callback);
            }
        } catch (S3Error e) {
            fail(response, callback, e, requestId, head);
        } catch (FirehoseException e) {
            fail(response, callback, authenticationError(e), requestId, head);
        } catch (IOException | RuntimeException e) {
            LOG.error("S3 request {} failed unexpectedly", requestId, e);
            fail(
                    response,
                    callback,
                    new S3Error(500, "InternalError", "We encountered an internal error. Please try again.", Map.of()),
                    requestId,
                    head);
        }
    }

    private static Operation operation(String method, String bucket, String key, Fields query) {
        if (bucket.isEmpty()) {
            if (method.equals("GET") && query.getSize() == 0) {
                return Operation.LIST_BUCKETS;
            }
            throw unsupported(method, "/");
        }
        if (key.isEmpty()) {
            if (method.equals("GET") && "2".equals(query.getValue("list-type")) && listParametersOnly(query)) {
                return Operation.LIST_OBJECTS_V2;
            }
            if (method.equals("HEAD") && query.getSize() == 0) {
                return Operation.HEAD_BUCKET;
            }
            if (method.equals("PUT") && query.getSize() == 0) {
                return Operation.CREATE_BUCKET;
            }
            throw unsupported(method, "a bucket");
        }
        boolean plain = query.getSize() == 0 || (query.getSize() == 1 && query.get("x-id") != null);
        return switch (method) {
            case "GET" -> plainOr(plain, Operation.GET_OBJECT, method);
            case "HEAD" -> plainOr(plain, Operation.HEAD_OBJECT, method);
            case "DELETE" -> plainOr(plain, Operation.DELETE_OBJECT, method);
            default -> throw unsupported(method, "an object");
        };
    }

    private static Operation plainOr(boolean plain, Operation operation, String method) {
        if (!plain) {
            throw unsupported(method, "an object with these query parameters");
        }
        return operation;
    }

    private static boolean listParametersOnly(Fields query) {
        for (Fields.Field field : query) {
            if (!LIST_PARAMETERS.contains(field.getName())) {
                return false;
            }
        }
        return true;
    }

    private static S3Error unsupported(String method, String target) {
        return S3Error.notImplemented("Sluice's local S3 API does not implement " + method + " on " + target
                + "; it serves ListBuckets, CreateBucket, HeadBucket, ListObjectsV2, GetObject, HeadObject and"
                + " DeleteObject.");
    }

    private void listBuckets(Authenticated caller, Response response, Callback callback) throws IOException {
        S3Xml xml = S3Xml.document("ListAllMyBucketsResult")
                .open("Owner")
                .element("ID", caller.accountId())
                .close("Owner")
                .open("Buckets");
        for (String bucket : store.buckets()) {
            Path folder = store.root().resolve(bucket);
            xml.open("Bucket")
                    .element("Name", bucket)
                    .element(
                            "CreationDate",
                            S3Xml.timestamp(Files.getLastModifiedTime(folder).toInstant()))
                    .close("Bucket");
        }
        write(
                response,
                callback,
                200,
                xml.close("Buckets").close("ListAllMyBucketsResult").bytes());
    }

    private void headBucket(String bucket, Response response, Callback callback) {
        requireBucket(bucket);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        callback.succeeded();
    }

    private void createBucket(Authenticated caller, String bucket, Response response, Callback callback)
            throws IOException {
        boolean created;
        try {
            created = store.createBucket(bucket);
        } catch (IllegalArgumentException e) {
            throw new S3Error(
                    400, "InvalidBucketName", "The specified bucket is not valid.", Map.of("BucketName", bucket));
        }
        if (!created && !caller.region().equals("us-east-1")) {
            throw new S3Error(
                    409,
                    "BucketAlreadyOwnedByYou",
                    "Your previous request to create the named bucket succeeded and you already own it.",
                    Map.of("BucketName", bucket));
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.LOCATION, "/" + bucket);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        callback.succeeded();
    }

    private void listObjects(String bucket, Fields query, Response response, Callback callback) throws IOException {
        requireBucket(bucket);
        String prefix = value(query, "prefix");
        String delimiter = value(query, "delimiter");
        String startAfter = value(query, "start-after");
        Optional<String> token = Optional.ofNullable(query.getValue("continuation-token"));
        String encodingType = value(query, "encoding-type");
        if (!encodingType.isEmpty() && !encodingType.equals("url")) {
            throw S3Error.invalidArgument("Invalid Encoding Method specified in Request");
        }
        int maxKeys = maxKeys(query.getValue("max-keys"));
        String after = token.map(LocalS3Api::afterToken).orElse("");
        if (startAfter.compareTo(after) > 0) {
            after = startAfter;
        }
        ListObjectsPage page = ListObjectsPage.of(store.keys(bucket), prefix, delimiter, after, maxKeys);
        boolean url = encodingType.equals("url");
        S3Xml xml = S3Xml.document("ListBucketResult")
                .element("Name", bucket)
                .element("Prefix", encode(prefix, url))
                .element("KeyCount", page.keys().size() + page.commonPrefixes().size())
                .element("MaxKeys", maxKeys);
        if (!delimiter.isEmpty()) {
            xml.element("Delimiter", encode(delimiter, url));
        }
        xml.element("IsTruncated", page.truncated());
        if (token.isPresent()) {
            xml.element("ContinuationToken", token.get());
        }
        if (page.truncated()) {
            xml.element("NextContinuationToken", tokenAfter(page.lastKey().orElseThrow()));
        }
        if (!startAfter.isEmpty()) {
            xml.element("StartAfter", encode(startAfter, url));
        }
        if (url) {
            xml.element("EncodingType", "url");
        }
        for (String key : page.keys()) {
            Optional<Path> file = store.find(bucket, key);
            if (file.isEmpty()) {
                continue;
            }
            try {
                xml.open("Contents")
                        .element("Key", encode(key, url))
                        .element(
                                "LastModified",
                                S3Xml.timestamp(
                                        Files.getLastModifiedTime(file.get()).toInstant()))
                        .element("ETag", etag(file.get()))
                        .element("Size", Files.size(file.get()))
                        .element("StorageClass", "STANDARD")
                        .close("Contents");
            } catch (NoSuchFileException deletedMeanwhile) {
                continue;
            }
        }
        for (String common : page.commonPrefixes()) {
            xml.open("CommonPrefixes").element("Prefix", encode(common, url)).close("CommonPrefixes");
        }
        write(response, callback, 200, xml.close("ListBucketResult").bytes());
    }

    private void getObject(
            Request request, String bucket, String key, boolean head, Response response, Callback callback)
            throws IOException {
        requireBucket(bucket);
        Path file = store.find(bucket, key).orElseThrow(() -> S3Error.noSuchKey(key));
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long size = channel.size();
            Optional<ByteRange> range =
                    ByteRange.of(Optional.ofNullable(request.getHeaders().get(HttpHeader.RANGE)), size);
            response.setStatus(range.isPresent() ? 206 : 200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, DEFAULT_CONTENT_TYPE);
            response.getHeaders().put(HttpHeader.ETAG, etag(file));
            response.getHeaders()
                    .put(
                            HttpHeader.LAST_MODIFIED,
                            HTTP_DATE.format(Files.getLastModifiedTime(file).toInstant()));
            response.getHeaders().put(HttpHeader.ACCEPT_RANGES, "bytes");
            range.ifPresent(r -> response.getHeaders().put(HttpHeader.CONTENT_RANGE, r.contentRange(size)));
            long length = range.map(ByteRange::length).orElse(size);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
            if (head) {
                callback.succeeded();
                return;
            }
            channel.position(range.map(ByteRange::first).orElse(0L));
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                copy(Channels.newInputStream(channel), out, length);
            } catch (IOException e) {
                callback.failed(e);
                return;
            }
            callback.succeeded();
        } catch (NoSuchFileException deletedMeanwhile) {
            throw S3Error.noSuchKey(key);
        }
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER_BYTES];
        for (long remaining = length; remaining > 0; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                throw new IOException("the object shrank while it was read");
            }
            out.write(buffer, 0, n);
            remaining -= n;
        }
    }

    private void deleteObject(String bucket, String key, Response response, Callback callback) throws IOException {
        requireBucket(bucket);
        store.delete(bucket, key);
        response.setStatus(204);
        callback.succeeded();
    }

    private void requireBucket(String bucket) {
        if (!store.hasBucket(bucket)) {
            throw S3Error.noSuchBucket(bucket);
        }
    }

    private static int maxKeys(String text) {
        if (text == null) {
            return MAX_KEYS;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < 0) {
                throw S3Error.invalidArgument("Argument maxKeys must be an integer between 0 and 2147483647");
            }
            return Math.min(value, MAX_KEYS);
        } catch (NumberFormatException e) {
            throw S3Error.invalidArgument("Provided max-keys not an integer or within integer range");
        }
    }

    /** A continuation token: the last key a page covered, base64url; opaque to clients, as in S3. */
    private static String tokenAfter(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String afterToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw S3Error.invalidArgument("The continuation token provided is incorrect");
        }
    }

    private static String value(Fields query, String name) {
        String value = query.getValue(name);
        return value == null ? "" : value;
    }

    /** {@code encoding-type=url}: as S3, form-encoded with {@code /} kept. */
    private static String encode(String text, boolean url) {
        return url ? URLEncoder.encode(text, StandardCharsets.UTF_8).replace("%2F", "/") : text;
    }

    private static String decode(String rawPath) {
        try {
            return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw S3Error.invalidArgument("The request path is not percent-encoded correctly.");
        }
    }

    private static String etag(Path file) throws IOException {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[COPY_BUFFER_BYTES];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                md5.update(buffer, 0, n);
            }
        }
        return "\"" + HexFormat.of().formatHex(md5.digest()) + "\"";
    }

    private static byte[] readBody(Request request) throws IOException {
        if (request.getLength() > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        try (InputStream in = Request.asInputStream(request)) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            return body;
        }
    }

    private static S3Error tooLarge() {
        return new S3Error(400, "MaxMessageLengthExceeded", "Your request was too big.", Map.of());
    }

    /** The verifier's Firehose error as S3 words it. */
    private static S3Error authenticationError(FirehoseException e) {
        return switch (e.code()) {
            case UNRECOGNIZED_CLIENT ->
                new S3Error(
                        403,
                        "InvalidAccessKeyId",
                        "The AWS Access Key Id you provided does not exist in our records.",
                        Map.of());
            case INVALID_SIGNATURE -> new S3Error(403, "SignatureDoesNotMatch", e.getMessage(), Map.of());
            case MISSING_AUTHENTICATION_TOKEN -> new S3Error(403, "AccessDenied", "Access Denied", Map.of());
            default -> new S3Error(400, "AuthorizationHeaderMalformed", e.getMessage(), Map.of());
        };
    }

    private static void fail(Response response, Callback callback, S3Error error, String requestId, boolean head) {
        if (head) {
            response.setStatus(error.status());
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
            callback.succeeded();
            return;
        }
        write(response, callback, error.status(), S3Xml.error(error, requestId));
    }

    private static void write(Response response, Callback callback, int status, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, XML);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
