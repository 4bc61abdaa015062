package io.sluice.api;

import static java.util.Objects.requireNonNull;

import io.sluice.api.PutRecordsReader.PutRecords;
import io.sluice.catalog.Catalog;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DeliveryStreamStatus;
import io.sluice.catalog.DeliveryStreamType;
import io.sluice.catalog.Scope;
import io.sluice.catalog.StreamRef;
import io.sluice.common.DataSize;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import io.sluice.ingest.Admission;
import io.sluice.ingest.ThroughputQuotas;
import io.sluice.ingest.crypto.AppendBatch;
import io.sluice.ingest.crypto.KeyFileException;
import io.sluice.ingest.crypto.RecordEncryptor;
import io.sluice.log.AppendRecord;
import io.sluice.log.AppendResult;
import io.sluice.log.LogException;
import io.sluice.log.LogFullException;
import io.sluice.log.RecordLog;
import io.sluice.log.StreamDeletedException;
import io.sluice.log.StreamKey;
import io.sluice.metrics.Metrics;
import io.sluice.metrics.StreamMetric;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PutRecord and PutRecordBatch: a put is answered only after its records are durable in the
 * {@link RecordLog}. Each record's {@code RecordId} encodes where it landed: the stream's unique id and
 * the record's offset, base64url. Before storing, the {@link ThroughputQuotas} decide how many of the
 * records may be stored (throttled ones never reach the log: PutRecord answers 503, PutRecordBatch fails
 * them per record), and the {@link RecordEncryptor} encrypts them if the stream's encryption is ENABLED;
 * {@code Encrypted} in the answer says whether it was.
 */
