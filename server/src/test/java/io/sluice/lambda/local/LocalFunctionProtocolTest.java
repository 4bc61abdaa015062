package io.sluice.lambda.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.lambda.FunctionCall;
import io.sluice.lambda.Invocation;
import io.sluice.lambda.Invocation.Answered;
import io.sluice.lambda.Invocation.FunctionFailed;
import io.sluice.lambda.Invocation.Refused;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Runtime API as a runtime sees it, driven by a tiny runtime written here ({@link HttpClient} on
 * {@code /next} and the result paths) while the function's process only writes its environment down and
 * sleeps. Waits have generous upper bounds only.
 */
class LocalFunctionProtocolTest {
    private static final String ARN = "arn:aws:lambda:us-east-2:123456789012:function:shout:7";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path work;

    private LocalFunction function;

    @AfterEach
    void stopEverything() {
        if (function != null) {
            function.close();
        }
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        http.close();
    }

    @Test
    void handsInvocationsToThePollingRuntimeWithLambdasHeadersAndEnvironment() throws Exception {
        start(Duration.ofSeconds(30));
        Map<String, String> env = environment(Optional.empty());

        assertThat(env)
                .containsEntry("_HANDLER", "example.Shout::handleRequest")
                .containsEntry("AWS_LAMBDA_FUNCTION_NAME", "shout")
                .containsEntry("AWS_LAMBDA_FUNCTION_VERSION", "7")
                .containsEntry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
                .containsEntry("AWS_REGION", "us-east-2")
                .containsEntry("AWS_DEFAULT_REGION", "us-east-2")
                .containsEntry("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/shout")
                .containsEntry("LAMBDA_TASK_ROOT", work.toAbsolutePath().toString())
                .containsEntry("TZ", "UTC")
                .containsEntry("EXTRA", "yes");
        assertThat(env.get("AWS_LAMBDA_RUNTIME_API")).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(env.get("AWS_LAMBDA_LOG_STREAM_NAME")).matches("2026/05/01/\\[7\\][0-9a-f]{32}");

        CompletionStage<Invocation> outcome = invoke("{\"a\":1}");
        HttpResponse<String> next = get(env, "/2018-06-01/runtime/invocation/next");

        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("{\"a\":1}");
        assertThat(next.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(next.headers().firstValue("Lambda-Runtime-Deadline-Ms"))
                .contains(Long.toString(NOW.toEpochMilli() + 30_000));
        assertThat(next.headers().firstValue("Lambda-Runtime-Invoked-Function-Arn"))
                .contains(ARN);
        assertThat(next.headers().firstValue("Lambda-Runtime-Trace-Id"))
                .hasValueSatisfying(trace ->
                        assertThat(trace).matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0"));
        String requestId = requestId(next);
        assertThat(report(env, requestId, "response", "done", Map.of()).statusCode())
                .isEqualTo(202);
        assertThat(outcome(outcome))
                .isInstanceOfSatisfying(
                        Answered.class,
                        answered -> assertThat(new String(answered.payload(), StandardCharsets.UTF_8))
                                .isEqualTo("done"));
        // Answered once: the id is unknown from then on.
        assertThat(report(env, requestId, "response", "again", Map.of()).statusCode())
                .isEqualTo(400);
    }

    @Test
    void unknownAndMissingRequestIdsAre400AndUnknownPaths404() throws Exception {
        start(Duration.ofSeconds(30));
        Map<String, String> env = environment(Optional.empty());

        HttpResponse<String> unknown = post(env, "/2018-06-01/runtime/invocation/nope/response", "x", Map.of());
        HttpResponse<String> missing = post(env, "/2018-06-01/runtime/invocation//error", "{}", Map.of());

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("\"errorType\":\"InvalidRequestID\"");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(get(env, "/2018-06-01/runtime/elsewhere").statusCode()).isEqualTo(404);
        assertThat(get(env, "/2018-06-01/runtime/invocation/nope/response").statusCode())
                .isEqualTo(404);
    }

    @Test
    void errorReportsEndInvocationsAsFunctionErrors() throws Exception {
        start(Duration.ofSeconds(30));
        Map<String, String> env = environment(Optional.empty());

        CompletionStage<Invocation> thrown = invoke("{}");
        String first = next(env);
        HttpResponse<String> reported = report(
                env,
                first,
                "error",
                "{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.IllegalStateException\",\"stackTrace\":[]}",
                Map.of("Lambda-Runtime-Function-Error-Type", "Unhandled"));
        CompletionStage<Invocation> untyped = invoke("{}");
        String second = next(env);
        report(
                env,
                second,
                "error",
                "{\"errorMessage\":\"bad input\"}",
                Map.of("Lambda-Runtime-Function-Error-Type", "Runtime.Custom"));

        assertThat(reported.statusCode()).isEqualTo(202);
        assertThat(outcome(thrown)).isEqualTo(new FunctionFailed("java.lang.IllegalStateException", "boom"));
        assertThat(outcome(untyped)).isEqualTo(new FunctionFailed("Runtime.Custom", "bad input"));
    }

    @Test
    void anInitErrorIsTheOutcomeOfTheNextInvocation() throws Exception {
        start(Duration.ofSeconds(30));
        Map<String, String> env = environment(Optional.empty());

        HttpResponse<String> reported = post(
                env,
                "/2018-06-01/runtime/init/error",
                "{\"errorMessage\":\"Cannot load handler\",\"errorType\":\"Runtime.ImportModuleError\"}",
                Map.of("Lambda-Runtime-Function-Error-Type", "Runtime.ImportModuleError"));

        assertThat(reported.statusCode()).isEqualTo(202);
        assertThat(outcome(invoke("{}")))
                .isEqualTo(new FunctionFailed("Runtime.ImportModuleError", "Cannot load handler"));
    }

    @Test
    void aRuntimeThatExitsBeforePollingFailsTheInvocationAsAnExitError() {
        start(Duration.ofSeconds(30), List.of("/bin/sh", "-c", "exit 7"));

        assertThat(outcome(invoke("{}")))
                .isEqualTo(new FunctionFailed("Runtime.ExitError", "Error: Runtime exited with error: exit status 7"));
    }

    @Test
    void aCommandThatCannotStartFailsTheInvocation() {
        start(Duration.ofSeconds(30), List.of(work.resolve("no-such-bootstrap").toString()));

        assertThat(outcome(invoke("{}")))
                .isInstanceOfSatisfying(
                        FunctionFailed.class,
                        failed -> assertThat(failed.errorType()).isEqualTo("Runtime.InvalidEntrypoint"));
    }

    @Test
    void invocationsBeyondWhatMayWaitAreRefusedAtOnceAndCloseRefusesTheRest() {
        start(Duration.ofSeconds(30)); // nobody polls: everything waits
        List<CompletableFuture<Invocation>> waiting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiting.add(invoke("{}").toCompletableFuture());
        }

        CompletableFuture<Invocation> beyond = invoke("{}").toCompletableFuture();

        assertThat(beyond).isDone();
        assertRefused(beyond.getNow(null), Refused.INVOKE_LIMIT_EXCEEDED);
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        function.close();
        for (CompletableFuture<Invocation> stage : waiting) {
            assertThat(outcome(stage)).isEqualTo(new Refused(Refused.INVOKE_FAILED, "Local function shout stopped"));
        }
    }

    @Test
    void anInvocationNoRuntimeTakesWithinTheTimeoutIsRefused() {
        start(Duration.ofSeconds(1));

        assertRefused(outcome(invoke("{}")), Refused.INVOKE_FAILED);
    }

    @Test
    void aResponseOverTheLimitIs413AndAFunctionError() throws Exception {
        start(Duration.ofSeconds(30));
        Map<String, String> env = environment(Optional.empty());
        CompletionStage<Invocation> atLimit = invoke("{}");
        String first = next(env);
        HttpResponse<String> fits =
                report(env, first, "response", "x".repeat(FunctionCall.MAX_PAYLOAD_BYTES), Map.of());
        CompletionStage<Invocation> overLimit = invoke("{}");
        String second = next(env);

        HttpResponse<String> tooLarge =
                report(env, second, "response", "x".repeat(FunctionCall.MAX_PAYLOAD_BYTES + 1), Map.of());

        assertThat(fits.statusCode()).isEqualTo(202);
        assertThat(outcome(atLimit))
                .isInstanceOfSatisfying(
                        Answered.class, a -> assertThat(a.payload()).hasSize(FunctionCall.MAX_PAYLOAD_BYTES));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(outcome(overLimit))
                .isEqualTo(new FunctionFailed(
                        "Function.ResponseSizeTooLarge",
                        "Response payload size exceeded maximum allowed payload size (6291556 bytes)."));
    }

    @Test
    void aRequestOverTheLimitIsRefused() {
        start(Duration.ofSeconds(30));

        Invocation outcome = outcome(
                function.invoke(new FunctionCall(ARN, Optional.empty(), new byte[FunctionCall.MAX_PAYLOAD_BYTES + 1])));

        assertRefused(outcome, Refused.INVOKE_FAILED);
    }

    @Test
    void anUnansweredInvocationTimesOutAndItsProcessIsKilledAndStartedAgain() throws Exception {
        start(Duration.ofSeconds(1));
        Map<String, String> env = environment(Optional.empty());
        long firstPid = Long.parseLong(env.get("PID"));
        CompletionStage<Invocation> outcome = invoke("{}");
        String requestId = next(env);

        assertThat(outcome(outcome)).isInstanceOf(Invocation.TimedOut.class);
        await().atMost(WAIT).until(() -> ProcessHandle.of(firstPid).isEmpty());
        Map<String, String> restarted = environment(Optional.of(firstPid));
        assertThat(restarted.get("AWS_LAMBDA_RUNTIME_API")).isEqualTo(env.get("AWS_LAMBDA_RUNTIME_API"));
        // Too late: the invocation is over.
        assertThat(report(env, requestId, "response", "late", Map.of()).statusCode())
                .isEqualTo(400);
    }

    private void start(Duration timeout) {
        // The "runtime": writes its environment (and pid) where the test reads it, then sleeps.
        String script =
                "{ env; echo PID=$$; } > \"$0/env-$$.tmp\" && mv \"$0/env-$$.tmp\" \"$0/env-$$\" && exec sleep 600";
        start(timeout, List.of("/bin/sh", "-c", script, work.toString()));
    }

    private void start(Duration timeout, List<String> command) {
        try {
            function = LocalFunction.start(
                    new LocalFunctionConfig(
                            ARN,
                            command,
                            "example.Shout::handleRequest",
                            1,
                            timeout,
                            512,
                            Optional.of(work),
                            Map.of("EXTRA", "yes")),
                    Clock.fixed(NOW, ZoneOffset.UTC));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The environment a runtime process wrote down: of one not {@code except}, once there is one. */
    private Map<String, String> environment(Optional<Long> except) {
        Path file = await().atMost(WAIT)
                .until(() -> envFile(except), Optional::isPresent)
                .orElseThrow();
        try {
            return Files.readAllLines(file).stream()
                    .filter(line -> line.contains("="))
                    .map(line -> line.split("=", 2))
                    .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1], (a, b) -> b));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<Path> envFile(Optional<Long> except) throws IOException {
        try (Stream<Path> files = Files.list(work)) {
            return files.filter(f -> f.getFileName().toString().matches("env-\\d+"))
                    .filter(f -> except.map(pid -> !f.getFileName().toString().equals("env-" + pid))
                            .orElse(true))
                    .findFirst();
        }
    }

    private CompletionStage<Invocation> invoke(String event) {
        return function.invoke(new FunctionCall(ARN, Optional.empty(), event.getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> get(Map<String, String> env, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri(env, path)).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(Map<String, String> env, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri(env, path)).timeout(WAIT).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET /next} as a runtime does: the request id of the invocation it is handed. */
    private String next(Map<String, String> env) throws Exception {
        return requestId(get(env, "/2018-06-01/runtime/invocation/next"));
    }

    /** {@code POST /invocation/{requestId}/{kind}}: {@code response} or {@code error}. */
    private HttpResponse<String> report(
            Map<String, String> env, String requestId, String kind, String body, Map<String, String> headers)
            throws Exception {
        return post(env, "/2018-06-01/runtime/invocation/" + requestId + "/" + kind, body, headers);
    }

    private static URI uri(Map<String, String> env, String path) {
        return URI.create("http://" + env.get("AWS_LAMBDA_RUNTIME_API") + path);
    }

    private static String requestId(HttpResponse<String> next) {
        assertThat(next.statusCode()).isEqualTo(200);
        return next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
    }

    private static void assertRefused(Invocation outcome, String errorCode) {
        assertThat(outcome)
                .isInstanceOfSatisfying(
                        Refused.class,
                        refused -> assertThat(refused.errorCode()).isEqualTo(errorCode));
    }

    private static Invocation outcome(CompletionStage<Invocation> stage) {
        CompletableFuture<Invocation> future = stage.toCompletableFuture();
        await().atMost(WAIT).until(future::isDone);
        return future.getNow(null);
    }
}
