package io.sluice.lambda.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.lambda.FunctionCall;
import io.sluice.lambda.Invocation;
import io.sluice.lambda.Invocation.Answered;
import io.sluice.lambda.Invocation.FunctionFailed;
import io.sluice.lambda.Invocation.Refused;
import io.sluice.testing.HandlerJar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified Java handlers run through AWS's own runtime interface client (2.10.1, with its native
 * layer) in child JVMs against {@link LocalFunction}'s Runtime API (delivery spec §6.1.15). Every wait
 * has a generous upper bound only: the machine may be slow, never wrong.
 */
class LocalFunctionRicTest {
    private static final String ARN = "arn:aws:lambda:eu-west-1:123456789012:function:transform";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A Firehose transformation (upper-cases each record) that reports its pid; an event's
     * {@code action} makes it crash, hang, answer over 6 MB, or hold until a file exists.
     */
    private static final String TRANSFORM = """
            package example;

            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestHandler;
            import java.nio.charset.StandardCharsets;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.ArrayList;
            import java.util.Base64;
            import java.util.LinkedHashMap;
            import java.util.List;
            import java.util.Map;

            public class Transform implements RequestHandler<Map<String, Object>, Map<String, Object>> {
                @Override
                public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
                    String action = String.valueOf(event.getOrDefault("action", "transform"));
                    try {
                        switch (action) {
                            case "crash" -> Runtime.getRuntime().halt(3);
                            case "hang" -> Thread.sleep(600_000);
                            case "hold" -> {
                                Files.createFile(Path.of((String) event.get("started")));
                                Path release = Path.of((String) event.get("release"));
                                for (int i = 0; i < 1200 && !Files.exists(release); i++) {
                                    Thread.sleep(100);
                                }
                            }
                            default -> {}
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    Map<String, Object> result = new LinkedHashMap<>();
                    if (action.equals("big")) {
                        result.put("padding", "x".repeat(7 * 1024 * 1024));
                    }
                    List<Map<String, Object>> records = new ArrayList<>();
                    for (Object o : (List<?>) event.get("records")) {
                        Map<?, ?> in = (Map<?, ?>) o;
                        String data = new String(Base64.getDecoder().decode((String) in.get("data")), StandardCharsets.UTF_8);
                        Map<String, Object> out = new LinkedHashMap<>();
                        out.put("recordId", in.get("recordId"));
                        out.put("result", "Ok");
                        out.put("data", Base64.getEncoder().encodeToString(data.toUpperCase().getBytes(StandardCharsets.UTF_8)));
                        records.add(out);
                    }
                    result.put("records", records);
                    result.put("pid", ProcessHandle.current().pid());
                    return result;
                }
            }
            """;

    private static final String BROKEN_INIT = """
            package example;

            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestHandler;
            import java.util.Map;

            public class BrokenInit implements RequestHandler<Map<String, Object>, Map<String, Object>> {
                static {
                    if (true) {
                        throw new IllegalStateException("no configuration");
                    }
                }

                @Override
                public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
                    return event;
                }
            }
            """;

    @TempDir
    static Path jarDir;

    private static Path jar;

    @TempDir
    Path work;

    private LocalFunction function;

    @BeforeAll
    static void buildHandlerJar() throws IOException {
        jar = HandlerJar.build(jarDir, Map.of("example.Transform", TRANSFORM, "example.BrokenInit", BROKEN_INIT));
    }

    @AfterEach
    void stopEverything() {
        if (function != null) {
            function.close();
        }
        // Backstop when a test failed half-way: nothing this JVM started may outlive the test.
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void transformsRecordsThroughTheJavaRuntimeInterfaceClient() {
        function = start("example.Transform::handleRequest", 1, Duration.ofSeconds(60));

        JsonNode answer = answered(invoke(event("transform", "hello", "world")));

        assertThat(answer.path("records").size()).isEqualTo(2);
        assertThat(answer.path("records").get(0).path("recordId").asText()).isEqualTo("r0");
        assertThat(answer.path("records").get(0).path("result").asText()).isEqualTo("Ok");
        assertThat(decode(answer.path("records").get(0))).isEqualTo("HELLO");
        assertThat(decode(answer.path("records").get(1))).isEqualTo("WORLD");
    }

    @Test
    void runsInvocationsInParallelAcrossItsProcesses() throws IOException {
        function = start("example.Transform::handleRequest", 2, Duration.ofSeconds(60));
        Path release = work.resolve("release");
        List<Path> started = List.of(work.resolve("started-0"), work.resolve("started-1"));
        List<CompletionStage<Invocation>> held = new ArrayList<>();
        for (Path marker : started) {
            Map<String, Object> event = new java.util.HashMap<>(event("hold", "held"));
            event.put("started", marker.toString());
            event.put("release", release.toString());
            held.add(invoke(event));
        }
        // Both run at once: each holds its process until the release file exists.
        await().atMost(WAIT).until(() -> started.stream().allMatch(Files::exists));
        List<CompletionStage<Invocation>> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(invoke(event("transform", "batch-" + i)));
        }
        Files.createFile(release);

        Set<Long> pids = new HashSet<>();
        for (CompletionStage<Invocation> stage : held) {
            pids.add(answered(stage).path("pid").asLong());
        }
        assertThat(pids).hasSize(2);
        for (int i = 0; i < batch.size(); i++) {
            assertThat(decode(answered(batch.get(i)).path("records").get(0))).isEqualTo("BATCH-" + i);
        }
    }

