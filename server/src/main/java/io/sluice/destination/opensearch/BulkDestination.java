package io.sluice.destination.opensearch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.sluice.aws.AssumedRoleCredentials;
import io.sluice.common.RecordScratch;
import io.sluice.destination.BatchEncoder;
import io.sluice.destination.BatchInfo;
import io.sluice.destination.DeliveryOutcome;
import io.sluice.destination.Destination;
import io.sluice.destination.PreparedBatch;
import io.sluice.destination.http.HttpEndpointTransport;
import io.sluice.processor.ProcessorRecord;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A search destination (delivery spec §9): each batch is one {@code POST <endpoint>/_bulk} request whose
 * NDJSON body, staged in a file, holds per record an {@code index} action naming the record's index, type
 * and id ({@link Documents}) and the record as its source line:
 *
 * <pre>{"index":{"_index":"logs-2016-02-25","_id":"3f2a9c1e7b6d4e58.1042.0"}}
 * {"level":"info","message":"..."}</pre>
 *
 * A record that is not one JSON object (§9.2) is not sent: it is rejected to the error output as
 * {@code <OS|ES>.NonJsonRecord}; one spread over lines is sent on one. The response is read as it
 * arrives: every item with a 2xx status is delivered; items answered 429 or 5xx are retried (only they
 * are sent again, {@link PreparedBatch#retain}); items answered another 4xx (a
 * {@code mapper_parsing_exception}) can never succeed and go to the error output at once, with the status
 * as error code. A whole request that fails (a status other than 200, a timeout, a connection failure) is
 * retried, and its records written to the error output when the retry duration is spent. Every attempt
 * goes to the cluster, with the authentication, the destination that sends it is configured with; the
 * body, and so the indexes and ids, stay as encoded.
 */
final class BulkDestination implements Destination {
    private static final JsonFactory JSON = new JsonFactory();
    private static final String CONTENT_TYPE = "application/x-ndjson";
    private static final int STAGING_BUFFER = 64 * 1024;
    private static final int MAX_QUOTED_RESPONSE_CHARS = 2048;
    private static final long HOUR_MILLIS = 3_600_000;

    private static final byte[] ID_START = ",\"_id\":\"".getBytes(UTF_8);
    private static final byte[] ACTION_END = "}}\n".getBytes(UTF_8);

    private final SearchDestinationSpec spec;
    private final Documents documents;
    private final SearchClusters clusters;
    private final Path staging;
    private final Supplier<UUID> uuids;

    BulkDestination(
            SearchDestinationSpec spec,
            Documents documents,
            SearchClusters clusters,
            Path staging,
            Supplier<UUID> uuids) {
        this.spec = requireNonNull(spec, "spec is null");
        this.documents = requireNonNull(documents, "documents is null");
        this.clusters = requireNonNull(clusters, "clusters is null");
        this.staging = requireNonNull(staging, "staging is null");
        this.uuids = requireNonNull(uuids, "uuids is null");
    }

    @Override
    public BatchEncoder encoder(BatchInfo batch) throws IOException {
        Path file = staging.resolve(uuids.get() + ".bulk");
        return new Encoder(file, new BufferedOutputStream(Files.newOutputStream(file), STAGING_BUFFER));
    }

    @Override
    public DeliveryOutcome send(PreparedBatch batch) {
        Prepared prepared = (Prepared) batch;
        if (prepared.items() == 0) {
            return outcome(prepared, Optional.empty(), new TreeMap<>());
        }
        Optional<DeliveryOutcome.Retry> failed;
        SortedMap<Integer, DeliveryOutcome.Failure> itemFailures = new TreeMap<>();
        try {
            failed = post(prepared, itemFailures);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed = Optional.of(retry("RequestTimeout", "The attempt was interrupted."));
        }
        return outcome(prepared, failed, itemFailures);
    }

    /**
     * The outcome of an attempt: the rejected non-JSON records, and either every sent record failing as
     * {@code whole} says, or the items that failed.
     */
    private static DeliveryOutcome outcome(
            Prepared batch,
            Optional<DeliveryOutcome.Retry> whole,
            SortedMap<Integer, DeliveryOutcome.Failure> itemFailures) {
        if (batch.refused().length == 0) {
            if (whole.isPresent()) {
                return whole.get();
            }
            return itemFailures.isEmpty() ? DeliveryOutcome.DELIVERED : new DeliveryOutcome.Partial(itemFailures);
        }
        SortedMap<Integer, DeliveryOutcome.Failure> failures = new TreeMap<>();
        int item = 0;
        for (int index = 0; index < batch.records(); index++) {
            if (Arrays.binarySearch(batch.refused(), index) >= 0) {
                failures.put(index, batch.refusal());
                continue;
            }
            DeliveryOutcome.Failure failure = whole.isPresent() ? whole.get() : itemFailures.get(item);
            if (failure != null) {
                failures.put(index, failure);
            }
            item++;
        }
        return new DeliveryOutcome.Partial(failures);
    }

    /** Sends the batch: empty when the request was answered per item (failures into {@code items}). */
    private Optional<DeliveryOutcome.Retry> post(Prepared batch, SortedMap<Integer, DeliveryOutcome.Failure> items)
            throws InterruptedException {
        Optional<SearchClusters.Target> target;
        try {
            target = clusters.target(spec.cluster());
        } catch (IOException e) {
            return Optional.of(retry("ConnectionFailed", "No client for the cluster: " + e.getMessage()));
        }
        if (target.isEmpty()) {
            return Optional.of(retry(
                    "ResourceNotFound",
                    "Sluice has no endpoint for the domain "
                            + ((SearchDestinationSpec.Cluster.Domain) spec.cluster()).arn()
                            + ": map it with the opensearch-domain.<label>.arn and .endpoint settings, or set"
                            + " opensearch-endpoint."));
        }
        URI uri = bulkUri(target.get().cluster().endpoint());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(target.get().transport().responseTimeout())
                .header("Content-Type", CONTENT_TYPE);
        try {
            clusters.authenticate(
                    request, uri, CONTENT_TYPE, batch.file(), target.get(), spec.flavor(), spec.roleArn());
            request.POST(HttpRequest.BodyPublishers.ofFile(batch.file()));
        } catch (AssumedRoleCredentials.AssumeRoleFailedException e) {
            return Optional.of(retry("AssumeRoleFailed", e.getMessage()));
        } catch (IOException | RuntimeException e) {
            return Optional.of(retry("InternalError", "The staged request could not be signed or read: " + e));
        }
        try {
            HttpResponse<InputStream> response =
                    target.get().transport().client().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    byte[] start = body.readNBytes(MAX_QUOTED_RESPONSE_CHARS);
                    return Optional.of(new DeliveryOutcome.Retry(
                            Integer.toString(response.statusCode()),
                            "The cluster answered the bulk request with status " + response.statusCode() + ": "
                                    + new String(start, UTF_8)));
                }
                return readItems(body, batch.items(), items, spec.flavor());
            }
        } catch (IOException e) {
            HttpEndpointTransport.Failure failure = target.get().transport().failure(e, "the cluster");
            return Optional.of(retry(failure.name(), failure.message()));
        }
    }

    /** {@code <endpoint>/_bulk}: a path the endpoint has (a proxy's) is kept. */
    static URI bulkUri(URI endpoint) {
        String path = endpoint.getPath() == null ? "" : endpoint.getPath();
        try {
            return new URI(
                    endpoint.getScheme(),
                    endpoint.getUserInfo(),
                    endpoint.getHost(),
                    endpoint.getPort(),
                    (path.endsWith("/") ? path : path + "/") + "_bulk",
                    null,
                    null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot make the bulk URL of " + endpoint, e);
        }
    }

    /**
     * Reads a 200's body, {@code {"took":…,"errors":…,"items":[{"index":{…,"status":…,"error":{…}}},…]}}, as
     * it arrives: the failed items go into {@code failures} by their place in the request. Empty when the
     * body is the answer to {@code sent} items; a retry of the whole request when it is not.
     */
    static Optional<DeliveryOutcome.Retry> readItems(
            InputStream body, long sent, SortedMap<Integer, DeliveryOutcome.Failure> failures, SearchFlavor flavor)
            throws IOException {
        try (JsonParser json = JSON.createParser(body)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return Optional.of(invalidResponse(flavor, "the body is not a JSON object"));
            }
            boolean errors = true;
            long items = -1;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String member = json.currentName();
                JsonToken value = json.nextToken();
                if (member.equals("errors") && value.isBoolean()) {
                    errors = json.getBooleanValue();
                } else if (member.equals("items") && value == JsonToken.START_ARRAY) {
                    items = 0;
                    while (json.nextToken() == JsonToken.START_OBJECT) {
                        Optional<DeliveryOutcome.Failure> failure = item(json);
                        if (failure.isPresent() && items < Integer.MAX_VALUE) {
                            failures.put((int) items, failure.get());
                        }
                        items++;
                    }
                } else {
                    json.skipChildren();
                }
            }
            if (items != sent) {
                failures.clear();
                return Optional.of(invalidResponse(flavor, "it answers " + Math.max(items, 0) + " items of " + sent));
            }
            if (!errors && !failures.isEmpty()) {
                failures.clear();
                return Optional.of(invalidResponse(flavor, "it reports no errors but has failed items"));
            }
            return Optional.empty();
        } catch (JsonProcessingException e) {
            failures.clear();
            return Optional.of(
                    invalidResponse(flavor, "the body is not the bulk API's JSON: " + e.getOriginalMessage()));
        }
    }

    /** One item, {@code {"<action>":{"status":…,"error":{"type":…,"reason":…}}}}: its failure if it failed. */
    private static Optional<DeliveryOutcome.Failure> item(JsonParser json) throws IOException {
        int status = -1;
        String error = "";
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                json.skipChildren();
                continue;
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String member = json.currentName();
                JsonToken value = json.nextToken();
                if (member.equals("status") && value == JsonToken.VALUE_NUMBER_INT) {
                    status = json.getIntValue();
                } else if (member.equals("error")) {
                    error = error(json, value);
                } else {
                    json.skipChildren();
                }
            }
        }
        if (status >= 200 && status < 300) {
            return Optional.empty();
        }
        String code = status < 0 ? "500" : Integer.toString(status);
        String message = error.isEmpty() ? "The cluster answered the document with status " + code + "." : error;
        if (status == 429 || status >= 500 || status < 0) {
            return Optional.of(new DeliveryOutcome.Retry(code, message));
        }
        return Optional.of(new DeliveryOutcome.Rejected(code, message, DeliveryOutcome.Disposal.ERROR_OUTPUT));
    }

    /** An item's {@code error}: {@code <type>: <reason>}, and what caused it, or the text it is. */
    private static String error(JsonParser json, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            String text = value.isScalarValue() ? json.getValueAsString("") : "";
            json.skipChildren();
            return text;
        }
        String type = "";
        String reason = "";
        String cause = "";
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String member = json.currentName();
            JsonToken next = json.nextToken();
            switch (member) {
                case "type" -> type = json.getValueAsString("");
                case "reason" -> reason = json.getValueAsString("");
                case "caused_by" -> cause = error(json, next);
                default -> json.skipChildren();
            }
        }
        String text = type.isEmpty() ? reason : type + ": " + reason;
        return cause.isEmpty() ? text : text + " (caused by " + cause + ")";
    }

    private DeliveryOutcome.Retry retry(String failure, String message) {
        return new DeliveryOutcome.Retry(spec.flavor().errorCode(failure), message);
    }

    private static DeliveryOutcome.Retry invalidResponse(SearchFlavor flavor, String why) {
        return new DeliveryOutcome.Retry(
                flavor.errorCode("InvalidResponse"),
                "The cluster's answer to the bulk request is invalid: " + why + ".");
    }

    /** Writes a batch's NDJSON body; keeps which records were refused. */
    private final class Encoder implements BatchEncoder {
        private final Path file;
        private final OutputStream body;
        private final JsonStringEncoder strings = JsonStringEncoder.getInstance();
        private int[] refused = new int[0];
        private int refusedCount;
        private long records;
        private long items;
        private long bytes;
        private long cachedHour = Long.MIN_VALUE;
        private byte[] cachedActionStart;
        private boolean finished;
        /** Room for the record being added. */
        private final RecordScratch scratch = new RecordScratch();

        Encoder(Path file, OutputStream body) {
            this.file = file;
            this.body = body;
        }

        @Override
        public void add(ProcessorRecord record) throws IOException {
            ByteBuffer data = record.data();
            int length = data.remaining();
            bytes += length;
            Optional<Source> source = source(scratch.copy(data), length);
            if (source.isEmpty()) {
                if (refusedCount == refused.length) {
                    refused = Arrays.copyOf(refused, Math.max(8, refused.length * 2));
                }
                refused[refusedCount++] = Math.toIntExact(records);
                records++;
                return;
            }
            body.write(actionStart(record.arrivalMillis()));
            Optional<String> id = documents.id(record.position(), record.subsequence());
            if (id.isPresent()) {
                body.write(ID_START);
                body.write(id.get().getBytes(UTF_8));
                body.write('"');
            }
            body.write(ACTION_END);
            source.get().writeTo(body);
            body.write('\n');
            records++;
            items++;
        }

        /**
         * The action line up to its id: the {@code index} action with the {@code _index} (and {@code _type}) of
         * a record that arrived then, the same for every record of an hour.
         */
        private byte[] actionStart(long arrivalMillis) {
            long hour = Math.floorDiv(arrivalMillis, HOUR_MILLIS);
            if (hour != cachedHour) {
                StringBuilder action = new StringBuilder("{\"index\":{\"_index\":\"")
                        .append(strings.quoteAsString(documents.index(arrivalMillis)))
                        .append('"');
                documents
                        .type()
                        .ifPresent(t -> action.append(",\"_type\":\"")
                                .append(strings.quoteAsString(t))
                                .append('"'));
                cachedActionStart = action.toString().getBytes(UTF_8);
                cachedHour = hour;
            }
            return cachedActionStart;
        }

        @Override
        public PreparedBatch finish() throws IOException {
            body.close();
            finished = true;
            return new Prepared(
                    file,
                    records,
                    bytes,
                    items,
                    Arrays.copyOf(refused, refusedCount),
                    new DeliveryOutcome.Rejected(
                            spec.flavor().errorCode("NonJsonRecord"),
                            "The record is not a JSON object on one line of UTF-8, which is what "
                                    + spec.flavor().displayName() + " indexes.",
                            DeliveryOutcome.Disposal.ERROR_OUTPUT));
        }

        @Override
        public void close() throws IOException {
            if (!finished) {
                try {
                    body.close();
                } finally {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /**
     * What a record sends as its source line: the bytes of its one JSON object, without the white space
     * around it (a record's trailing newline, say), or the object written again without line breaks if it
     * spans lines.
     */
    record Source(byte[] bytes, int start, int end) {
        void writeTo(OutputStream out) throws IOException {
            out.write(bytes, start, end - start);
        }
    }

    /**
     * The source line of the record in {@code raw[0, length)}; empty when it is not one JSON object and
     * nothing else. Refers to {@code raw} unless the object had to be rewritten.
     */
    static Optional<Source> source(byte[] raw, int length) {
        int start;
        int end;
        try (JsonParser json = JSON.createParser(raw, 0, length)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            start = Math.toIntExact(json.currentTokenLocation().getByteOffset());
            json.skipChildren();
            end = Math.toIntExact(json.currentLocation().getByteOffset());
            if (json.nextToken() != null) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        for (int i = start; i < end; i++) {
            if (raw[i] == '\n' || raw[i] == '\r') {
                return compacted(raw, start, end);
            }
        }
        return Optional.of(new Source(raw, start, end));
    }

    /** The JSON object in {@code raw[start, end)}, written again on one line. */
    private static Optional<Source> compacted(byte[] raw, int start, int end) {
        ByteArrayOutputStream compact = new ByteArrayOutputStream(end - start);
        try (JsonParser json = JSON.createParser(raw, start, end - start);
                JsonGenerator out = JSON.createGenerator(compact)) {
            json.nextToken();
            out.copyCurrentStructure(json);
        } catch (IOException e) {
            return Optional.empty();
        }
        byte[] line = compact.toByteArray();
        return Optional.of(new Source(line, 0, line.length));
    }

    /**
     * A staged body of {@code items} items, for a batch of {@code records} records of which those at the
     * (ascending) indexes {@code refused} were not sent and fail as {@code refusal}.
     */
    private static final class Prepared implements PreparedBatch {
        private final Path file;
        private final long records;
        private final long bytes;
        private final long items;
        private final int[] refused;
        private final DeliveryOutcome.Rejected refusal;

        Prepared(Path file, long records, long bytes, long items, int[] refused, DeliveryOutcome.Rejected refusal) {
            this.file = file;
            this.records = records;
            this.bytes = bytes;
            this.items = items;
            this.refused = refused;
            this.refusal = refusal;
        }

        Path file() {
            return file;
        }

        @Override
        public long records() {
            return records;
        }

        @Override
        public long bytes() {
            return bytes;
        }

        long items() {
            return items;
        }

        /** The ascending indexes of the records that were not sent. */
        int[] refused() {
            return refused;
        }

        DeliveryOutcome.Rejected refusal() {
            return refusal;
        }

        @Override
        public PreparedBatch retain(int[] indexes) throws IOException {
            Path copy = file.resolveSibling(UUID.randomUUID() + ".bulk");
            long keptBytes = 0;
            int keptItems = 0;
            int[] keptRefused = new int[indexes.length];
            int keptRefusedCount = 0;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), STAGING_BUFFER);
                    OutputStream out = new BufferedOutputStream(Files.newOutputStream(copy), STAGING_BUFFER)) {
                int wanted = 0;
                for (int index = 0; index < records && wanted < indexes.length; index++) {
                    boolean keep = indexes[wanted] == index;
                    if (Arrays.binarySearch(refused, index) >= 0) {
                        if (keep) {
                            keptRefused[keptRefusedCount++] = wanted++;
                        }
                        continue;
                    }
                    copyLine(in, keep ? out : OutputStream.nullOutputStream());
                    long sourceLength = copyLine(in, keep ? out : OutputStream.nullOutputStream());
                    if (keep) {
                        keptBytes += sourceLength - 1;
                        keptItems++;
                        wanted++;
                    }
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(copy);
                throw e;
            }
            return new Prepared(
                    copy, indexes.length, keptBytes, keptItems, Arrays.copyOf(keptRefused, keptRefusedCount), refusal);
        }

        /** Copies one line, its newline included; returns its length. */
        private static long copyLine(InputStream in, OutputStream out) throws IOException {
            long length = 0;
            int b;
            while ((b = in.read()) >= 0) {
                out.write(b);
                length++;
                if (b == '\n') {
                    return length;
                }
            }
            throw new IOException("the staged bulk body ends inside an item");
        }

        @Override
        public void close() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the engine empties the staging directory at start
            }
        }
    }
}
