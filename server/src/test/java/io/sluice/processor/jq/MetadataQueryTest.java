package io.sluice.processor.jq;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import io.sluice.processor.jq.MetadataQuery.Failed;
import io.sluice.processor.jq.MetadataQuery.Keys;
import io.sluice.processor.jq.MetadataQuery.Outcome;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MetadataQueryTest {
    private static Outcome evaluate(String query, String record) {
        return MetadataQuery.compile(query).evaluate(record.getBytes(UTF_8));
    }

    private static Keys keys(Map<String, String> keys) {
        return new Keys(new TreeMap<>(keys));
    }

    private static String failure(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Failed.class);
        Failed failed = (Failed) outcome;
        assertThat(failed.errorCode()).isEqualTo(MetadataQuery.EXTRACTION_FAILED);
        return failed.errorMessage();
    }

    @Test
    void extractsTheKeysOfTheAwsGuideExample() {
        Outcome outcome = evaluate(
                "{customer_id: .customer_id, device: .type.device, year: .event_timestamp | strftime(\"%Y\")}",
                "{\"customer_id\":\"1234567890\",\"type\":{\"device\":\"mobile\"},\"event_timestamp\":1565382027}");

        assertThat(outcome).isEqualTo(keys(Map.of("customer_id", "1234567890", "device", "mobile", "year", "2019")));
    }

    @Test
    void printsNumbersAndBooleansAsJq16() {
        Outcome outcome = evaluate(
                "{a: .a, b: .b, c: .c, d: .d, e: (.e + .f), g: .g, h: \"\\(.b)-\\(.c)\"}",
                "{\"a\":1.0,\"b\":1e300,\"c\":100000000000000000001,\"d\":0.00001,\"e\":0.1,\"f\":0.2,\"g\":true}");

        assertThat(outcome)
                .isEqualTo(keys(Map.of(
                        "a", "1",
                        "b", "1e+300",
                        "c", "1e+20",
                        "d", "1e-05",
                        "e", "0.30000000000000004",
                        "g", "true",
                        "h", "1e+300-1e+20")));
    }

    @Test
    void printsIntegersOfEveryRangeAsJq16() {
        Outcome outcome = evaluate(
                "{a: (.id % 10 | tostring), b: ((.id / 10 | floor) % 10 | tostring), ts: (.ts | tostring),"
                        + " big: (.big | tostring), neg: (.neg | tostring), t: (.t | tostring)}",
                "{\"id\":1234,\"ts\":1764800000000,\"big\":9007199254740993,\"neg\":-9007199254740991,"
                        + "\"t\":1e16,\"msg\":\"x\"}");

        assertThat(outcome)
                .isEqualTo(keys(Map.of(
                        "a", "4",
                        "b", "3",
                        "ts", "1764800000000",
                        "big", "9007199254740992",
                        "neg", "-9007199254740991",
                        "t", "1e+16")));
    }

    @Test
    void readsARecordInPlaceWithinLargerBytes() {
        byte[] bytes = "[1,{\"a\":7}{\"a\":8}]".getBytes(UTF_8);
        MetadataQuery query = MetadataQuery.compile("{a: .a}");

        assertThat(query.evaluate(bytes, 3, 7)).isEqualTo(keys(Map.of("a", "7")));
        assertThat(query.evaluate(bytes, 3, 14))
                .isEqualTo(new Failed(MetadataQuery.NON_JSON, "Non JSON record provided"));
    }

    @Test
    void leavesAGivenRecordAsItWas() throws Exception {
        var record = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"x\":1,\"y\":[2,{\"z\":3}]}");
        String before = record.toString();

        assertThat(MetadataQuery.compile("{a: (.x = 5 | .y[1].z |= . + 1 | .y[1].z | tostring), b: (.x | tostring)}")
                        .evaluate(record))
                .isEqualTo(keys(Map.of("a", "4", "b", "1")));
        assertThat(record.toString()).isEqualTo(before);
    }

    @Test
    void interpolatesComputedNumbersAsJq16() {
        Outcome outcome = evaluate(
                "{a: \"\\(.x * 1000)\", b: \"\\(1e17)\", c: \"\\(.y * 1.5)\", d: \"\\(.y / 3e10)\", e: \"\\(.z * 1)\","
                        + " f: \"\\(.y + 0.5) \\(\"\\(.z + 1)\")\", g: @base64 \"\\(.y + 0.5)\"}",
                "{\"x\":1565382027000,\"y\":12345678,\"z\":1e300}");

        // What jq-1.6 prints for this query and record.
        assertThat(outcome)
                .isEqualTo(keys(Map.of(
                        "a", "1565382027000000",
                        "b", "1e+17",
                        "c", "18518517",
                        "d", "0.0004115226",
                        "e", "1e+300",
                        "f", "12345678.5 1e+300",
                        "g", "MTIzNDU2NzguNQ==")));
    }

    @Test
    void epochMillisecondsGiveAFiveDigitYear() {
        assertThat(evaluate("{year: .ts | strftime(\"%Y\")}", "{\"ts\":1565382027000}"))
                .isEqualTo(keys(Map.of("year", "51574")));
    }

    @Test
    void failsANullMissingOrNonScalarKey() {
        assertThat(failure(evaluate("{a: .missing}", "{}"))).isEqualTo("partition key 'a' is null");
        assertThat(failure(evaluate("{a: .x}", "{\"x\":[1]}"))).isEqualTo("partition key 'a' is an array");
        assertThat(failure(evaluate("{a: .x}", "{\"x\":{}}"))).isEqualTo("partition key 'a' is an object");
    }

    @Test
    void failsWhenTheQueryYieldsNoneSeveralOrANonObject() {
        assertThat(failure(evaluate("empty", "{}"))).isEqualTo("The query yielded no value");
        assertThat(failure(evaluate("{a: (1, 2)}", "{}"))).isEqualTo("The query yielded more than one value");
        assertThat(failure(evaluate(".a", "{\"a\":\"x\"}"))).isEqualTo("The query yielded a string, not an object");
        assertThat(failure(evaluate("range(1e9) | {a: .}", "{}"))).isEqualTo("The query yielded more than one value");
    }

    @Test
    void failsWithJqsMessageWhenTheQueryFails() {
        assertThat(failure(evaluate("{year: .ts | strftime(\"%Y\")}", "{\"ts\":\"2019-08-09\"}")))
                .isEqualTo("The query failed: strftime/1 requires parsed datetime inputs");
        assertThat(failure(evaluate("{a: error(\"boom\")}", "{}"))).isEqualTo("The query failed: boom");
    }

    @Test
    void aRecordThatIsNotOneJsonValueIsNonJson() {
        for (String record : new String[] {"not json", "{\"a\":1} {\"a\":2}", "", "{\"a\":"}) {
            assertThat(evaluate("{a: .a}", record))
                    .isEqualTo(new Failed(MetadataQuery.NON_JSON, "Non JSON record provided"));
        }
    }

    @Test
    void aQueryThatDoesNotParseIsAnInvalidArgument() {
        assertThatThrownBy(() -> MetadataQuery.compile("{a: .x"))
                .isInstanceOfSatisfying(
                        FirehoseException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessage(
                        "MetadataExtractionQuery is not a valid jq 1.6 program: Encountered \"<EOF>\" at line 1, column 6.");
    }

    @Test
    void knowsTheKeysOfALiteralObjectConstruction() {
        assertThat(MetadataQuery.compile("{a: .x, \"b-c\": .y | strftime(\"%Y\"), d, e: {f: 1}, g: (1, 2)}")
                        .keyNames())
                .contains(Set.of("a", "b-c", "d", "e", "g"));
        assertThat(MetadataQuery.compile(" { a : \"x,y:}\" } ").keyNames()).contains(Set.of("a"));
        assertThat(MetadataQuery.compile("{}").keyNames()).contains(Set.of());
    }

    @Test
    void doesNotGuessKeysThatDependOnTheRecord() {
        for (String query : new String[] {
            "{(.k): 1}",
            "{\"\\(.k)\": 1}",
            ".meta",
            "{a: 1} | .b = 2",
            "{a: 1} + {b: 2}",
            "{a: 1}, {b: 2}",
            "{a: 1} # c"
        }) {
            assertThat(MetadataQuery.compile(query).keyNames()).as(query).isEqualTo(Optional.empty());
        }
    }
}
