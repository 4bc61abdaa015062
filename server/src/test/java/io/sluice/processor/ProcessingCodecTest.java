package io.sluice.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.common.DataSize;
import io.sluice.common.FirehoseException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcessingCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROLE = "arn:aws:iam::123456789012:role/firehose";
    private static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:transform";
    private static final SupportedProcessors S3 = new SupportedProcessors(
            List.of("Lambda", "AppendDelimiterToRecord"), LambdaDefaults.standard(Optional.of(ROLE)), "S3");
    private static final SupportedProcessors SPLUNK_LIKE = new SupportedProcessors(
            List.of("Lambda"),
            new LambdaDefaults(Optional.empty(), DataSize.ofKibibytes(256), Duration.ofSeconds(60)),
            "Splunk");

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static String lambda(String... parameters) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < parameters.length; i += 2) {
            list.append(list.isEmpty() ? "" : ",")
                    .append("{\"ParameterName\":\"")
                    .append(parameters[i])
                    .append("\",\"ParameterValue\":\"")
                    .append(parameters[i + 1])
                    .append("\"}");
        }
        return "{\"Type\":\"Lambda\",\"Parameters\":[" + list + "]}";
    }

    private static Processing parse(String processors, SupportedProcessors supported) throws Exception {
        return ProcessingCodec.parse(json("{\"Enabled\":true,\"Processors\":[" + processors + "]}"), supported);
    }

    @Test
    void rendersWhatItParsedInOrder() throws Exception {
        JsonNode config = json(
                "{\"Enabled\":false,\"Processors\":[" + lambda("NumberOfRetries", "5", "LambdaArn", FUNCTION) + "]}");
        assertThat(ProcessingCodec.render(ProcessingCodec.parse(config, S3))).isEqualTo(config);
    }

    @Test
    void describesALambdaProcessorWithTheDestinationsDefaultsFilledIn() throws Exception {
        Processing processing = parse(lambda("LambdaArn", FUNCTION + ":prod"), S3);
        assertThat(ProcessingCodec.describe(processing, S3))
                .isEqualTo(json("{\"Enabled\":true,\"Processors\":["
                        + lambda(
                                "LambdaArn",
                                FUNCTION + ":prod",
                                "NumberOfRetries",
                                "3",
                                "RoleArn",
                                ROLE,
                                "BufferSizeInMBs",
                                "1",
                                "BufferIntervalInSeconds",
                                "60")
                        + "]}"));
        assertThat(ProcessingCodec.describe(parse(lambda("LambdaArn", FUNCTION), SPLUNK_LIKE), SPLUNK_LIKE)
                        .toString())
                .contains("{\"ParameterName\":\"BufferSizeInMBs\",\"ParameterValue\":\"0.25\"}")
                .doesNotContain("RoleArn");
        assertThat(ProcessingCodec.describe(parse(lambda("BufferSizeInMBs", "0.2", "LambdaArn", FUNCTION), S3), S3)
                        .toString())
                .contains("{\"ParameterName\":\"BufferSizeInMBs\",\"ParameterValue\":\"0.2\"}");
    }

    @Test
    void keepsWhatTheUserGaveOverTheDefaults() throws Exception {
        ProcessorSpec spec = parse(
                        lambda(
                                "LambdaArn",
                                FUNCTION,
                                "NumberOfRetries",
                                "0",
                                "RoleArn",
                                "arn:aws:iam::123456789012:role/invoker",
                                "BufferSizeInMBs",
                                "0.2",
                                "BufferIntervalInSeconds",
                                "900"),
                        S3)
                .processors()
                .get(0);
        assertThat(LambdaParameters.of(spec, S3.lambda()))
                .isEqualTo(new LambdaParameters(
                        FUNCTION,
                        0,
                        Optional.of("arn:aws:iam::123456789012:role/invoker"),
                        DataSize.ofBytes(209_715),
                        Duration.ofSeconds(900)));
    }

    @Test
    void refusesBadLambdaParametersInAwsWords() {
        assertThatThrownBy(() -> parse(lambda("NumberOfRetries", "3"), S3))
                .isInstanceOf(FirehoseException.class)
                .hasMessage("Processor parameter LambdaArn is required for processor type Lambda.");
        assertThatThrownBy(() -> parse(lambda("LambdaArn", "arn:aws:s3:::bucket"), S3))
                .hasMessageStartingWith("Processor parameter LambdaArn is not a Lambda function ARN");
        assertThatThrownBy(() -> parse(lambda("LambdaArn", FUNCTION, "NumberOfRetries", "301"), S3))
                .hasMessage("Processor parameter NumberOfRetries must be an integer between 0 and 300: 301");
        assertThatThrownBy(() -> parse(lambda("LambdaArn", FUNCTION, "BufferSizeInMBs", "0.1"), S3))
                .hasMessage("Processor parameter BufferSizeInMBs must be a number of MB between 0.2 and 3: 0.1");
        assertThatThrownBy(() -> parse(lambda("LambdaArn", FUNCTION, "BufferSizeInMBs", "3.5"), S3))
                .hasMessageContaining("between 0.2 and 3");
        assertThatThrownBy(() -> parse(lambda("LambdaArn", FUNCTION, "BufferIntervalInSeconds", "901"), S3))
                .hasMessage("Processor parameter BufferIntervalInSeconds must be an integer between 0 and 900: 901");
        assertThatThrownBy(() -> parse(lambda("LambdaArn", FUNCTION, "RoleArn", "role"), S3))
                .hasMessage("Processor parameter RoleArn is not an IAM role ARN: role");
        assertThatThrownBy(() -> parse(lambda("LambdaArn", FUNCTION, "Delimiter", "x"), S3))
                .hasMessageStartingWith("Processor parameter Delimiter is not supported for processor type Lambda");
        assertThatThrownBy(() -> parse(lambda("LambdaArn", FUNCTION) + "," + lambda("LambdaArn", FUNCTION), S3))
                .hasMessage("Exactly 1 Processor of type Lambda can be supplied when processing is enabled.");
    }

    @Test
    void runsATypeOnlyWhenEnabled() throws Exception {
        String processors = "\"Processors\":[{\"Type\":\"AppendDelimiterToRecord\"}]";
        assertThat(ProcessingCodec.parse(json("{\"Enabled\":true," + processors + "}"), S3)
                        .runs(ProcessorSpec.APPEND_DELIMITER_TO_RECORD))
                .isTrue();
        assertThat(ProcessingCodec.parse(json("{" + processors + "}"), S3)
                        .runs(ProcessorSpec.APPEND_DELIMITER_TO_RECORD))
                .isFalse();
    }

    @Test
    void refusesOtherTypesOnlyWhileEnabledButAlwaysBadParameters() throws Exception {
        assertThatThrownBy(() -> parse("{\"Type\":\"RecordDeAggregation\"}", S3))
                .isInstanceOf(FirehoseException.class)
                .hasMessage("Processor type RecordDeAggregation is not supported by Sluice for S3 destinations yet;"
                        + " the supported processor types are Lambda, AppendDelimiterToRecord.");
        assertThat(ProcessingCodec.parse(
                                json("{\"Enabled\":false,\"Processors\":[{\"Type\":\"RecordDeAggregation\"}]}"), S3)
                        .processors())
                .hasSize(1);
        assertThatThrownBy(() -> ProcessingCodec.parse(
                        json("{\"Processors\":[{\"Type\":\"AppendDelimiterToRecord\",\"Parameters\":"
                                + "[{\"ParameterName\":\"Delimiter\",\"ParameterValue\":\"x\"}]}]}"),
                        S3))
                .hasMessage("Processor AppendDelimiterToRecord takes no parameters.");
        assertThatThrownBy(() -> ProcessingCodec.parse(
                        json("{\"Enabled\":false,\"Processors\":[" + lambda("NumberOfRetries", "1") + "]}"), S3))
                .hasMessageContaining("LambdaArn is required");
    }
}
