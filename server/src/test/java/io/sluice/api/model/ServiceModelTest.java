package io.sluice.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ServiceModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ServiceModel model = ServiceModel.firehose();

    @Test
    void listsTheTwelveFirehoseOperationsInModelOrder() {
        assertThat(model.operations())
                .extracting(Operation::name)
                .containsExactly(
                        "CreateDeliveryStream",
                        "DeleteDeliveryStream",
                        "DescribeDeliveryStream",
                        "ListDeliveryStreams",
                        "ListTagsForDeliveryStream",
                        "PutRecord",
                        "PutRecordBatch",
                        "StartDeliveryStreamEncryption",
                        "StopDeliveryStreamEncryption",
                        "TagDeliveryStream",
                        "UntagDeliveryStream",
                        "UpdateDestination");
        assertThat(model.operation("PutRecordBatch").orElseThrow().input().name())
                .isEqualTo("PutRecordBatchInput");
        assertThat(model.operation("PutRecordBatch").orElseThrow().output().name())
                .isEqualTo("PutRecordBatchOutput");
        assertThat(model.operation("putRecordBatch")).isEmpty();
    }

    @Test
    void keepsConstraintsMembersAndOrderFromTheModel() {
        StringShape name = (StringShape) model.shape("DeliveryStreamName").orElseThrow();
        assertThat(name.length()).isEqualTo(new LengthRange(OptionalLong.of(1), OptionalLong.of(64)));
        assertThat(name.pattern().orElseThrow().pattern()).isEqualTo("[a-zA-Z0-9_.-]+");

        BlobShape data = (BlobShape) model.shape("Data").orElseThrow();
        assertThat(data.length().max()).hasValue(1_024_000);

        StructureShape batch = model.operation("PutRecordBatch").orElseThrow().input();
        assertThat(batch.members()).extracting(Member::name).containsExactly("DeliveryStreamName", "Records");
        assertThat(batch.members()).allMatch(Member::required);
        ListShape records = (ListShape) batch.members().get(1).target();
        assertThat(records.length()).isEqualTo(new LengthRange(OptionalLong.of(1), OptionalLong.of(500)));
        assertThat(records.member().name()).isEqualTo("Record");

        IntegerShape size = (IntegerShape) model.shape("SizeInMBs").orElseThrow();
        assertThat(size.range().max()).hasValue(BigDecimal.valueOf(128));

        MapShape mappings = (MapShape) model.shape("ColumnToJsonKeyMappings").orElseThrow();
        assertThat(mappings.key().name()).isEqualTo("NonEmptyStringWithoutWhitespace");

        StringShape compression = (StringShape) model.shape("CompressionFormat").orElseThrow();
        assertThat(compression.enumValues()).containsExactly("UNCOMPRESSED", "GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY");

        assertThat(((StringShape) model.shape("SnowflakePrivateKey").orElseThrow()).sensitive())
                .isTrue();
        assertThat(new Member("RoleARN", name, false).pathName()).isEqualTo("roleARN");
    }

    @Test
    void readsAWellFormedDerivedModel() {
        ServiceModel small = ServiceModel.fromJson(json("""
                {"operations": {"Op": {"input": "In", "output": "Out"}},
                 "shapes": {
                   "In": {"type": "structure", "members": {"Name": {"shape": "Name"}}, "required": ["Name"]},
                   "Out": {"type": "structure", "members": {}},
                   "Name": {"type": "string", "min": 1, "max": 3, "pattern": "[a-z]+"}}}
                """));
        assertThat(small.operation("Op")
                        .orElseThrow()
                        .input()
                        .members()
                        .getFirst()
                        .required())
                .isTrue();
    }

    @Test
    void refusesMalformedModels() {
        String valid = """
                {"operations": {"Op": {"input": "In", "output": "In"}},
                 "shapes": {"In": {"type": "structure", "members": {"A": {"shape": "S"}}}, %s}}
                """;
        assertMalformed(valid.formatted("\"S\": {\"type\": \"string\", \"documentation\": \"x\"}"), "unknown key");
        assertMalformed(valid.formatted("\"S\": {\"type\": \"long\"}"), "unsupported type long");
        assertMalformed(valid.formatted("\"T\": {\"type\": \"string\"}"), "S is referenced but not defined");
        assertMalformed(valid.formatted("\"S\": {\"type\": \"string\", \"pattern\": \"[a-\"}"), "does not compile");
        assertMalformed(valid.formatted("\"S\": {\"type\": \"string\", \"min\": 5, \"max\": 4}"), "above max");
        assertMalformed(valid.formatted("\"S\": {\"type\": \"string\", \"max\": 1.5}"), "not a whole number");
        assertMalformed(valid.formatted("\"S\": {\"type\": \"string\", \"enum\": [\"A\", \"A\"]}"), "repeats");
        assertMalformed(
                valid.formatted(
                        "\"S\": {\"type\": \"map\", \"key\": {\"shape\": \"In\"}, \"value\": {\"shape\": \"In\"}}"),
                "recursive");
        assertMalformed(
                valid.formatted("\"S\": {\"type\": \"list\", \"member\": {\"shape\": \"S\"}}"), "S is recursive");
        assertMalformed("""
                {"operations": {"Op": {"input": "S", "output": "S"}}, "shapes": {"S": {"type": "string"}}}
                """, "not a structure shape");
        assertMalformed("""
                {"operations": {}, "shapes": {"In": {"type": "structure", "members": {}, "required": ["A"]}}}
                """, "requires A, which is not a member");
        assertMalformed("{\"operations\": {}}", "shapes is not a JSON object");
    }

    private static void assertMalformed(String derived, String reason) {
        assertThatThrownBy(() -> ServiceModel.fromJson(json(derived)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
