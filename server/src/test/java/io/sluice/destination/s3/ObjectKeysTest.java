package io.sluice.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.DataSize;
import io.sluice.destination.BufferingHints;
import io.sluice.processor.Processing;
import io.sluice.processor.ProcessorSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObjectKeysTest {
    private static final Instant AT = Instant.parse("2018-08-27T10:30:05Z");
    private static final UUID FIRST = UUID.fromString("bb8365b1-4ac9-442a-961d-d1fc07933b43");
    private static final UUID SECOND = UUID.fromString("046b6c7f-0b8a-43b9-b35d-6489e6daee91");
    private static final UUID THIRD = UUID.fromString("5abf82da-aa5e-4c7e-a5f0-2b1c0c4a9a10");

    static Supplier<UUID> uuids(UUID... values) {
        Iterator<UUID> next = List.of(values).iterator();
        return next::next;
    }

    static S3DestinationSpec spec(
            Optional<String> prefix,
            Optional<String> errorPrefix,
            CompressionFormat compression,
            Optional<String> fileExtension,
            Optional<String> zone) {
        return new S3DestinationSpec(
                "arn:aws:iam::123456789012:role/firehose",
                "arn:aws:s3:::my-bucket",
                prefix.map(S3Prefix::parse),
                errorPrefix.map(S3Prefix::parse),
                new BufferingHints(DataSize.ofMebibytes(5), Duration.ofSeconds(300)),
                compression,
                S3DestinationSpec.CloudWatchLogging.DISABLED,
                Optional.of(new Processing(
                        Optional.of(true),
                        List.of(new ProcessorSpec(ProcessorSpec.APPEND_DELIMITER_TO_RECORD, Map.of())))),
                false,
                Optional.empty(),
                fileExtension,
                zone,
                Optional.empty());
    }

    private static ObjectKeys keys(S3DestinationSpec spec, UUID... uuids) {
        return ObjectKeys.of("my-stream", 1, spec, uuids(uuids));
    }

    private static S3DestinationSpec plain(CompressionFormat compression) {
        return spec(Optional.empty(), Optional.empty(), compression, Optional.empty(), Optional.empty());
    }

    @Test
    void matchesTheKeyOfARealBucket() {
        ObjectKeys keys = new ObjectKeys(
                "seong-firehose-batch-limit-test",
                1,
                S3Prefix.dataPrefix(Optional.empty(), false),
                S3Prefix.errorPrefix(Optional.empty(), Optional.empty()),
                ZoneOffset.UTC,
                "",
                uuids(FIRST));
        assertThat(keys.dataKey(Instant.parse("2019-10-01T09:20:18.734Z")))
                .isEqualTo("2019/10/01/09/seong-firehose-batch-limit-test-1-2019-10-01-09-20-18-"
                        + "bb8365b1-4ac9-442a-961d-d1fc07933b43");
    }

    @Test
    void defaultPrefixAndSuffixAreInUtc() {
        assertThat(keys(plain(CompressionFormat.UNCOMPRESSED), FIRST).dataKey(AT))
                .isEqualTo("2018/08/27/10/my-stream-1-2018-08-27-10-30-05-" + FIRST);
    }

    @Test
    void customTimeZoneAppliesToPrefixAndSuffix() {
        S3DestinationSpec tokyo = spec(
                Optional.empty(),
                Optional.empty(),
                CompressionFormat.GZIP,
                Optional.empty(),
                Optional.of("Asia/Tokyo"));
        assertThat(keys(tokyo, FIRST).dataKey(AT))
                .isEqualTo("2018/08/27/19/my-stream-1-2018-08-27-19-30-05-" + FIRST + ".gz");
        S3DestinationSpec newYork = spec(
                Optional.of("logs/!{timestamp:yyyy-MM-dd}/"),
                Optional.of("errors/!{firehose:error-output-type}/"),
                CompressionFormat.UNCOMPRESSED,
                Optional.empty(),
                Optional.of("America/New_York"));
        assertThat(keys(newYork, FIRST).dataKey(Instant.parse("2018-08-27T02:00:00Z")))
                .isEqualTo("logs/2018-08-26/my-stream-1-2018-08-26-22-00-00-" + FIRST);
    }

    @Test
    void emptyTimeZoneIsUtc() {
        S3DestinationSpec spec = spec(
                Optional.empty(), Optional.empty(), CompressionFormat.UNCOMPRESSED, Optional.empty(), Optional.of(""));
        assertThat(keys(spec, FIRST).dataKey(AT)).startsWith("2018/08/27/10/");
    }

    @Test
    void staticPrefixIsGluedToTimeFoldersAndName() {
        S3DestinationSpec spec = spec(
                Optional.of("logs/"),
                Optional.empty(),
                CompressionFormat.UNCOMPRESSED,
                Optional.empty(),
                Optional.empty());
        assertThat(keys(spec, FIRST).dataKey(AT))
                .isEqualTo("logs/2018/08/27/10/my-stream-1-2018-08-27-10-30-05-" + FIRST);
    }

    @Test
    void streamVersionIsInTheName() {
        ObjectKeys keys = ObjectKeys.of("my-stream", 7, plain(CompressionFormat.UNCOMPRESSED), uuids(FIRST));
        assertThat(keys.dataKey(AT)).isEqualTo("2018/08/27/10/my-stream-7-2018-08-27-10-30-05-" + FIRST);
    }

    @Test
    void randomStringsAreElevenCharactersOfFreshUuidsAndTheNameHasAnotherOne() {
        S3DestinationSpec spec = spec(
                Optional.of("a=!{firehose:random-string}/b=!{firehose:random-string}/!{timestamp:yyyy}/"),
                Optional.of("e/!{firehose:error-output-type}/"),
                CompressionFormat.UNCOMPRESSED,
                Optional.empty(),
                Optional.empty());
        assertThat(keys(spec, SECOND, THIRD, FIRST).dataKey(AT))
                .isEqualTo("a=046b6c7f-0b/b=5abf82da-aa/2018/my-stream-1-2018-08-27-10-30-05-" + FIRST);
    }

    @ParameterizedTest
    @CsvSource({"UNCOMPRESSED,''", "GZIP,.gz", "ZIP,.zip", "SNAPPY,.snappy", "HADOOP_SNAPPY,.snappy"})
    void defaultExtensionFollowsCompression(CompressionFormat compression, String extension) {
        assertThat(keys(plain(compression), FIRST).dataKey(AT)).endsWith(FIRST + extension);
    }

    @Test
    void fileExtensionReplacesTheDefault() {
        S3DestinationSpec spec = spec(
                Optional.empty(), Optional.empty(), CompressionFormat.GZIP, Optional.of(".json.gz"), Optional.empty());
        assertThat(keys(spec, FIRST).dataKey(AT)).endsWith(FIRST + ".json.gz");
        S3DestinationSpec empty =
                spec(Optional.empty(), Optional.empty(), CompressionFormat.GZIP, Optional.of(""), Optional.empty());
        assertThat(keys(empty, FIRST).dataKey(AT)).endsWith(FIRST + ".gz");
    }

    @Test
    void errorKeysUseTheErrorOutputPrefix() {
        S3DestinationSpec spec = spec(
                Optional.of("myPrefix/year=!{timestamp:yyyy}/"),
                Optional.of("myErrors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/"),
                CompressionFormat.GZIP,
                Optional.empty(),
                Optional.empty());
        assertThat(keys(spec, FIRST).errorKey(AT, ErrorOutputType.PROCESSING_FAILED))
                .isEqualTo("myErrors/processing-failed/2018/08/27/my-stream-1-2018-08-27-10-30-05-" + FIRST + ".gz");
    }

    @Test
    void defaultErrorPrefixIsTypeThenTimeFoldersAfterThePrefix() {
        S3DestinationSpec spec = spec(
                Optional.of("data/"),
                Optional.empty(),
                CompressionFormat.UNCOMPRESSED,
                Optional.empty(),
                Optional.empty());
        assertThat(keys(spec, FIRST).errorKey(AT, ErrorOutputType.HTTP_ENDPOINT_FAILED))
                .isEqualTo("data/http-endpoint-failed/2018/08/27/10/my-stream-1-2018-08-27-10-30-05-" + FIRST);
        assertThat(keys(plain(CompressionFormat.UNCOMPRESSED), FIRST).errorKey(AT, ErrorOutputType.OPENSEARCH_FAILED))
                .startsWith("AmazonOpenSearchService-failed/2018/08/27/10/my-stream-1-");
    }

    @Test
    void prefixOfAtMost512CharactersIsKeptWhole() {
        String literal = "p".repeat(ObjectKeys.MAX_PREFIX_LENGTH - "2018/".length());
        S3DestinationSpec spec = spec(
                Optional.of(literal + "!{timestamp:yyyy}/"),
                Optional.of("e/!{firehose:error-output-type}/"),
                CompressionFormat.UNCOMPRESSED,
                Optional.empty(),
                Optional.empty());
        assertThat(keys(spec, FIRST).dataKey(AT)).startsWith(literal + "2018/my-stream-1-");
    }

    @Test
    void prefixOver512CharactersNamesNoObject() {
        String literal = "p".repeat(ObjectKeys.MAX_PREFIX_LENGTH - "2018/".length() + 1);
        S3DestinationSpec spec = spec(
                Optional.of(literal + "!{timestamp:yyyy}/"),
                Optional.of("e/!{firehose:error-output-type}/"),
                CompressionFormat.UNCOMPRESSED,
                Optional.empty(),
                Optional.empty());
        assertThatThrownBy(() -> keys(spec, FIRST).dataKey(AT))
                .isInstanceOfSatisfying(PrefixTooLongException.class, e -> {
                    assertThat(e.length()).isEqualTo(513);
                    assertThat(e.errorCode()).isEqualTo("S3.PrefixTooLong");
                })
                .hasMessage("Prefix evaluates to 513 characters; at most 512 are allowed.");
    }

    @Test
    void randomKeysHaveAwsShape() {
        ObjectKeys keys = ObjectKeys.of("s", 3, plain(CompressionFormat.ZIP), UUID::randomUUID);
        assertThat(keys.dataKey(AT))
                .matches("2018/08/27/10/s-3-2018-08-27-10-30-05-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}"
                        + "-[0-9a-f]{12}\\.zip");
        assertThat(keys.dataKey(AT)).isNotEqualTo(keys.dataKey(AT));
    }
}
