package io.sluice.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PutCommandTest {
    @Test
    void defaultsDescribeA500By1KiBClosedLoopRunAgainstLocalSluice() {
        LoadSpec spec = parse();

        assertThat(spec.endpoint()).hasToString("http://127.0.0.1:4573");
        assertThat(spec.endpoint().hostHeader()).isEqualTo("127.0.0.1:4573");
        assertThat(spec.operation()).isEqualTo(PutOperation.PUT_RECORD_BATCH);
        assertThat(spec.connections()).isEqualTo(32);
        assertThat(spec.recordsPerRequest()).isEqualTo(500);
        assertThat(spec.recordSize()).isEqualTo(ByteSize.ofBytes(1024));
        assertThat(spec.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(spec.warmup()).isEqualTo(Duration.ofSeconds(3));
        assertThat(spec.pacing()).isEqualTo(new Pacing.ClosedLoop());
        assertThat(spec.credentials()).isEqualTo(Credentials.DEVELOPMENT);
        assertThat(spec.region()).isEqualTo("us-east-1");
    }

    @Test
    void optionsWithUnitsAreConverted() {
        LoadSpec spec = parse(
                "--endpoint",
                "http://localhost:5000",
                "--single",
                "--record-size",
                "100B",
                "--duration",
                "1500ms",
                "--warmup",
                "0s",
                "--rate",
                "250.5",
                "--connections",
                "4",
                "--stream",
                "s.1_x-y");

        assertThat(spec.operation()).isEqualTo(PutOperation.PUT_RECORD);
        assertThat(spec.recordsPerRequest()).isEqualTo(1);
        assertThat(spec.recordSize().bytes()).isEqualTo(100);
        assertThat(spec.duration()).isEqualTo(Duration.ofMillis(1500));
        assertThat(spec.warmup()).isZero();
        assertThat(spec.pacing()).isEqualTo(new Pacing.OpenLoop(250.5));
        assertThat(spec.endpoint().hostHeader()).isEqualTo("localhost:5000");
        assertThat(spec.stream()).isEqualTo("s.1_x-y");
    }

    @Test
    void severalStreamsAreNumberedAndEachHasItsBodies() {
        LoadSpec spec = parse("--stream", "s", "--streams", "3", "--batch", "2", "--distinct-bodies", "2");

        assertThat(spec.streamNames()).containsExactly("s-0", "s-1", "s-2");
        assertThat(Workload.build(spec).payloads())
                .extracting(payload ->
                        UTF_8.decode(payload.body().duplicate()).toString().substring(0, 28))
                .containsExactly(
                        "{\"DeliveryStreamName\":\"s-0\",",
                        "{\"DeliveryStreamName\":\"s-1\",",
                        "{\"DeliveryStreamName\":\"s-2\",");
        assertThatThrownBy(() -> parse("--streams", "0")).isInstanceOf(CommandLine.ParameterException.class);
    }

    @Test
    void anEndpointOffTheLoopbackIsRefused() {
        assertThatThrownBy(() -> parse("--endpoint", "http://192.0.2.1:4573"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("loopback");
    }

    @Test
    void requestsOutsideFirehosesLimitsAreRefused() {
        assertThatThrownBy(() -> parse("--batch", "501")).hasMessageContaining("1 to 500");
        assertThatThrownBy(() -> parse("--record-size", "10KiB")).hasMessageContaining("4 MiB");
        assertThatThrownBy(() -> parse("--record-size", "1001KiB")).hasMessageContaining("1024000");
        assertThatThrownBy(() -> parse("--duration", "0s")).hasMessageContaining("duration");
        assertThatThrownBy(() -> parse("--rate", "0")).hasMessageContaining("rate");
    }

    @Test
    void recordDataIsRandomUnlessJsonIsAsked() {
        assertThat(parse().recordData()).isEqualTo(RecordData.RANDOM);
        assertThat(parse("--record-data", "json").recordData()).isEqualTo(RecordData.JSON);
        assertThatThrownBy(() -> parse("--record-data", "xml"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("random or json");
    }

    @Test
    void jsonRecordsAreObjectsOfExactlyTheRecordSizeEachDistinct() {
        LoadSpec spec =
                parse("--record-data", "json", "--record-size", "1KiB", "--batch", "50", "--distinct-bodies", "3");
        Set<Long> ids = new HashSet<>();

        for (Payload payload : Workload.build(spec).payloads()) {
            List<String> records = records(payload);
            assertThat(records).hasSize(50);
            for (String record : records) {
                assertThat(record.getBytes(UTF_8)).hasSize(1024);
                Matcher json = JSON_RECORD.matcher(record);
                assertThat(json.matches()).as(record).isTrue();
                assertThat(json.group(3)).hasSizeGreaterThan(900);
                ids.add(Long.parseLong(json.group(1)));
            }
            assertThat(payload.dataBytes()).isEqualTo(50 * 1024);
        }
        assertThat(ids).hasSize(150);
    }

    @Test
    void aRecordSizeTooSmallForTheJsonSkeletonIsRefused() {
        // {"id":N,"ts":MILLIS,"msg":""} and a newline: 40 bytes with ids of up to four digits (8 bodies × 500).
        LoadSpec smallest = parse("--record-data", "json", "--record-size", "40");
        for (Payload payload : Workload.build(smallest).payloads()) {
            for (String record : records(payload)) {
                assertThat(record).hasSize(40).matches(JSON_RECORD);
            }
        }
        assertThat(records(Workload.build(smallest).payloads().getLast()).getLast())
                .contains("\"id\":3999,");
        assertThatThrownBy(() -> parse("--record-data", "json", "--record-size", "39"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("at least 40 bytes");
        assertThat(parse("--record-size", "1").recordSize().bytes()).isEqualTo(1);
    }

    private static final Pattern DATA = Pattern.compile("\"Data\":\"([^\"]*)\"");
    private static final Pattern JSON_RECORD =
            Pattern.compile("\\{\"id\":(\\d+),\"ts\":(\\d{13}),\"msg\":\"([a-z]*)\"}\n");

    private static List<String> records(Payload payload) {
        Matcher data = DATA.matcher(UTF_8.decode(payload.body().duplicate()));
        List<String> records = new ArrayList<>();
        while (data.find()) {
            records.add(new String(Base64.getDecoder().decode(data.group(1)), UTF_8));
        }
        return records;
    }

    private static LoadSpec parse(String... options) {
        String[] args = new String[options.length + 1];
        args[0] = "put";
        System.arraycopy(options, 0, args, 1, options.length);
        CommandLine.ParseResult result = Bench.commandLine().parseArgs(args);
        PutCommand put = result.subcommand().commandSpec().commandLine().getCommand();
        return put.loadSpec();
    }
}
