package io.sluice.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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

    private static LoadSpec parse(String... options) {
        String[] args = new String[options.length + 1];
        args[0] = "put";
        System.arraycopy(options, 0, args, 1, options.length);
        CommandLine.ParseResult result = Bench.commandLine().parseArgs(args);
        PutCommand put = result.subcommand().commandSpec().commandLine().getCommand();
        return put.loadSpec();
    }
}
