package io.sluice.api;

import java.util.Arrays;
import java.util.Optional;

/** The twelve operations of Firehose API 2015-08-04, selected by {@code X-Amz-Target}. */
public enum Operation {
    CREATE_DELIVERY_STREAM("CreateDeliveryStream"),
    DELETE_DELIVERY_STREAM("DeleteDeliveryStream"),
    DESCRIBE_DELIVERY_STREAM("DescribeDeliveryStream"),
    LIST_DELIVERY_STREAMS("ListDeliveryStreams"),
    LIST_TAGS_FOR_DELIVERY_STREAM("ListTagsForDeliveryStream"),
    PUT_RECORD("PutRecord"),
    PUT_RECORD_BATCH("PutRecordBatch"),
    START_DELIVERY_STREAM_ENCRYPTION("StartDeliveryStreamEncryption"),
    STOP_DELIVERY_STREAM_ENCRYPTION("StopDeliveryStreamEncryption"),
    TAG_DELIVERY_STREAM("TagDeliveryStream"),
    UNTAG_DELIVERY_STREAM("UntagDeliveryStream"),
    UPDATE_DESTINATION("UpdateDestination");

    /** The {@code targetPrefix} of the service model. */
    public static final String TARGET_PREFIX = "Firehose_20150804.";

    private final String modelName;

    Operation(String modelName) {
        this.modelName = modelName;
    }

    /** The operation's name in the service model, e.g. {@code PutRecordBatch}. */
    public String modelName() {
        return modelName;
    }

    public static Optional<Operation> fromTarget(String target) {
        if (target == null || !target.startsWith(TARGET_PREFIX)) {
            return Optional.empty();
        }
        String name = target.substring(TARGET_PREFIX.length());
        return Arrays.stream(values()).filter(o -> o.modelName.equals(name)).findFirst();
    }
}
