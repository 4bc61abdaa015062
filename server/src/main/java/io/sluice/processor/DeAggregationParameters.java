package io.sluice.processor;

import static io.sluice.processor.ProcessorSpec.invalid;
import static java.util.Objects.requireNonNull;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * The parameters of a {@code RecordDeAggregation} processor (delivery spec §6.2): the kind of the
 * sub-records ({@code SubRecordType} {@code JSON} or {@code DELIMITED}) and, for {@code DELIMITED} only,
 * the {@code Delimiter} between them, given base64-encoded ({@code ####} is {@code IyMjIw==}).
 */
public record DeAggregationParameters(SubRecordType subRecordType, Optional<String> delimiter) {
    public static final String TYPE = "RecordDeAggregation";
    public static final String SUB_RECORD_TYPE = "SubRecordType";
    public static final String DELIMITER = "Delimiter";
    /** The parameters in the order Describe lists them. */
    private static final List<String> NAMES = List.of(SUB_RECORD_TYPE, DELIMITER);

    public enum SubRecordType {
        /** Consecutive JSON objects, with or without white space (newlines) between them. */
        JSON,
        /** Parts between occurrences of the delimiter. */
        DELIMITED
    }

    /** @param delimiter the delimiter as given (base64 of at least one byte); only for {@code DELIMITED} */
    public DeAggregationParameters {
        requireNonNull(subRecordType, "subRecordType is null");
        requireNonNull(delimiter, "delimiter is null");
        if (delimiter.isPresent() != (subRecordType == SubRecordType.DELIMITED)) {
            throw new IllegalArgumentException("a delimiter goes with DELIMITED sub-records, and only with them");
        }
        delimiter.ifPresent(DeAggregationParameters::decode);
    }

    /**
     * The parameters of {@code processor}, a {@code RecordDeAggregation} processor.
     *
     * @throws io.sluice.common.FirehoseException {@code InvalidArgumentException} for a missing or unknown
     *     {@code SubRecordType}, a missing {@code Delimiter} for {@code DELIMITED} or one given for
     *     {@code JSON}, a delimiter that is not base64 of at least one byte, or a parameter de-aggregation
     *     does not take
     */
    public static DeAggregationParameters of(ProcessorSpec processor) {
        processor.requireParametersAmong(NAMES);
        String type = processor.requiredParameter(SUB_RECORD_TYPE);
        Optional<String> delimiter = Optional.ofNullable(processor.parameters().get(DELIMITER));
        switch (type) {
            case "JSON" -> {
                if (delimiter.isPresent()) {
                    throw invalid("Processor parameter Delimiter is only supported when SubRecordType is DELIMITED.");
                }
                return new DeAggregationParameters(SubRecordType.JSON, delimiter);
            }
            case "DELIMITED" -> {
                if (delimiter.isEmpty()) {
                    throw invalid("Processor parameter Delimiter is required when SubRecordType is DELIMITED.");
                }
                return new DeAggregationParameters(SubRecordType.DELIMITED, delimiter);
            }
            default -> throw invalid("Processor parameter SubRecordType must be JSON or DELIMITED: " + type);
        }
    }

    /** The parameters of {@code processor} as DescribeDeliveryStream lists them: as given, in AWS's order. */
    public static SequencedMap<String, String> described(ProcessorSpec processor) {
        DeAggregationParameters parameters = of(processor);
        SequencedMap<String, String> described = new LinkedHashMap<>();
        described.put(SUB_RECORD_TYPE, parameters.subRecordType.name());
        parameters.delimiter.ifPresent(d -> described.put(DELIMITER, d));
        return described;
    }

    /** The delimiter's bytes; empty for {@code JSON} sub-records. */
    public byte[] delimiterBytes() {
        return delimiter.map(DeAggregationParameters::decode).orElseGet(() -> new byte[0]);
    }

    private static byte[] decode(String delimiter) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(delimiter.strip());
        } catch (IllegalArgumentException e) {
            bytes = new byte[0];
        }
        if (bytes.length == 0) {
            throw invalid(
                    "Processor parameter Delimiter must be the base64 encoding of at least one byte: " + delimiter);
        }
        return bytes;
    }
}
