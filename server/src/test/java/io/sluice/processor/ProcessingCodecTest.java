package io.sluice.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.common.FirehoseException;
import org.junit.jupiter.api.Test;

class ProcessingCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SupportedProcessors DELIMITER_ONLY =
            new SupportedProcessors.Only(ProcessorSpec.APPEND_DELIMITER_TO_RECORD);
    private static final SupportedProcessors NONE = new SupportedProcessors.NoneEnabled("HTTP endpoint");

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void rendersWhatItParsedInOrder() throws Exception {
        JsonNode config = json("{\"Enabled\":false,\"Processors\":[{\"Type\":\"Lambda\",\"Parameters\":["
                + "{\"ParameterName\":\"LambdaArn\",\"ParameterValue\":\"arn\"},"
                + "{\"ParameterName\":\"NumberOfRetries\",\"ParameterValue\":\"3\"}]}]}");
        assertThat(ProcessingCodec.render(ProcessingCodec.parse(config, NONE))).isEqualTo(config);
    }

    @Test
    void runsATypeOnlyWhenEnabled() throws Exception {
        String processors = "\"Processors\":[{\"Type\":\"AppendDelimiterToRecord\"}]";
        assertThat(ProcessingCodec.parse(json("{\"Enabled\":true," + processors + "}"), DELIMITER_ONLY)
                        .runs(ProcessorSpec.APPEND_DELIMITER_TO_RECORD))
                .isTrue();
        assertThat(ProcessingCodec.parse(json("{" + processors + "}"), DELIMITER_ONLY)
                        .runs(ProcessorSpec.APPEND_DELIMITER_TO_RECORD))
                .isFalse();
    }

    @Test
    void onlyRefusesOtherTypesEvenWhileDisabledAndAnyParameters() {
        assertThatThrownBy(() -> ProcessingCodec.parse(
                        json("{\"Enabled\":false,\"Processors\":[{\"Type\":\"Lambda\"}]}"), DELIMITER_ONLY))
                .isInstanceOf(FirehoseException.class)
                .hasMessage("Processor type Lambda is not supported by Sluice yet; the supported processor is"
                        + " AppendDelimiterToRecord.");
        assertThatThrownBy(() -> ProcessingCodec.parse(
                        json("{\"Processors\":[{\"Type\":\"AppendDelimiterToRecord\",\"Parameters\":"
                                + "[{\"ParameterName\":\"Delimiter\",\"ParameterValue\":\"x\"}]}]}"),
                        DELIMITER_ONLY))
                .hasMessage("Processor AppendDelimiterToRecord takes no parameters.");
    }

    @Test
    void noneEnabledRefusesOnlyEnabledProcessors() throws Exception {
        assertThat(ProcessingCodec.parse(json("{\"Enabled\":true,\"Processors\":[]}"), NONE)
                        .processors())
                .isEmpty();
        assertThatThrownBy(() ->
                        ProcessingCodec.parse(json("{\"Enabled\":true,\"Processors\":[{\"Type\":\"Lambda\"}]}"), NONE))
                .isInstanceOf(FirehoseException.class)
                .hasMessage("Record processors (ProcessingConfiguration) are not supported by Sluice for HTTP"
                        + " endpoint destinations yet; set ProcessingConfiguration.Enabled to false.");
    }
}
