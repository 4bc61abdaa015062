package io.sluice.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceivedRequestTest {
    @Test
    void looksUpHeadersWithoutRegardToCaseAndMergesCaseVariants() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("X-Amz-Date", List.of("20260314T150926Z"));
        headers.put("X-Repeated", List.of("a"));
        headers.put("x-repeated", List.of("b", "c"));

        ReceivedRequest request = ReceivedRequest.withBody("POST", "/", "", headers, new byte[0]);

        assertThat(request.header("x-amz-date")).containsExactly("20260314T150926Z");
        assertThat(request.firstHeader("X-AMZ-DATE")).contains("20260314T150926Z");
        assertThat(request.header("X-REPEATED")).containsExactly("a", "b", "c");
        assertThat(request.header("absent")).isEmpty();
        assertThat(request.firstHeader("absent")).isEmpty();
        assertThat(request.headers()).containsOnlyKeys("x-amz-date", "x-repeated");
    }

    @Test
    void copiesHeadersSoLaterChangesDoNotLeakIn() {
        List<String> values = new ArrayList<>(List.of("a"));
        Map<String, List<String>> headers = new LinkedHashMap<>(Map.of("X-H", values));
        ReceivedRequest request = ReceivedRequest.withBody("POST", "/", "", headers, new byte[0]);

        values.add("b");
        headers.put("X-Other", List.of("c"));

        assertThat(request.header("x-h")).containsExactly("a");
        assertThat(request.header("x-other")).isEmpty();
        assertThatThrownBy(() -> request.headers().put("x", List.of()))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void hashesTheBody() {
        assertThat(ReceivedRequest.withBody("POST", "/", "", Map.of(), new byte[0])
                        .payloadSha256())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void rejectsPayloadHashThatIsNotLowerCaseHexSha256() {
        assertThatThrownBy(() -> new ReceivedRequest("POST", "/", "", Map.of(), "UNSIGNED-PAYLOAD"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payloadSha256 is not 64 lower-case hex digits: 'UNSIGNED-PAYLOAD'");
        assertThatThrownBy(() -> new ReceivedRequest(
                        "POST", "/", "", Map.of(), "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
