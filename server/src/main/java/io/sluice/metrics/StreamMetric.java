package io.sluice.metrics;

/**
 * Per-stream metrics every stream has, under the names Firehose publishes to CloudWatch (metrics spec
 * §2–§4), each tagged {@code DeliveryStreamName}; each destination declares its own {@code DeliveryTo…}
 * names. In the Prometheus exposition a name gets the prefix
 * {@code firehose_}, dots become underscores, counters end in {@code _total} and timers are summaries
 * in seconds.
 */
public enum StreamMetric implements Metric {
    INCOMING_BYTES("IncomingBytes", Kind.COUNTER),
    INCOMING_RECORDS("IncomingRecords", Kind.COUNTER),
    INCOMING_PUT_REQUESTS("IncomingPutRequests", Kind.COUNTER),
    THROTTLED_RECORDS("ThrottledRecords", Kind.COUNTER),
    PUT_RECORD_REQUESTS("PutRecord.Requests", Kind.COUNTER),
    PUT_RECORD_BYTES("PutRecord.Bytes", Kind.COUNTER),
    PUT_RECORD_LATENCY("PutRecord.Latency", Kind.TIMER),
    PUT_RECORD_BATCH_REQUESTS("PutRecordBatch.Requests", Kind.COUNTER),
    PUT_RECORD_BATCH_RECORDS("PutRecordBatch.Records", Kind.COUNTER),
    PUT_RECORD_BATCH_BYTES("PutRecordBatch.Bytes", Kind.COUNTER),
    PUT_RECORD_BATCH_LATENCY("PutRecordBatch.Latency", Kind.TIMER),
    DELIVERY_FAILED_RECORDS("DeliveryFailed.Records", Kind.COUNTER),
    BACKUP_TO_S3_RECORDS("BackupToS3.Records", Kind.COUNTER),
    BACKUP_TO_S3_BYTES("BackupToS3.Bytes", Kind.COUNTER),
    EXPIRED_RECORDS("ExpiredRecords", Kind.COUNTER),
    EXPIRED_BYTES("ExpiredBytes", Kind.COUNTER),
    /** Each Lambda invocation's duration. */
    EXECUTE_PROCESSING_DURATION("ExecuteProcessing.Duration", Kind.TIMER),
    /** Lambda invocations made, and those the function answered: {@code ExecuteProcessing.Success} is their ratio. */
    EXECUTE_PROCESSING_ATTEMPTS("ExecuteProcessing.Attempts", Kind.COUNTER),
    EXECUTE_PROCESSING_SUCCESSES("ExecuteProcessing.Successes", Kind.COUNTER),
    /** Records the function answered {@code Ok} or {@code Dropped} for, and the bytes it returned for them. */
    SUCCEED_PROCESSING_RECORDS("SucceedProcessing.Records", Kind.COUNTER),
    SUCCEED_PROCESSING_BYTES("SucceedProcessing.Bytes", Kind.COUNTER),
    /** Of a stream that partitions dynamically: the most partitions open at once in its last pass. */
    PARTITION_COUNT("PartitionCount", Kind.GAUGE),
    /** 1 when its last pass refused records for opening more partitions than allowed, else 0. */
    PARTITION_COUNT_EXCEEDED("PartitionCountExceeded", Kind.GAUGE),
    /** The most partitions it may have open at once (the {@code active-partitions-limit} setting). */
    ACTIVE_PARTITIONS_LIMIT("ActivePartitionsLimit", Kind.GAUGE),
    /**
     * In bytes per second, for each batch of one partition when it is sealed: its bytes over the time from
     * its first record's arrival to its sealing (at least a millisecond), the rate the partition filled.
     */
    PER_PARTITION_THROUGHPUT("PerPartitionThroughput", Kind.DISTRIBUTION),
    /** Each record's evaluation of a {@code MetadataExtraction} query. */
    JQ_PROCESSING_DURATION("JQProcessing.Duration", Kind.TIMER),
    /** Of a stream reading a Kinesis data stream: records and bytes read (KPL aggregates count once). */
    DATA_READ_FROM_KINESIS_STREAM_RECORDS("DataReadFromKinesisStream.Records", Kind.COUNTER),
    DATA_READ_FROM_KINESIS_STREAM_BYTES("DataReadFromKinesisStream.Bytes", Kind.COUNTER),
    /** How far behind the newest record of its shard the last GetRecords answer was, the most of any shard. */
    KINESIS_MILLIS_BEHIND_LATEST("KinesisMillisBehindLatest", Kind.GAUGE),
    /** Calls to the source Kinesis data stream it throttled. */
    THROTTLED_DESCRIBE_STREAM("ThrottledDescribeStream", Kind.COUNTER),
    THROTTLED_GET_SHARD_ITERATOR("ThrottledGetShardIterator", Kind.COUNTER),
    THROTTLED_GET_RECORDS("ThrottledGetRecords", Kind.COUNTER),
    /**
     * Of a stream reading an MSK (Kafka) topic: records and bytes read. AWS's names for these are not
     * published; these are the ones seen in AWS material (metrics spec §1).
     */
    DATA_READ_FROM_SOURCE_RECORDS("DataReadFromSource.Records", Kind.COUNTER),
    DATA_READ_FROM_SOURCE_BYTES("DataReadFromSource.Bytes", Kind.COUNTER),
    /** Records of the topic not read yet, summed over its partitions, as of the last read. */
    KAFKA_OFFSET_LAG("KafkaOffsetLag", Kind.GAUGE);

    private final String firehoseName;
    private final Kind kind;

    StreamMetric(String firehoseName, Kind kind) {
        this.firehoseName = firehoseName;
        this.kind = kind;
    }

    @Override
    public String firehoseName() {
        return firehoseName;
    }

    @Override
    public Kind kind() {
        return kind;
    }
}
