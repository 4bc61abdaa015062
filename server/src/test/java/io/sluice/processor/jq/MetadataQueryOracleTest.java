package io.sluice.processor.jq;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.processor.jq.MetadataQuery.Failed;
import io.sluice.processor.jq.MetadataQuery.Keys;
import io.sluice.processor.jq.MetadataQuery.Outcome;
import io.sluice.testing.ExternalCommand;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link MetadataQuery} against the real jq 1.6 (Debian's {@code /usr/bin/jq}; skipped when {@code jq
 * --version} is not {@code jq-1.6}): seeded random queries, each run by one {@code jq -c} child process
 * over several random records, must give the same keys, or fail on both sides. jq runs each query as
 * {@code try {ok: [(QUERY) | numbers as text]} catch {err: .}}, one output line per record, so that
 * jq's own printing of numbers is what our key values are compared with. {@code -Djq.oracle.seed=N}
 * explores other pairs.
 */
class MetadataQueryOracleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int QUERIES = 120;
    private static final int RECORDS_PER_QUERY = 4;

    private static final String[] STRINGS = {
        "mobile", "Desktop", "Ünïcødé", "日本語", "emoji 😀", "a-b-c", "MiXeD-Case", "", "with space", "quote\"s", "x/y"
    };
    private static final String[] NUMBER_LITERALS = {
        "0",
        "1",
        "-1",
        "42",
        "1.0",
        "2.50",
        "0.1",
        "-3.75",
        "1e3",
        "1e300",
        "1e-5",
        "0.0001",
        "123456.789",
        "100000000000000000001",
        "12345678901234567890",
        "-1e17",
        "1.5e16",
        "9007199254740993",
        "1e15",
        "3.141592653589793",
        "-0.0",
        "1e1000"
    };
    private static final String[] FORMATS = {
        "%Y",
        "%Y-%m-%d",
        "%Y/%m/%d/%H",
        "%j",
        "%e",
        "%a %A",
        "%b %B",
        "%y",
        "%Z %z",
        "%s",
        "%u %w",
        "%%",
        "%T",
        "%D",
        "%F",
        "%R",
        "%H:%M:%S",
        "year=%Y/month=%m/day=%d/hour=%H",
        "%C %G %V %U %W",
        "%c",
        "%I %p",
        "%k|%l"
    };
    private static final String[] VALUES = {
        ".s",
        ".n",
        ".f",
        ".big",
        ".a.b",
        ".a.b.c",
        ".a.d",
        ".arr[0]",
        ".arr[1]",
        ".missing",
        ".nul",
        ".bool",
        ".arr",
        ".a",
        "\"\\(.s)-\\(.n)\"",
        "\"x\\(.f)\"",
        "\"\\(.big)\"",
        "\"\\(.a.d)/\\(.bool)\"",
        "\"\\(.n * 1.5)|\\(.big * 1)\"",
        "\"\\(.f / 3)\"",
        "\"\\(.ms * 1000)\"",
        "\"v\\(1e17)\"",
        "\"\\(.n * 1e15)/\\(.f / 3e10)\"",
        "@text \"\\(.big * 1)\"",
        "\"\\(.tsf * 1000)\"",
        "(.n + 1)",
        "(.n * 2)",
        "(.f * 3)",
        "(.n / 4)",
        "(.n % 7)",
        "(.n - .f)",
        "(.f + .f)",
        "(.n | tostring)",
        "(.f | tostring)",
        "(.big | tostring)",
        "(.s | tostring)",
        "(.ns | tonumber)",
        "(.s | ascii_downcase)",
        "(.s | ascii_upcase)",
        "(.csv | split(\",\") | .[0])",
        "(.csv | split(\",\") | .[1])",
        "(.s | length)",
        "(.s | indices(\" \") | .[0])",
        "(.s | index(\"-\"))",
        "(.s | rindex(\"😀\"))",
        "(.missing // \"dflt\")",
        "(.n // 0)",
        "(.nul // .s)",
        "(if .n > 10 then \"big\" else \"small\" end)",
        "(if .bool then .s else .n end)",
        "(.arr | map(select(. > 2)) | length)",
        "(select(.bool) | .s)",
        "(.arr | add)",
        "(.a | keys | .[0])",
        "(.ts | todate)",
        "(.ts | gmtime | mktime)",
        "(.ts | gmtime | .[5])",
        "(.tsf | gmtime | .[5])",
        "(.tsf | strftime(\"%S\"))",
        "(.iso | fromdate)",
        "(.iso | fromdateiso8601)",
        "(.iso | strptime(\"%Y-%m-%dT%H:%M:%SZ\") | mktime)",
        "(.iso | strptime(\"%Y-%m-%dT%H:%M:%SZ\") | .[6])",
        "(.ms | strftime(\"%Y\"))",
        "(.ms / 1000 | floor | strftime(\"%Y-%m-%d\"))",
        "(.ts | localtime | mktime)",
        "(.ts | strflocaltime(\"%H\"))",
        "(.iso | strftime(\"%Y\"))",
        "(.ts | todateiso8601 | fromdate)",
        "(.day | strptime(\"%d/%b/%Y\") | mktime)",
        "(.day | strptime(\"%d/%b/%Y\") | todate)",
        "(.ts | gmtime | todate)"
    };

    @Test
    void agreesWithJq16OnRandomQueriesAndRecords() throws Exception {
        ExternalCommand.assumeAvailable("jq", "--version");
        assumeTrue(
                ExternalCommand.run(Map.of(), null, "jq", "--version")
                        .stdout()
                        .strip()
                        .equals("jq-1.6"),
                "jq is not jq-1.6");
        Random random = new Random(Long.getLong("jq.oracle.seed", 20261204L));
        List<String> disagreements = new ArrayList<>();
        int pairs = 0;
        int keyed = 0;
        for (int q = 0; q < QUERIES; q++) {
            String query = query(random);
            MetadataQuery ours = MetadataQuery.compile(query);
            List<String> records = new ArrayList<>();
            for (int r = 0; r < RECORDS_PER_QUERY; r++) {
                records.add(record(random));
            }
            List<Outcome> theirs = jq(query, records);
            for (int r = 0; r < records.size(); r++) {
                Outcome expected = theirs.get(r);
                Outcome actual = ours.evaluate(records.get(r).getBytes(UTF_8));
                pairs++;
                keyed += expected instanceof Keys ? 1 : 0;
                boolean same = expected instanceof Failed ? actual instanceof Failed : expected.equals(actual);
                if (!same) {
                    disagreements.add(
                            query + "  on  " + records.get(r) + "\n    jq:   " + expected + "\n    ours: " + actual);
                }
            }
        }
        assertThat(pairs).isGreaterThanOrEqualTo(300);
        assertThat(keyed).as("pairs jq gave keys for").isGreaterThan(pairs / 4);
        assertThat(disagreements).isEmpty();
    }

    /** One jq process for a query over all its records; one outcome per record. */
    private static List<Outcome> jq(String query, List<String> records) throws Exception {
        String program = "try {ok: [(" + query + ") | if type == \"object\" then map_values(if type == \"number\""
                + " then {number: tojson} else . end) else . end]} catch {err: .}";
        ExternalCommand.Result result =
                ExternalCommand.run(Map.of("TZ", "UTC"), String.join("\n", records) + "\n", "jq", "-c", program);
        assertThat(result.exitCode()).as("jq on %s: %s", query, result.stderr()).isZero();
        List<Outcome> outcomes = new ArrayList<>();
        for (String line : result.stdout().strip().lines().toList()) {
            outcomes.add(outcome(JSON.readTree(line)));
        }
        assertThat(outcomes).as("jq's outputs for %s", query).hasSize(records.size());
        return outcomes;
    }

    /** jq's answer under §7.2b's rules. */
    private static Outcome outcome(JsonNode answer) {
        JsonNode results = answer.get("ok");
        if (results == null || results.size() != 1 || !results.get(0).isObject()) {
            return new Failed("jq", String.valueOf(answer));
        }
        TreeMap<String, String> keys = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : results.get(0).properties()) {
            JsonNode value = field.getValue();
            if (value.isTextual() || value.isBoolean()) {
                keys.put(field.getKey(), value.asText());
            } else if (value.isObject() && value.size() == 1 && value.has("number")) {
                keys.put(field.getKey(), value.get("number").textValue());
            } else {
                return new Failed("jq", String.valueOf(answer));
            }
        }
        return new Keys(keys);
    }

    private static String query(Random random) {
        int shape = random.nextInt(20);
        if (shape == 0) {
            return pick(random, VALUES);
        }
        if (shape == 1) {
            return "{a: " + pick(random, VALUES) + "}, {b: .s}";
        }
        if (shape == 2) {
            return "{(.s): " + pick(random, VALUES) + "}";
        }
        if (shape == 3) {
            return "{k: (.ts | strftime(\"" + pick(random, FORMATS) + "\"))}";
        }
        StringBuilder query = new StringBuilder("{");
        int keys = 1 + random.nextInt(4);
        for (int k = 0; k < keys; k++) {
            query.append(k == 0 ? "" : ", ");
            query.append(random.nextInt(4) == 0 ? "\"key-" + k + "\"" : "k" + k).append(": ");
            query.append(
                    random.nextInt(6) == 0
                            ? "(.ts | strftime(\"" + pick(random, FORMATS) + "\"))"
                            : pick(random, VALUES));
        }
        return query.append('}').toString();
    }

    /** A record as a line of JSON; each field is missing one time in seven. */
    private static String record(Random random) throws Exception {
        ObjectNode record = JSON.createObjectNode();
        long ts = random.nextInt(8) == 0 ? -random.nextInt(1_000_000_000) : random.nextLong(4_102_444_800L);
        maybe(random, () -> record.put("s", pick(random, STRINGS)));
        maybe(
                random,
                () -> record.put("n", random.nextInt(8) == 0 ? random.nextLong() >> 20 : random.nextInt(2001) - 1000));
        maybe(
                random,
                () -> record.set(
                        "f",
                        number(
                                random.nextBoolean()
                                        ? pick(random, NUMBER_LITERALS)
                                        : random.nextInt(100_000) / 100.0 + "")));
        maybe(random, () -> record.set("big", number(pick(random, NUMBER_LITERALS))));
        maybe(random, () -> record.put("ts", ts));
        maybe(random, () -> record.put("tsf", ts + random.nextInt(1000) / 1000.0));
        maybe(random, () -> record.put("ms", ts * 1000 + random.nextInt(1000)));
        maybe(random, () -> record.put("iso", isoOf(ts, random)));
        maybe(
                random,
                () -> record.put(
                        "day",
                        new String[] {"05/Mar/2015", "31/dec/1999", "1/JAN/2000", "32/Mar/2015"}[random.nextInt(4)]));
        maybe(
                random,
                () -> record.put("ns", new String[] {"42", "3.5", "1e3", "-0.25", "x", "1.0"}[random.nextInt(6)]));
        maybe(random, () -> record.put("csv", "a,b,c"));
        maybe(random, () -> {
            ObjectNode a = record.putObject("a");
            a.putObject("b").put("c", pick(random, STRINGS));
            a.set("d", number(pick(random, NUMBER_LITERALS)));
        });
        maybe(
                random,
                () -> record.putArray("arr")
                        .add(random.nextInt(5))
                        .add(random.nextInt(5))
                        .add(random.nextInt(5)));
        maybe(random, () -> record.put("bool", random.nextBoolean()));
        maybe(random, () -> record.putNull("nul"));
        return JSON.writeValueAsString(record);
    }

    private static String isoOf(long ts, Random random) {
        String iso = CTimeFormat.strftime(BrokenDownTime.gmtime(ts).orElseThrow(), "%Y-%m-%dT%H:%M:%SZ");
        return switch (random.nextInt(6)) {
            case 0 -> iso.replace("Z", ".5Z");
            case 1 -> iso.replace("Z", "+01:00");
            case 2 -> iso + " ";
            default -> iso;
        };
    }

    /** A JSON number written exactly as {@code literal}. */
    private static JsonNode number(String literal) {
        BigDecimal value = new BigDecimal(literal);
        return literal.matches("-?\\d+")
                ? JSON.getNodeFactory().numberNode(new BigInteger(literal))
                : JSON.getNodeFactory().numberNode(value);
    }

    private static void maybe(Random random, Runnable field) {
        if (random.nextInt(7) != 0) {
            field.run();
        }
    }

    private static String pick(Random random, String[] choices) {
        return choices[random.nextInt(choices.length)];
    }
}
