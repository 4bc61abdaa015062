package io.sluice.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import io.sluice.processor.PartitionKeys;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The worked examples of AWS's prefix documentation (delivery spec §4.3), at 2018-08-27T10:30Z. */
class S3PrefixTest {
    private static final Instant AT = Instant.parse("2018-08-27T10:30:00Z");

    private static String evaluate(S3Prefix prefix, String errorType, String... randoms) {
        Iterator<String> random = List.of(randoms).iterator();
        return prefix.evaluate(AT, ZoneOffset.UTC, random::next, errorType, PartitionKeys.NONE);
    }

    @Test
    void defaultPrefixIsHourFoldersInUtc() {
        assertThat(evaluate(S3Prefix.dataPrefix(Optional.empty(), false), "")).isEqualTo("2018/08/27/10/");
        assertThat(S3Prefix.dataPrefix(Optional.empty(), false)
                        .evaluate(AT, ZoneId.of("Asia/Tokyo"), () -> "", "", PartitionKeys.NONE))
                .isEqualTo("2018/08/27/19/");
    }

    @Test
    void staticPrefixGetsTimeFoldersAppendedWithoutSeparator() {
        assertThat(evaluate(S3Prefix.dataPrefix(Optional.of(S3Prefix.parse("logs")), false), ""))
                .isEqualTo("logs2018/08/27/10/");
    }

    @Test
    void errorPrefixExample() {
        S3Prefix error = S3Prefix.parse("myFirehoseFailures/!{firehose:error-output-type}/");
        assertThat(evaluate(S3Prefix.errorPrefix(Optional.empty(), Optional.of(error)), "processing-failed"))
                .isEqualTo("myFirehoseFailures/processing-failed/");
    }

    @Test
    void randomStringAndTimestampExample() {
        S3Prefix prefix =
                S3Prefix.parse("myFirehose/DeliveredYear=!{timestamp:yyyy}/anyMonth/rand=!{firehose:random-string}");
        S3Prefix error = S3Prefix.parse(
                "myFirehoseFailures/!{firehose:error-output-type}/!{timestamp:yyyy}/anyMonth/!{timestamp:dd}");
        S3Prefix.validatePair(Optional.of(prefix), Optional.of(error), false);
        assertThat(evaluate(S3Prefix.dataPrefix(Optional.of(prefix), false), "", "5abf82daaa5"))
                .isEqualTo("myFirehose/DeliveredYear=2018/anyMonth/rand=5abf82daaa5");
        assertThat(evaluate(error, "processing-failed"))
                .isEqualTo("myFirehoseFailures/processing-failed/2018/anyMonth/27");
    }

    @Test
    void hiveStyleExample() {
        S3Prefix prefix = S3Prefix.parse(
                "myPrefix/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/");
        assertThat(evaluate(S3Prefix.dataPrefix(Optional.of(prefix), false), ""))
                .isEqualTo("myPrefix/year=2018/month=08/day=27/hour=10/");
    }

    @Test
    void quotedLiteralsInTimestampPatterns() {
        assertThat(evaluate(S3Prefix.parse("!{timestamp:yyyy'-'MM'-'dd}"), "")).isEqualTo("2018-08-27");
    }

    @Test
    void defaultErrorPrefixFollowsThePrefix() {
        assertThat(evaluate(
                        S3Prefix.errorPrefix(Optional.of(S3Prefix.parse("data/")), Optional.empty()),
                        "http-endpoint-failed"))
                .isEqualTo("data/http-endpoint-failed/2018/08/27/10/");
    }

    @Test
    void rejectsWhatAwsRejects() {
        assertInvalid(
                () -> S3Prefix.validatePair(
                        Optional.of(S3Prefix.parse("!{timestamp:yyyy/MM/dd}")), Optional.empty(), false),
                "Ths supplied prefix(es) do not satisfy the following constraint: ErrorOutputPrefix cannot be null or"
                        + " empty when Prefix contains expressions");
        assertInvalid(
                () -> S3Prefix.validatePair(
                        Optional.of(S3Prefix.parse("a/")), Optional.of(S3Prefix.parse("e/!{timestamp:yyyy}/")), false),
                "ErrorOutputPrefix must contain !{firehose:error-output-type}");
        assertInvalid(() -> S3Prefix.parse("a/!{timestamp:yyyy"), "not terminated");
        assertInvalid(() -> S3Prefix.parse("a/!{firehose:nope}"), "Unknown firehose expression");
        assertInvalid(() -> S3Prefix.parse("a/!{timestamp:yyyy-qqqqqq}"), "Invalid timestamp pattern");
        assertInvalid(() -> S3Prefix.parse("a/!{nocolon}"), "!{namespace:value}");
        assertInvalid(
                () -> S3Prefix.validatePair(
                        Optional.of(S3Prefix.parse("a/!{partitionKeyFromLambda:id}/")),
                        Optional.of(S3Prefix.parse("e/!{partitionKeyFromQuery:id}/!{firehose:error-output-type}")),
                        true),
                "ErrorOutputPrefix cannot contain partitionKeyFromQuery");
        assertInvalid(
                () -> S3Prefix.validatePair(
                        Optional.of(S3Prefix.parse("c=!{partitionKeyFromLambda:c}/")), Optional.empty(), false),
                "Prefix cannot contain partitionKeyFromQuery or partitionKeyFromLambda expressions when dynamic"
                        + " partitioning is not enabled");
        assertInvalid(
                () -> S3Prefix.validatePair(
                        Optional.of(S3Prefix.parse("c=!{partitionKeyFromLambda:c}/")), Optional.empty(), true),
                "ErrorOutputPrefix cannot be null or empty when dynamic partitioning is enabled");
        assertInvalid(
                () -> S3Prefix.validatePair(
                        Optional.of(S3Prefix.parse("data/")),
                        Optional.of(S3Prefix.parse("e/!{firehose:error-output-type}/")),
                        true),
                "Prefix must contain at least one partitionKeyFromQuery or partitionKeyFromLambda expression");
    }

    @Test
    void evaluatesPartitionKeysWithoutAppendingTimeFolders() {
        S3Prefix prefix =
                S3Prefix.parse("customer=!{partitionKeyFromLambda:customer}/year=!{partitionKeyFromQuery:year}/");
        S3Prefix.validatePair(
                Optional.of(prefix), Optional.of(S3Prefix.parse("e/!{firehose:error-output-type}/")), true);
        PartitionKeys keys = PartitionKeys.NONE
                .withLambdaKeys(new TreeMap<>(Map.of("customer", "42")))
                .withQueryKeys(new TreeMap<>(Map.of("year", "2026")));
        assertThat(S3Prefix.dataPrefix(Optional.of(prefix), true).evaluate(AT, ZoneOffset.UTC, () -> "", "", keys))
                .isEqualTo("customer=42/year=2026/");
        assertThat(prefix.partitionKeys(S3Prefix.FROM_LAMBDA)).containsExactly("customer");
        assertThat(prefix.partitionKeys(S3Prefix.FROM_QUERY)).containsExactly("year");
        assertThatThrownBy(() -> prefix.evaluate(AT, ZoneOffset.UTC, () -> "", "", PartitionKeys.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no partition key partitionKeyFromLambda:customer");
    }

    private static void assertInvalid(Runnable action, String message) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(
                        FirehoseException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining(message);
    }
}
