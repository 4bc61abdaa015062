package io.sluice.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LambdaAnswerTest {
    private static Optional<Map<String, List<LambdaAnswer.Element>>> read(String json) {
        return LambdaAnswer.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static LambdaAnswer.Element only(String json, String id) {
        List<LambdaAnswer.Element> elements = read(json).orElseThrow().get(id);
        assertThat(elements).hasSize(1);
        return elements.get(0);
    }

    private static String decoded(LambdaAnswer.Element element) {
        ByteBuffer data = element.data().decoded().orElseThrow();
        return StandardCharsets.UTF_8.decode(data).toString();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEachElementsResultDataAndMetadataByRecordId() {
        String json = "{\"invocationId\":\"x\",\"records\":[{\"recordId\":\"1\",\"result\":\"Ok\",\"data\":\""
                + base64("one") + "\",\"metadata\":{\"partitionKeys\":{\"k\":\"v\"}}},"
                + " {\"data\" : \"" + base64("two") + "\", \"recordId\":\"2\", \"result\":\"Dropped\"}]}";
        LambdaAnswer.Element first = only(json, "1");
        assertThat(first.result()).contains("Ok");
        assertThat(decoded(first)).isEqualTo("one");
        assertThat(first.metadata().path("partitionKeys").path("k").asText()).isEqualTo("v");
        LambdaAnswer.Element second = only(json, "2");
        assertThat(second.result()).contains("Dropped");
        assertThat(decoded(second)).isEqualTo("two");
        assertThat(second.metadata().isMissingNode()).isTrue();
    }

    @Test
    void dataWithEscapesIsUnescapedBeforeDecoding() {
        String data = base64("???>>>"); // "Pz8/Pj4+": a slash, which some encoders write as "\/"
        assertThat(data).contains("/");
        String json = "{\"records\":[{\"recordId\":\"1\",\"result\":\"Ok\",\"data\":\"" + data.replace("/", "\\/")
                + "\"},{\"recordId\":\"2\",\"result\":\"Ok\",\"data\":\"" + data + "\"}]}";
        assertThat(decoded(only(json, "1"))).isEqualTo("???>>>");
        assertThat(decoded(only(json, "2"))).isEqualTo("???>>>");
    }

    @Test
    void dataThatIsNoStringOrNoBase64DecodesToNothing() {
        String json = "{\"records\":[{\"recordId\":\"1\",\"data\":5},{\"recordId\":\"2\",\"data\":\"not base64!\"},"
                + "{\"recordId\":\"3\",\"data\":\"\u00e9t\u00e9\"},{\"recordId\":\"4\",\"data\":\"a\\\"b\"},"
                + "{\"recordId\":\"5\",\"data\":{\"x\":\"" + base64("x") + "\"}},{\"recordId\":\"6\"},"
                + "{\"recordId\":\"7\",\"data\":\"\"}]}";
        for (String id : List.of("1", "2", "3", "4", "5", "6")) {
            assertThat(only(json, id).data().decoded()).as(id).isEmpty();
        }
        assertThat(only(json, "7").data().decoded())
                .hasValueSatisfying(b -> assertThat(b.remaining()).isZero());
    }

    @Test
    void aMemberGivenTwiceCountsOnceTheLast() {
        String json = "{\"records\":[{\"recordId\":\"1\",\"result\":\"Ok\",\"result\":\"Dropped\",\"data\":\""
                + base64("a") + "\",\"data\":\"" + base64("b") + "\"}]}";
        LambdaAnswer.Element element = only(json, "1");
        assertThat(element.result()).contains("Dropped");
        assertThat(decoded(element)).isEqualTo("b");
        assertThat(read("{\"records\":[{\"recordId\":\"1\"}],\"records\":[{\"recordId\":\"2\"}]}"))
                .hasValueSatisfying(byId -> assertThat(byId).containsOnlyKeys("2"));
        assertThat(read("{\"records\":[{\"recordId\":\"1\"}],\"records\":7}")).isEmpty();
    }

    @Test
    void elementsAnsweringNoRecordAreLeftOutAndRepeatedIdsKeptTogether() {
        String json = "{\"records\":[7,\"x\",[{\"recordId\":\"9\"}],{\"recordId\":3},{\"result\":\"Ok\"},"
                + "{\"recordId\":\"1\",\"result\":5,\"extra\":{\"recordId\":\"8\"}},"
                + "{\"recordId\":\"1\",\"result\":\"Ok\"}]}";
        Map<String, List<LambdaAnswer.Element>> byId = read(json).orElseThrow();
        assertThat(byId).containsOnlyKeys("1");
        assertThat(byId.get("1"))
                .extracting(LambdaAnswer.Element::result)
                .containsExactly(Optional.empty(), Optional.of("Ok"));
    }

    @Test
    void anythingButAnObjectWithARecordsArrayIsUnreadable() {
        for (String json : List.of(
                "",
                "not json",
                "[]",
                "{}",
                "{\"records\":{}}",
                "{\"recordz\":[]}",
                "{\"records\":[{\"recordId\":\"1\"}",
                "{\"records\":[],\"more\":tru}",
                "null")) {
            assertThat(read(json)).as(json).isEmpty();
        }
        assertThat(read("{\"records\":[]} trailing"))
                .hasValueSatisfying(byId -> assertThat(byId).isEmpty());
    }

    @Test
    void hostileNestingIsUnreadableAndALongDataStringIsDecoded() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThat(read("{\"records\":[{\"recordId\":\"1\",\"metadata\":" + deep + "}]}"))
                .isEmpty();
        assertThat(read("{\"records\":[{\"recordId\":\"1\",\"extra\":" + deep + "}]}"))
                .isEmpty();
        String large = "x".repeat(4_000_000);
        LambdaAnswer.Element element =
                only("{\"records\":[{\"recordId\":\"1\",\"data\":\"" + base64(large) + "\"}]}", "1");
        assertThat(decoded(element)).isEqualTo(large);
    }
}