public final class DataPlane {
    /** Firehose's limit on the decoded data of one PutRecordBatch. */
    public static final DataSize MAX_BATCH_DATA = DataSize.ofMebibytes(4);

    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);

    /** The error of a throttled record, and of a throttled PutRecord. */
    static final String SLOW_DOWN = "Slow down.";

    private final Catalog catalog;
    private final RecordLog log;
    private final PutRecordsReader reader;
    private final ThroughputQuotas quotas;
    private final RecordEncryptor encryptor;
    private final Clock clock;
    private final Metrics metrics;

    public DataPlane(
            Catalog catalog,
            RecordLog log,
            PutRecordsReader reader,
            ThroughputQuotas quotas,
            RecordEncryptor encryptor,
            Clock clock,
            Metrics metrics) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.log = requireNonNull(log, "log is null");
        this.reader = requireNonNull(reader, "reader is null");
        this.quotas = requireNonNull(quotas, "quotas is null");
        this.encryptor = requireNonNull(encryptor, "encryptor is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    public byte[] putRecord(Scope scope, RequestBody body) throws IOException {
        long started = System.nanoTime();
        PutRecords put = reader.read(false, body);
        DeliveryStream stream = target(scope, put.streamName());
        checkSource(stream, put.records());
        StreamRef name = stream.ref();
        switch (quotas.admit(stream, put.records())) {
            case Admission.Admitted admitted -> {}
            case Admission.Throttled throttled -> {
                metrics.add(StreamMetric.THROTTLED_RECORDS, name, 1);
                throw new FirehoseException(ErrorCode.SERVICE_UNAVAILABLE, SLOW_DOWN);
            }
        }
        AppendBatch batch = encode(stream, put.records());
        AppendResult appended = append(stream, batch.records());
        metrics.add(StreamMetric.INCOMING_PUT_REQUESTS, name, 1);
        metrics.add(StreamMetric.INCOMING_RECORDS, name, 1);
        metrics.add(StreamMetric.INCOMING_BYTES, name, put.totalBytes());
        metrics.add(StreamMetric.PUT_RECORD_REQUESTS, name, 1);
        metrics.add(StreamMetric.PUT_RECORD_BYTES, name, put.totalBytes());
        metrics.record(StreamMetric.PUT_RECORD_LATENCY, name, Duration.ofNanos(System.nanoTime() - started));
        // Written by hand: a record id is base64url, nothing in this answer needs escaping, and a JSON
        // generator per PutRecord cost more than the rest of the answer.
        return ("{\"RecordId\":\"" + PutRecordBatchAnswer.id(stream.uid(), appended.firstOffset()) + "\",\"Encrypted\":"
                        + batch.encrypted() + "}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    public byte[] putRecordBatch(Scope scope, RequestBody body) throws IOException {
        long started = System.nanoTime();
        PutRecords put = reader.read(true, body);
        DeliveryStream stream = target(scope, put.streamName());
        checkSource(stream, put.records());
        if (put.totalBytes() > MAX_BATCH_DATA.bytes()) {
            throw new FirehoseException(ErrorCode.INVALID_ARGUMENT, "Records size exceeds 4 MB limit");
        }
        int count = put.records().size();
        int admitted = switch (quotas.admit(stream, put.records())) {
            case Admission.Admitted a -> a.records();
            case Admission.Throttled t -> 0;
        };
        boolean encrypted;
        long firstOffset = 0;
        if (admitted > 0) {
            AppendBatch batch = encode(stream, put.records().subList(0, admitted));
            encrypted = batch.encrypted();
            firstOffset = append(stream, batch.records()).firstOffset();
        } else {
            encrypted = encryptor.encrypts(stream);
        }
        recordBatch(stream.ref(), put.records(), admitted, System.nanoTime() - started);
        return PutRecordBatchAnswer.write(stream.uid(), count, admitted, encrypted, firstOffset);
    }

    private void recordBatch(StreamRef name, List<ByteBuffer> records, int admitted, long nanos) {
        long bytes = 0;
        for (int i = 0; i < admitted; i++) {
            bytes += records.get(i).remaining();
        }
        if (admitted < records.size()) {
            metrics.add(StreamMetric.THROTTLED_RECORDS, name, records.size() - admitted);
        }
        metrics.add(StreamMetric.INCOMING_PUT_REQUESTS, name, 1);
        metrics.add(StreamMetric.INCOMING_RECORDS, name, admitted);
        metrics.add(StreamMetric.INCOMING_BYTES, name, bytes);
        metrics.add(StreamMetric.PUT_RECORD_BATCH_REQUESTS, name, 1);
        metrics.add(StreamMetric.PUT_RECORD_BATCH_RECORDS, name, admitted);
        metrics.add(StreamMetric.PUT_RECORD_BATCH_BYTES, name, bytes);
        metrics.record(StreamMetric.PUT_RECORD_BATCH_LATENCY, name, Duration.ofNanos(nanos));
    }

    private AppendBatch encode(DeliveryStream stream, List<ByteBuffer> records) {
        try {
            return encryptor.encode(stream, records, clock.millis());
        } catch (KeyFileException e) {
            LOG.error(
                    "Cannot encrypt records for delivery stream {}: {}",
                    stream.ref().arn(),
                    e.getMessage());
            throw new FirehoseException(
                    ErrorCode.INVALID_KMS_RESOURCE,
                    "The encryption key of Firehose " + stream.ref().name() + " cannot be used; see Sluice's log.",
                    "KMS.InvalidStateException");
        } catch (UncheckedIOException e) {
            LOG.warn(
                    "Cannot store the data key of delivery stream {}",
                    stream.ref().arn(),
                    e);
            throw new FirehoseException(
                    ErrorCode.SERVICE_UNAVAILABLE, "The encryption key could not be stored; retry later.");
        }
    }

    private AppendResult append(DeliveryStream stream, List<AppendRecord> records) {
        try {
            return log.append(new StreamKey(stream.uid()), records);
        } catch (StreamDeletedException e) {
            throw Catalog.notFound(stream.ref());
        } catch (LogFullException e) {
            throw new FirehoseException(
                    ErrorCode.SERVICE_UNAVAILABLE, "Sluice's record log is full; slow down and retry later.");
        } catch (LogException e) {
            throw new FirehoseException(ErrorCode.SERVICE_UNAVAILABLE, "The records could not be stored; retry later.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FirehoseException(ErrorCode.SERVICE_UNAVAILABLE, "Sluice is shutting down; retry later.");
        }
    }

    /**
     * The stream a put goes to. A stream that is not ACTIVE is answered as not found: AWS documents only
     * that such puts "cause an exception".
     */
    private DeliveryStream target(Scope scope, String name) {
        StreamRef ref = scope.stream(name);
        DeliveryStream stream = catalog.find(ref)
                .filter(s -> s.status() == DeliveryStreamStatus.ACTIVE)
                .orElseThrow(() -> Catalog.notFound(ref));
        if (stream.type() != DeliveryStreamType.DIRECT_PUT) {
            throw FirehoseException.of(
                    ErrorCode.INVALID_ARGUMENT,
                    "This operation is not permitted on %s delivery stream type.",
                    stream.type().wireName());
        }
        return stream;
    }

    /**
     * Refuses a put to a stream that takes only CloudWatch Logs payloads unless every record is gzip, as
     * CloudWatch Logs sends them: AWS tells its caller apart, Sluice the data (the README's deviations).
     */
    private static void checkSource(DeliveryStream stream, List<ByteBuffer> records) {
        if (!stream.destination().spec().acceptsOnlyCloudWatchLogs()) {
            return;
        }
        for (ByteBuffer record : records) {
            if (record.remaining() < 2
                    || (record.get(record.position()) & 0xff) != 0x1f
                    || (record.get(record.position() + 1) & 0xff) != 0x8b) {
                throw new FirehoseException(
                        ErrorCode.INVALID_SOURCE,
                        "Only requests from CloudWatch Logs are supported when CloudWatch Logs decompression is enabled");
            }
        }
    }
}
