package io.sluice.processor.jq;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.processor.jq.MetadataQuery.Failed;
import io.sluice.processor.jq.MetadataQuery.Outcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RecordFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} reads {1}")
    @CsvSource(
            delimiter = '~',
            value = {
                "{a: (.id % 10 | tostring), b: ((.id / 10 | floor) % 10 | tostring)} ~ id",
                "{customer_id: .customer_id, device: .type.device, year: .event_timestamp | strftime(\"%Y\")} ~ customer_id|type|event_timestamp",
                ".meta ~ meta",
                "{a: .a, \"b c\": .\"d e\", f: .[\"g\"], h} ~ a|d e|g|h",
                "{k: \"\\(.s)-\\(.n | . * 2)\"} ~ s|n",
                "{k: @base64 \"\\(.s)\"} ~ s",
                "{(.name): .value} ~ name|value",
                "{\"\\(.p)\": 1} ~ p",
                "{a: .x[.i], b: .y[1:], c: .z[]?, d: .w[:2]} ~ x|i|y|z|w",
                "{a: (.x // .y), b: (-.n + 1 >= 2 and .t or .f)} ~ x|y|n|t|f",
                "{a: .x | if . then 1, 2 else {end1: 3} end, b: .y} ~ x|y",
                "{a: .x | . as $v | $v, b: [.y, .z]} ~ x|y|z",
                "{a: (.x | keys | length), b: null, c: true, d: empty} ~ x",
                "{a: .x.y.z, b: .\"q\".r} ~ x|q",
                "{a: (.x | tostring | \"\\(.)\\(.)\")} ~ x",
                "{} ~ ",
            })
    void findsTheFieldsAQueryReads(String query, String fields) {
        Set<String> expected = fields == null ? Set.of() : Set.of(fields.split("\\|"));

        assertThat(RecordFields.of(query)).hasValue(expected);
    }

    @Test
    void skipsComments() {
        assertThat(RecordFields.of("{a: .x # .y, b: .\n, c: .z}")).hasValue(Set.of("x", "z"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                ".",
                "{a: .}",
                "{a: ..}",
                "{a: .[]}",
                "{a: keys}",
                "{a: length}",
                "{a: tojson}",
                "{a: tostring}",
                "{a: not}",
                "{a: $__loc__}",
                "{$x}",
                "{a: .[.k]}",
                "{a: .[\"\\(.k)\"]}",
                ". as $r | {a: $r.x}",
                "{a: (.x as $v | $v)}",
                "{a: (.x = 1 | .x)}",
                "{a: (.x |= 1)}",
                "reduce .[] as $x (0; . + $x)",
                "{a: .x | reduce .[] as $y (0; . + $y)}",
                "{a: .x | try .y catch .z}",
                "{a: .x | {end: 1}, b: .}",
                "def f: .; {a: f}",
                "{a: @base64}",
                "{a: (.x | tostring), b: input}",
                "{a: .x, b: getpath([\"y\"])}",
                ".b = . | {a: .x}",
                "{a: .x} + .",
                "[.[] | .x]",
                "{a: \"\\(.)\"}",
                "{a: if .x then 1 else 2 end}",
            })
    void readsTheWholeRecordWhenTheQueryMayUseItOtherwise(String query) {
        assertThat(RecordFields.of(query)).as(query).isEmpty();
    }

    /**
     * Queries over records with many fields, some malformed: reading only the fields a query names gives
     * what reading the record whole gives, its failures included.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{a: (.id % 10 | tostring), b: ((.id / 10 | floor) % 10 | tostring)}",
                "{a: .s, b: .o.x}",
                "{a: \"\\(.s)/\\(.n)\"}",
                "{a: .dup}",
                "{a: (.arr | length)}",
                "{a: .o}",
                "{(.s): .n}",
                "{a: .missing}",
            })
    void readingTheNamedFieldsGivesWhatReadingTheWholeRecordGives(String query) throws IOException {
        MetadataQuery compiled = MetadataQuery.compile(query);
        assertThat(RecordFields.of(query)).as("the query qualifies").isPresent();
        Random random = new Random(query.hashCode());
        for (String record : records(random)) {
            byte[] bytes = record.getBytes(UTF_8);
            assertThat(compiled.evaluate(bytes)).as(record).isEqualTo(wholeRead(compiled, bytes));
        }
        byte[] invalidUtf8 = "{\"id\":1,\"skipped\":\"\u00e9\"}".getBytes(UTF_8);
        invalidUtf8[invalidUtf8.length - 3] = 'x'; // the second byte of é, so that the first starts nothing valid
        assertThat(compiled.evaluate(invalidUtf8)).isEqualTo(wholeRead(compiled, invalidUtf8));
    }

    private static Outcome wholeRead(MetadataQuery query, byte[] bytes) {
        JsonNode tree;
        try {
            tree = JSON.readerFor(JsonNode.class)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(bytes);
        } catch (IOException e) {
            return new Failed(MetadataQuery.NON_JSON, "Non JSON record provided");
        }
        return tree == null || tree.isMissingNode()
                ? new Failed(MetadataQuery.NON_JSON, "Non JSON record provided")
                : query.evaluate(tree);
    }

    private static List<String> records(Random random) {
        String[] fields = {
            "\"id\":" + random.nextInt(1000),
            "\"s\":\"text " + random.nextInt(9) + "\"",
            "\"n\":" + (random.nextInt(2000) - 1000) / 8.0,
            "\"o\":{\"x\":[1,{\"y\":2}],\"z\":\"\\u00e9\\n\"}",
            "\"arr\":[1,2,3]",
            "\"dup\":1",
            "\"dup\":\"second\"",
            "\"big\":123456789012345678901234567890",
            "\"pad\":\"" + "p".repeat(200) + "\"",
            "\"nul\":null",
        };
        String[] damage = {"", " ", "x", "}", "{", "]", ",", "\"", "\\", "1e", "\u0001", "nul", "{\"id\":2}"};
        List<String> records = new ArrayList<>();
        for (int r = 0; r < 400; r++) {
            List<String> chosen = new ArrayList<>();
            for (String field : fields) {
                if (random.nextInt(3) != 0) {
                    chosen.add(field);
                }
            }
            Collections.shuffle(chosen, random);
            String record = "{" + String.join(",", chosen) + "}";
            if (random.nextInt(4) == 0) { // cut it, or put something where it does not belong
                int at = random.nextInt(record.length() + 1);
                record = random.nextBoolean()
                        ? record.substring(0, at)
                        : record.substring(0, at) + damage[random.nextInt(damage.length)] + record.substring(at);
            }
            records.add(record);
        }
        records.addAll(List.of("", "  ", "[1,2]", "\"text\"", "42", "null", "{\"id\":1} {\"id\":2}", "{\"id\":1}\n"));
        return records;
    }
}
