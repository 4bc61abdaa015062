package io.sluice.api.model;

import static io.sluice.common.ErrorCode.SERIALIZATION;
import static io.sluice.common.ErrorCode.VALIDATION;
import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RequestValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ROLE = "arn:aws:iam::123456789012:role/firehose";
    private static final String BUCKET = "arn:aws:s3:::bucket";
    private static final String PREFIX_1 = "1 validation error detected: ";

    private final ServiceModel model = ServiceModel.firehose();
    private final RequestValidator validator = new RequestValidator();

    @Test
    void acceptsValidRequests() {
        assertValid("PutRecord", "{\"DeliveryStreamName\": \"s\", \"Record\": {\"Data\": \"Zm9v\"}}");
        assertValid("ListDeliveryStreams", "{}");
        assertValid("DescribeDeliveryStream", "{\"DeliveryStreamName\": \"a-b_c.1\", \"Limit\": 10000}");
        assertValid("CreateDeliveryStream", """
                {"DeliveryStreamName": "s", "ExtendedS3DestinationConfiguration": {
                  "RoleARN": "%s", "BucketARN": "%s",
                  "BufferingHints": {"SizeInMBs": 128, "IntervalInSeconds": 0},
                  "DataFormatConversionConfiguration": {"OutputFormatConfiguration": {"Serializer": {"OrcSerDe": {
                    "BloomFilterFalsePositiveProbability": 0.05, "PaddingTolerance": 1}}}},
                  "ProcessingConfiguration": {"Enabled": true, "Processors": [{"Type": "Lambda", "Parameters": [
                    {"ParameterName": "LambdaArn", "ParameterValue": "arn:aws:lambda:us-east-1:123456789012:function:f"}]}]}},
                 "Tags": [{"Key": "team", "Value": "data"}]}
                """.formatted(ROLE, BUCKET));
    }

    @Test
    void reportsAMissingRequiredMember() {
        assertValidation(
                "DescribeDeliveryStream",
                "{}",
                PREFIX_1 + "Value null at 'deliveryStreamName' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void treatsJsonNullAsAbsentAndIgnoresUnknownMembers() {
        assertValid("DescribeDeliveryStream", "{\"DeliveryStreamName\": \"s\", \"Limit\": null, \"Extra\": [1, {}]}");
        assertValidation(
                "DescribeDeliveryStream",
                "{\"DeliveryStreamName\": null}",
                PREFIX_1 + "Value null at 'deliveryStreamName' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void matchesMemberNamesCaseSensitively() {
        assertValidation(
                "DescribeDeliveryStream",
                "{\"deliveryStreamName\": \"s\"}",
                PREFIX_1 + "Value null at 'deliveryStreamName' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void reportsMaxLength() {
        String name = "a".repeat(65);
        assertValidation(
                "DeleteDeliveryStream",
                "{\"DeliveryStreamName\": \"" + name + "\"}",
                PREFIX_1
                        + "Value '" + name + "' at 'deliveryStreamName' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 64");
    }

    @Test
    void reportsMinLengthBeforeThePatternOfTheSameValue() {
        assertValidation(
                "DeleteDeliveryStream",
                "{\"DeliveryStreamName\": \"\"}",
                "2 validation errors detected: "
                        + "Value '' at 'deliveryStreamName' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 1; "
                        + "Value '' at 'deliveryStreamName' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    }

    @Test
    void reportsTheLengthAndThePatternOfAnOverLongValueThatBreaksBoth() {
        String name = "!".repeat(70);
        assertValidation(
                "DeleteDeliveryStream",
                "{\"DeliveryStreamName\": \"" + name + "\"}",
                "2 validation errors detected: "
                        + "Value '" + name + "' at 'deliveryStreamName' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 64; "
                        + "Value '" + name + "' at 'deliveryStreamName' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    }

    @Test
    void matchesPatternsOfOverLongValuesUpTo1024CharactersOnly() {
        String longest = "!".repeat(Constraints.PATTERN_INPUT_LIMIT);
        assertThat(failure("DeleteDeliveryStream", NODES.objectNode().put("DeliveryStreamName", longest))
                        .getMessage())
                .startsWith("2 validation errors detected: ")
                .endsWith("Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        assertThat(failure("DeleteDeliveryStream", NODES.objectNode().put("DeliveryStreamName", longest + "!"))
                        .getMessage())
                .startsWith(PREFIX_1)
                .endsWith("Member must have length less than or equal to 64");
    }

    @Test
    void matchesTheRecursiveJdbcUrlPatternOnTheLongestValueItIsRunOnWithinAVirtualThreadsStack()
            throws InterruptedException {
        String url = "jdbc:redshift://" + "a.".repeat((Constraints.PATTERN_INPUT_LIMIT - 16) / 2);
        ObjectNode body = NODES.objectNode().put("DeliveryStreamName", "s");
        ObjectNode redshift = body.putObject("RedshiftDestinationConfiguration")
                .put("RoleARN", ROLE)
                .put("ClusterJDBCURL", url);
        redshift.putObject("CopyCommand").put("DataTableName", "t");
        redshift.putObject("S3Configuration").put("RoleARN", ROLE).put("BucketARN", BUCKET);
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        Thread.ofVirtual()
                .start(() -> {
                    try {
                        validator.validate(operation("CreateDeliveryStream"), body);
                    } catch (Throwable t) {
                        thrown.add(t);
                    }
                })
                .join();

        assertThat(url).hasSize(Constraints.PATTERN_INPUT_LIMIT);
        assertThat(thrown)
                .singleElement()
                .isInstanceOf(FirehoseException.class)
                .extracting(Throwable::getMessage, as(InstanceOfAssertFactories.STRING))
                .contains("at 'redshiftDestinationConfiguration.clusterJDBCURL' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 512; ")
                .contains("at 'redshiftDestinationConfiguration.clusterJDBCURL' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: jdbc:");
    }

    @Test
    void matchesPatternsAgainstTheWholeValue() {
        assertValidation(
                "DeleteDeliveryStream",
                "{\"DeliveryStreamName\": \"my\\nstream\"}",
                PREFIX_1
                        + "Value 'my\nstream' at 'deliveryStreamName' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        assertValidation(
                "DeleteDeliveryStream",
                "{\"DeliveryStreamName\": \"ok then\"}",
                PREFIX_1
                        + "Value 'ok then' at 'deliveryStreamName' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    }

    @Test
    void countsStringLengthInCodePoints() {
        String emoji = "\uD83D\uDE00";
        assertValid("CreateDeliveryStream", extendedS3("\"Prefix\": \"" + emoji.repeat(1024) + "\""));
        assertThat(failure("CreateDeliveryStream", parse(extendedS3("\"Prefix\": \"" + emoji.repeat(1025) + "\"")))
                        .getMessage())
                .endsWith("at 'extendedS3DestinationConfiguration.prefix' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 1024");
    }

    @Test
    void reportsMinAndMaxValue() {
        assertValidation(
                "DescribeDeliveryStream",
                "{\"DeliveryStreamName\": \"s\", \"Limit\": 0}",
                PREFIX_1
                        + "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        assertValidation(
                "DescribeDeliveryStream",
                "{\"DeliveryStreamName\": \"s\", \"Limit\": 10001}",
                PREFIX_1
                        + "Value '10001' at 'limit' failed to satisfy constraint: "
                        + "Member must have value less than or equal to 10000");
    }

    @Test
    void reportsDoubleBoundsAndNaNBreakingBoth() {
        String orc = "extendedS3DestinationConfiguration.dataFormatConversionConfiguration"
                + ".outputFormatConfiguration.serializer.orcSerDe.bloomFilterFalsePositiveProbability";
        assertValidation(
                "CreateDeliveryStream",
                withOrcProbability("1.5"),
                PREFIX_1
                        + "Value '1.5' at '" + orc + "' failed to satisfy constraint: "
                        + "Member must have value less than or equal to 1");
        assertValidation(
                "CreateDeliveryStream",
                withOrcProbability("\"NaN\""),
                "2 validation errors detected: Value 'NaN' at '" + orc + "' failed to satisfy constraint: "
                        + "Member must have value less than or equal to 1; Value 'NaN' at '" + orc
                        + "' failed to satisfy constraint: Member must have value greater than or equal to 0");
        assertValidation(
                "CreateDeliveryStream",
                withOrcProbability("\"-Infinity\""),
                PREFIX_1
                        + "Value '-Infinity' at '" + orc + "' failed to satisfy constraint: "
                        + "Member must have value greater than or equal to 0");
    }

    @Test
    void reportsEnumValuesInModelOrder() {
        assertValidation(
                "ListDeliveryStreams",
                "{\"DeliveryStreamType\": \"directput\"}",
                PREFIX_1
                        + "Value 'directput' at 'deliveryStreamType' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [DirectPut, KinesisStreamAsSource, MSKAsSource, DatabaseAsSource]");
    }

    @Test
    void reportsListSizeWithTheListRendered() {
        assertValidation(
                "PutRecordBatch",
                "{\"DeliveryStreamName\": \"s\", \"Records\": []}",
                PREFIX_1
                        + "Value '[]' at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1");

        ArrayNode records = NODES.arrayNode();
        IntStream.range(0, 501).forEach(i -> records.addObject().put("Data", "QQ=="));
        String rendered = IntStream.range(0, 501)
                .mapToObj(i -> "Record(data=java.nio.HeapByteBuffer[pos=0 lim=1 cap=1])")
                .collect(Collectors.joining(", ", "[", "]"));
        assertValidation(
                "PutRecordBatch",
                NODES.objectNode().put("DeliveryStreamName", "s").set("Records", records),
                PREFIX_1 + "Value '" + rendered.substring(0, 1024) + "...' at 'records' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 500");
    }

    @Test
    void reportsAnOversizedRecordAtItsListPath() {
        ArrayNode records = NODES.arrayNode();
        IntStream.range(0, 97).forEach(i -> records.addObject().put("Data", "QUJD"));
        records.set(96, NODES.objectNode().put("Data", base64(1_024_001)));
        assertValidation(
                "PutRecordBatch",
                NODES.objectNode().put("DeliveryStreamName", "s").set("Records", records),
                PREFIX_1 + "Value 'java.nio.HeapByteBuffer[pos=0 lim=1024001 cap=1024001]' at 'records.97.member.data' "
                        + "failed to satisfy constraint: Member must have length less than or equal to 1024000");
    }

    @Test
    void countsBlobLengthInDecodedBytes() {
        ObjectNode body = NODES.objectNode().put("DeliveryStreamName", "s");
        body.putObject("Record").put("Data", base64(1_024_000));
        assertValid("PutRecord", body);
        body.putObject("Record").put("Data", base64(1_024_001));
        assertValidation(
                "PutRecord",
                body,
                PREFIX_1
                        + "Value 'java.nio.HeapByteBuffer[pos=0 lim=1024001 cap=1024001]' at 'record.data' "
                        + "failed to satisfy constraint: Member must have length less than or equal to 1024000");
    }

    @Test
    void reportsNestedListItemsOfProcessors() {
        String path = "extendedS3DestinationConfiguration.processingConfiguration.processors";
        assertValidation(
                "CreateDeliveryStream",
                withProcessors("[{\"Type\": \"Lambda\"}, {\"Type\": \"Bogus\", \"Parameters\": "
                        + "[{\"ParameterName\": \"LambdaArn\", \"ParameterValue\": \"x\"}, "
                        + "{\"ParameterName\": \"Delimiter\", \"ParameterValue\": \"\"}, {}]}]"),
                "5 validation errors detected: "
                        + "Value 'Bogus' at '" + path + ".2.member.type' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [RecordDeAggregation, Decompression, "
                        + "CloudWatchLogProcessing, Lambda, MetadataExtraction, AppendDelimiterToRecord]; "
                        + "Value '' at '" + path + ".2.member.parameters.2.member.parameterValue' failed to satisfy "
                        + "constraint: Member must have length greater than or equal to 1; "
                        + "Value '' at '" + path + ".2.member.parameters.2.member.parameterValue' failed to satisfy "
                        + "constraint: Member must satisfy regular expression pattern: ^(?!\\s*$).+; "
                        + "Value null at '" + path + ".2.member.parameters.3.member.parameterName' failed to satisfy "
                        + "constraint: Member must not be null; "
                        + "Value null at '" + path + ".2.member.parameters.3.member.parameterValue' failed to satisfy "
                        + "constraint: Member must not be null");
    }

    @Test
    void reportsTagConstraints() {
        assertValidation(
                "TagDeliveryStream",
                "{\"DeliveryStreamName\": \"s\", \"Tags\": [{\"Key\": \"aws:team\", \"Value\": \"a\"}, {\"Value\": \"b\"}]}",
                "2 validation errors detected: "
                        + "Value 'aws:team' at 'tags.1.member.key' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: ^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@%]*$; "
                        + "Value null at 'tags.2.member.key' failed to satisfy constraint: Member must not be null");

        ArrayNode tags = NODES.arrayNode();
        IntStream.range(0, 51).forEach(i -> tags.addObject().put("Key", "k" + i));
        FirehoseException tooMany = failure(
                "TagDeliveryStream",
                NODES.objectNode().put("DeliveryStreamName", "s").set("Tags", tags));
        assertThat(tooMany.code()).isEqualTo(VALIDATION);
        assertThat(tooMany.getMessage())
                .startsWith(PREFIX_1 + "Value '[Tag(key=k0), Tag(key=k1), ")
                .endsWith("' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
    }

    @Test
    void reportsBrokenScalarListItemsOnceForTheWholeList() {
        assertValidation(
                "UntagDeliveryStream",
                "{\"DeliveryStreamName\": \"s\", \"TagKeys\": [\"\", \"ok\", \"aws:x\"]}",
                PREFIX_1 + "Value '[, ok, aws:x]' at 'tagKeys' failed to satisfy constraint: Member must satisfy "
                        + "constraint: [Member must have length less than or equal to 128, Member must have length "
                        + "greater than or equal to 1, Member must satisfy regular expression pattern: "
                        + "^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@%]*$]");
    }

    @Test
    void reportsMapKeysAndValuesOnceEachKeysFirst() {
        String path = "extendedS3DestinationConfiguration.dataFormatConversionConfiguration"
                + ".inputFormatConfiguration.deserializer.openXJsonSerDe.columnToJsonKeyMappings";
        String rules = "[Member must have length less than or equal to 1024, "
                + "Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ";
        assertValidation(
                "CreateDeliveryStream",
                withMappings("{\"ok\": \"   \", \"has space\": \"v\"}"),
                "2 validation errors detected: "
                        + "Value '{ok=   , has space=v}' at '" + path + "' failed to satisfy constraint: "
                        + "Map keys must satisfy constraint: " + rules + "^\\S+$]; "
                        + "Value '{ok=   , has space=v}' at '" + path + "' failed to satisfy constraint: "
                        + "Map value must satisfy constraint: " + rules + "^(?!\\s*$).+]");
        assertValidation(
                "CreateDeliveryStream",
                withMappings("{\"ok\": null}"),
                PREFIX_1 + "Value null at '" + path
                        + ".ok.member' failed to satisfy constraint: Member must not be null");
        assertValid("CreateDeliveryStream", withMappings("{\"ticker\": \"unit price\"}"));
    }

    @Test
    void reportsANullListItemAtItsOwnPath() {
        assertValidation(
                "PutRecordBatch",
                "{\"DeliveryStreamName\": \"s\", \"Records\": [{\"Data\": \"\"}, null]}",
                PREFIX_1 + "Value null at 'records.2.member' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void neverEchoesASensitiveValue() {
        String snowflake = "{\"DeliveryStreamName\": \"s\", \"SnowflakeDestinationConfiguration\": {"
                + "\"AccountUrl\": \"https://acct.snowflakecomputing.com\", \"PrivateKey\": \"secret\","
                + " \"Database\": \"d\", \"Schema\": \"s\", \"Table\": \"t\", \"RoleARN\": \"" + ROLE + "\","
                + " \"S3Configuration\": {\"RoleARN\": \"" + ROLE + "\", \"BucketARN\": \"" + BUCKET + "\"}}}";
        assertValidation(
                "CreateDeliveryStream",
                snowflake,
                "2 validation errors detected: Value at 'snowflakeDestinationConfiguration.privateKey' failed to "
                        + "satisfy constraint: Member must have length greater than or equal to 256; Value at "
                        + "'snowflakeDestinationConfiguration.privateKey' failed to satisfy constraint: Member must "
                        + "satisfy regular expression pattern: "
                        + "^(?:[A-Za-z0-9+\\/]{4})*(?:[A-Za-z0-9+\\/]{2}==|[A-Za-z0-9+\\/]{3}=)?$");
    }

    @Test
    void collectsViolationsAcrossMembersInModelOrder() {
        assertValidation(
                "PutRecordBatch",
                "{\"Records\": [], \"DeliveryStreamName\": \"bad name\"}",
                "2 validation errors detected: "
                        + "Value 'bad name' at 'deliveryStreamName' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
                        + "Value '[]' at 'records' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 1");
    }

    @Test
    void reportsAtMostTenViolationsLikeAws() {
        ArrayNode tags = NODES.arrayNode();
        IntStream.range(0, 30).forEach(i -> tags.addObject().put("Key", "aws:" + i));
        String message = failure(
                        "TagDeliveryStream",
                        NODES.objectNode().put("DeliveryStreamName", "s").set("Tags", tags))
                .getMessage();
        assertThat(message).startsWith("10 validation errors detected: Value 'aws:0' at 'tags.1.member.key'");
        assertThat(message.split("; ")).hasSize(10);
        assertThat(message)
                .endsWith(
                        "Value 'aws:9' at 'tags.10.member.key' failed to satisfy constraint: "
                                + "Member must satisfy regular expression pattern: ^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@%]*$");
    }

    @Test
    void cutsEchoedValuesAt1024Characters() {
        String name = "n".repeat(5_000_000);
        assertValidation(
                "DeleteDeliveryStream",
                NODES.objectNode().put("DeliveryStreamName", name),
                PREFIX_1
                        + "Value '" + "n".repeat(1024) + "...' at 'deliveryStreamName' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 64");
    }

    @Test
    void rejectsBodiesThatAreNotObjects() {
        assertSerialization("ListDeliveryStreams", "[]", "Start of list found where not expected");
        assertSerialization("ListDeliveryStreams", "\"x\"", "Expected null");
        assertSerialization("ListDeliveryStreams", "null", "Request body is not a JSON object");
    }

    @Test
    void rejectsWrongJsonTypesWithCoralMessages() {
        String number = "class com.amazon.coral.value.json.numbers.TruncatingBigNumber";
        assertSerialization(
                "DeleteDeliveryStream", "{\"DeliveryStreamName\": 5}", number + " can not be converted to an String");
        assertSerialization(
                "DeleteDeliveryStream",
                "{\"DeliveryStreamName\": true}",
                "class java.lang.Boolean can not be converted to an String");
        assertSerialization(
                "DeleteDeliveryStream",
                "{\"DeliveryStreamName\": {}}",
                "Start of structure or map found where not expected.");
        assertSerialization(
                "DeleteDeliveryStream", "{\"DeliveryStreamName\": [\"s\"]}", "Start of list found where not expected");
        assertSerialization("PutRecord", "{\"Record\": \"Zm9v\"}", "Expected null");
        assertSerialization("PutRecord", "{\"Record\": [{}]}", "Start of list found where not expected");
        assertSerialization("PutRecordBatch", "{\"Records\": \"x\"}", "Expected list or null");
        assertSerialization(
                "PutRecordBatch", "{\"Records\": {}}", "Start of structure or map found where not expected.");
        assertSerialization("PutRecordBatch", "{\"Records\": [5]}", "Expected null");
        assertSerialization("CreateDeliveryStream", withMappings("[]"), "Start of list found where not expected");
        assertSerialization("CreateDeliveryStream", withMappings("\"a=b\""), "Expected map or null");
        assertSerialization(
                "CreateDeliveryStream", withMappings("{\"a\": 1}"), number + " can not be converted to an String");
    }

    @Test
    void rejectsInvalidBase64WithCoralMessages() {
        assertSerialization(
                "PutRecord",
                record("\"Foo\""),
                "'Foo' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3");
        assertSerialization(
                "PutRecord",
                record("\"=+/=\""),
                "'=+/=' can not be converted to a Blob: Invalid Base64 character: '='");
        assertSerialization(
                "PutRecord",
                record("\"ab!d\""),
                "'ab!d' can not be converted to a Blob: Invalid Base64 character: '!'");
        assertSerialization(
                "PutRecord",
                record("\"+/+=\""),
                "'+/+=' can not be converted to a Blob: Invalid last non-pad Base64 character dectected");
        assertSerialization("PutRecord", record("true"), "class java.lang.Boolean can not be converted to a Blob");
        assertSerialization(
                "PutRecord",
                record("12"),
                "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to a Blob");
    }

    @Test
    void rejectsNumbersThatAreNotIntegers() {
        assertSerialization("DescribeDeliveryStream", limit("1.5"), "'1.5' can not be converted to an Integer");
        assertSerialization(
                "DescribeDeliveryStream", limit("3000000000"), "'3000000000' can not be converted to an Integer");
        assertSerialization(
                "DescribeDeliveryStream", limit("\"5\""), "class java.lang.String can not be converted to an Integer");
        assertSerialization(
                "DescribeDeliveryStream", limit("false"), "class java.lang.Boolean can not be converted to an Integer");
        assertValid("DescribeDeliveryStream", limit("5.0"));
        assertValid("DescribeDeliveryStream", limit("1e2"));
    }

    @Test
    void rejectsNonBooleansAndNonNumericTimestamps() {
        assertSerialization(
                "DeleteDeliveryStream",
                "{\"DeliveryStreamName\": \"s\", \"AllowForceDelete\": \"yes\"}",
                "'YES' can not be converted to an Boolean");
        assertSerialization(
                "DeleteDeliveryStream",
                "{\"DeliveryStreamName\": \"s\", \"AllowForceDelete\": 1}",
                "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Boolean");
        assertValid("CreateDeliveryStream", withMskTimestamp("1700000000.123"));
        assertSerialization(
                "CreateDeliveryStream",
                withMskTimestamp("\"2023-11-14T22:13:20Z\""),
                "'2023-11-14T22:13:20Z' can not be converted to a Timestamp");
        assertSerialization(
                "CreateDeliveryStream", withMskTimestamp("1e300"), "'1.0E300' can not be converted to a Timestamp");
    }

    @Test
    void reportsSerializationBeforeAnyViolation() {
        assertSerialization(
                "PutRecordBatch",
                "{\"DeliveryStreamName\": \"bad name\", \"Records\": [{\"Data\": 5}]}",
                "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to a Blob");
        ArrayNode tags = NODES.arrayNode();
        IntStream.range(0, 30).forEach(i -> tags.addObject().put("Key", "aws:" + i));
        tags.addObject().put("Key", 7);
        FirehoseException late = failure(
                "TagDeliveryStream",
                NODES.objectNode().put("DeliveryStreamName", "s").set("Tags", tags));
        assertThat(late.code()).isEqualTo(SERIALIZATION);
    }

    @Test
    void survivesHostileInput() {
        JsonNode deepArray = NODES.arrayNode();
        JsonNode deepObject = NODES.objectNode();
        for (int i = 0; i < 200_000; i++) {
            deepArray = NODES.arrayNode().add(deepArray);
            deepObject = NODES.objectNode().set("Record", deepObject);
        }
        ObjectNode ignored = NODES.objectNode().put("DeliveryStreamName", "s");
        ignored.set("Unknown", deepArray);
        ignored.set("Other", deepObject);
        ignored.putObject("Record").put("Data", "").set("Nested", deepObject);
        assertValid("PutRecord", ignored);

        assertSerialization(
                "PutRecord",
                NODES.objectNode().put("DeliveryStreamName", "s").set("Record", deepArray),
                "Start of list found where not expected");
        assertSerialization(
                "PutRecordBatch",
                NODES.objectNode().put("DeliveryStreamName", "s").set("Records", deepArray),
                "Start of list found where not expected");

        ArrayNode nulls = NODES.arrayNode();
        IntStream.range(0, 1_000_000).forEach(i -> nulls.addNull());
        FirehoseException many = failure(
                "PutRecordBatch",
                NODES.objectNode().put("DeliveryStreamName", "s").set("Records", nulls));
        assertThat(many.getMessage()).startsWith("10 validation errors detected: Value '[null, null, ");

        assertThat(failure("CreateDeliveryStream", iceberg("arn:" + ":glue:".repeat(1_000_000)))
                        .getMessage())
                .endsWith("at 'icebergDestinationConfiguration.catalogConfiguration.catalogARN' failed to satisfy "
                        + "constraint: Member must have length less than or equal to 512");
        assertThat(failure("CreateDeliveryStream", iceberg("arn:" + ":glue:".repeat(84)))
                        .getMessage())
                .endsWith("Member must satisfy regular expression pattern: "
                        + "arn:.*:glue:.*:\\d{12}:catalog(?:(/[a-z0-9_-]+){1,2})?");
    }

    @Test
    @Timeout(30)
    void handlesNumbersWithHugeExponentsQuickly() {
        for (String number :
                List.of("1E-1000000000", "-1E-1000000000", "0E+1000000000", "0E-1000000000", "1E+1000000000")) {
            BigDecimal value = new BigDecimal(number);
            ObjectNode orc = (ObjectNode) parse(withOrcProbability("0"));
            orc.withObjectProperty("ExtendedS3DestinationConfiguration")
                    .withObjectProperty("DataFormatConversionConfiguration")
                    .withObjectProperty("OutputFormatConfiguration")
                    .withObjectProperty("Serializer")
                    .withObjectProperty("OrcSerDe")
                    .put("BloomFilterFalsePositiveProbability", value)
                    .put("RowIndexStride", value);
            assertThat(failure("CreateDeliveryStream", orc).code()).isIn(SERIALIZATION, VALIDATION);
            ObjectNode msk = (ObjectNode) parse(withMskTimestamp("0"));
            msk.withObjectProperty("MSKSourceConfiguration").put("ReadFromTimestamp", value);
            assertThatCode(() -> validator.validate(operation("CreateDeliveryStream"), msk))
                    .satisfiesAnyOf(
                            thrown -> assertThat(thrown).isNull(),
                            thrown -> assertThat(((FirehoseException) thrown).code())
                                    .isEqualTo(SERIALIZATION));
        }
    }

    private void assertValid(String operation, String body) {
        assertValid(operation, parse(body));
    }

    private void assertValid(String operation, JsonNode body) {
        assertThatCode(() -> validator.validate(operation(operation), body)).doesNotThrowAnyException();
    }

    private void assertValidation(String operation, String body, String message) {
        assertValidation(operation, parse(body), message);
    }

    private void assertValidation(String operation, JsonNode body, String message) {
        assertFailure(operation, body, VALIDATION, message);
    }

    private void assertSerialization(String operation, String body, String message) {
        assertFailure(operation, parse(body), SERIALIZATION, message);
    }

    private void assertSerialization(String operation, JsonNode body, String message) {
        assertFailure(operation, body, SERIALIZATION, message);
    }

    private void assertFailure(String operation, JsonNode body, ErrorCode code, String message) {
        FirehoseException failure = failure(operation, body);
        assertThat(failure.getMessage()).isEqualTo(message);
        assertThat(failure.code()).isEqualTo(code);
    }

    private FirehoseException failure(String operation, JsonNode body) {
        FirehoseException failure =
                catchThrowableOfType(FirehoseException.class, () -> validator.validate(operation(operation), body));
        assertThat(failure).as("a FirehoseException").isNotNull();
        return failure;
    }

    private Operation operation(String name) {
        return model.operation(name).orElseThrow();
    }

    private static String extendedS3(String extra) {
        return "{\"DeliveryStreamName\": \"s\", \"ExtendedS3DestinationConfiguration\": {\"RoleARN\": \"" + ROLE
                + "\", \"BucketARN\": \"" + BUCKET + "\", " + extra + "}}";
    }

    private static String withProcessors(String processors) {
        return extendedS3("\"ProcessingConfiguration\": {\"Enabled\": true, \"Processors\": " + processors + "}");
    }

    private static String withMappings(String mappings) {
        return extendedS3("\"DataFormatConversionConfiguration\": {\"InputFormatConfiguration\": {\"Deserializer\": "
                + "{\"OpenXJsonSerDe\": {\"ColumnToJsonKeyMappings\": " + mappings + "}}}}");
    }

    private static String withOrcProbability(String probability) {
        return extendedS3("\"DataFormatConversionConfiguration\": {\"OutputFormatConfiguration\": {\"Serializer\": "
                + "{\"OrcSerDe\": {\"BloomFilterFalsePositiveProbability\": " + probability + "}}}}");
    }

    private static String withMskTimestamp(String timestamp) {
        return "{\"DeliveryStreamName\": \"s\", \"MSKSourceConfiguration\": {\"MSKClusterARN\": \"arn:aws:kafka:x\", "
                + "\"TopicName\": \"t\", \"AuthenticationConfiguration\": {\"RoleARN\": \"" + ROLE
                + "\", \"Connectivity\": \"PUBLIC\"}, \"ReadFromTimestamp\": " + timestamp + "}}";
    }

    private static ObjectNode iceberg(String catalogArn) {
        ObjectNode body = NODES.objectNode().put("DeliveryStreamName", "s");
        ObjectNode iceberg = body.putObject("IcebergDestinationConfiguration").put("RoleARN", ROLE);
        iceberg.putObject("S3Configuration").put("RoleARN", ROLE).put("BucketARN", BUCKET);
        iceberg.putObject("CatalogConfiguration").put("CatalogARN", catalogArn);
        return body;
    }

    private static String record(String data) {
        return "{\"DeliveryStreamName\": \"s\", \"Record\": {\"Data\": " + data + "}}";
    }

    private static String limit(String limit) {
        return "{\"DeliveryStreamName\": \"s\", \"Limit\": " + limit + "}";
    }

    private static String base64(int bytes) {
        return Base64.getEncoder().encodeToString(new byte[bytes]);
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