    @Test
    void aCrashFailsTheInvocationAndAFreshProcessTakesTheNext() {
        function = start("example.Transform::handleRequest", 1, Duration.ofSeconds(60));
        long firstPid = answered(invoke(event("transform", "a"))).path("pid").asLong();

        Invocation crashed = outcome(invoke(event("crash", "a")));

        assertThat(crashed).isInstanceOfSatisfying(FunctionFailed.class, failed -> {
            assertThat(failed.errorType()).isEqualTo("Runtime.ExitError");
            assertThat(failed.errorMessage())
                    .startsWith("RequestId: ")
                    .endsWith("Runtime exited with error: exit status 3");
        });
        assertAnotherProcessAnswers(firstPid);
    }

    @Test
    void aHangingInvocationTimesOutAndItsProcessIsReplaced() {
        function = start("example.Transform::handleRequest", 1, Duration.ofSeconds(10));
        long firstPid = answered(invoke(event("transform", "a"))).path("pid").asLong();

        assertThat(outcome(invoke(event("hang", "a")))).isInstanceOf(Invocation.TimedOut.class);

        await().atMost(WAIT).until(() -> ProcessHandle.of(firstPid).isEmpty());
        assertAnotherProcessAnswers(firstPid);
    }

    @Test
    void anInitializationErrorIsTheOutcomeOfTheInvocation() {
        function = start("example.BrokenInit::handleRequest", 1, Duration.ofSeconds(60));

        Invocation outcome = outcome(invoke(event("transform", "a")));

        assertThat(outcome).isInstanceOfSatisfying(FunctionFailed.class, failed -> {
            // As the client reports it (and Lambda shows it): the class could not be loaded.
            assertThat(failed.errorType()).isEqualTo("java.lang.ExceptionInInitializerError");
            assertThat(failed.errorMessage()).isEqualTo("Error loading class example.BrokenInit");
        });
    }

    @Test
    void aResponseOverSixMegabytesIsAFunctionError() {
        function = start("example.Transform::handleRequest", 1, Duration.ofSeconds(60));

        Invocation outcome = outcome(invoke(event("big", "a")));

        assertThat(outcome)
                .isEqualTo(new FunctionFailed(
                        "Function.ResponseSizeTooLarge",
                        "Response payload size exceeded maximum allowed payload size (6291556 bytes)."));
        assertThat(decode(answered(invoke(event("transform", "small")))
                        .path("records")
                        .get(0)))
                .isEqualTo("SMALL");
    }

    @Test
    void closeStopsTheProcessesAndRefusesWhatWasInFlight() {
        function = start("example.Transform::handleRequest", 2, Duration.ofSeconds(60));
        answered(invoke(event("transform", "warm")));
        await().atMost(WAIT).until(() -> runtimeProcesses().size() == 2);
        List<ProcessHandle> processes = runtimeProcesses();
        Map<String, Object> event = new java.util.HashMap<>(event("hold", "held"));
        event.put("started", work.resolve("started").toString());
        event.put("release", work.resolve("never").toString());
        CompletionStage<Invocation> inFlight = invoke(event);
        await().atMost(WAIT).until(() -> Files.exists(work.resolve("started")));

        function.close();

        assertThat(outcome(inFlight)).isInstanceOfSatisfying(Refused.class, refused -> {
            assertThat(refused.errorCode()).isEqualTo(Refused.INVOKE_FAILED);
            assertThat(refused.message()).endsWith("stopped");
        });
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(outcome(invoke(event("transform", "late")))).isInstanceOf(Refused.class);
    }

    /** The function works again, on a process started after {@code previousPid}'s. */
    private void assertAnotherProcessAnswers(long previousPid) {
        JsonNode next = answered(invoke(event("transform", "again")));
        assertThat(decode(next.path("records").get(0))).isEqualTo("AGAIN");
        assertThat(next.path("pid").asLong()).isNotEqualTo(previousPid);
    }

    private LocalFunction start(String handler, int processes, Duration timeout) {
        try {
            return LocalFunction.start(
                    new LocalFunctionConfig(
                            ARN,
                            HandlerJar.ricCommand(jar, handler),
                            handler,
                            processes,
                            timeout,
                            256,
                            Optional.of(work),
                            Map.of()),
                    Clock.systemUTC());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<ProcessHandle> runtimeProcesses() {
        return ProcessHandle.current()
                .children()
                .filter(p -> p.info().arguments().map(List::of).orElse(List.of()).stream()
                        .anyMatch(arg -> arg.endsWith("AWSLambda")))
                .toList();
    }

    private static Map<String, Object> event(String action, String... data) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            records.add(Map.of(
                    "recordId",
                    "r" + i,
                    "approximateArrivalTimestamp",
                    1_700_000_000_000L,
                    "data",
                    Base64.getEncoder().encodeToString(data[i].getBytes(StandardCharsets.UTF_8))));
        }
        return Map.of(
                "invocationId",
                "inv-1",
                "deliveryStreamArn",
                "arn:aws:firehose:eu-west-1:123456789012:deliverystream/s",
                "region",
                "eu-west-1",
                "action",
                action,
                "records",
                records);
    }

    private CompletionStage<Invocation> invoke(Map<String, Object> event) {
        try {
            return function.invoke(new FunctionCall(ARN, Optional.empty(), JSON.writeValueAsBytes(event)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Invocation outcome(CompletionStage<Invocation> stage) {
        CompletableFuture<Invocation> future = stage.toCompletableFuture();
        await().atMost(WAIT).until(future::isDone);
        return future.getNow(null);
    }

    private static JsonNode answered(CompletionStage<Invocation> stage) {
        Invocation outcome = outcome(stage);
        assertThat(outcome).isInstanceOf(Answered.class);
        try {
            return JSON.readTree(((Answered) outcome).payload());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String decode(JsonNode record) {
        return new String(Base64.getDecoder().decode(record.path("data").asText()), StandardCharsets.UTF_8);
    }
}
