package io.sluice.lambda.invoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.aws.AccessKeys;
import io.sluice.aws.RoleAssumption;
import io.sluice.lambda.FunctionCall;
import io.sluice.lambda.Invocation;
import io.sluice.testing.LambdaInvokeServer;
import io.sluice.testing.LambdaInvokeServer.Reply;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SdkFunctionInvokerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGION = "eu-west-1";
    private static final String ARN = LambdaInvokeServer.arn(REGION, "transform");
    private static final byte[] EVENT = "{\"invocationId\":\"1\",\"records\":[]}".getBytes(StandardCharsets.UTF_8);
    private static final Duration UPPER_BOUND = Duration.ofSeconds(30);

    private LambdaInvokeServer lambda;
    private SdkFunctionInvoker invoker;

    @BeforeEach
    void startLambda() {
        lambda = LambdaInvokeServer.start();
    }

    @AfterEach
    void stop() {
        if (invoker != null) {
            invoker.close();
        }
        lambda.close();
    }

    private SdkFunctionInvoker invoker(
            Optional<String> region, RoleAssumption roles, Duration timeout, int concurrency) {
        invoker = new SdkFunctionInvoker(new InvokeEndpointConfig(
                Optional.of(lambda.endpoint()),
                region,
                Optional.of(AccessKeys.of("AKIDEXAMPLE", "secret")),
                roles,
                timeout,
                concurrency));
        return invoker;
    }

    private SdkFunctionInvoker invoker() {
        return invoker(Optional.empty(), RoleAssumption.AUTO, Duration.ofSeconds(20), 4);
    }

    private static Invocation invoke(SdkFunctionInvoker invoker, String arn) {
        return invoker.invoke(new FunctionCall(arn, Optional.empty(), EVENT))
                .toCompletableFuture()
                .orTimeout(UPPER_BOUND.toSeconds(), TimeUnit.SECONDS)
                .join();
    }

    @Test
    void answersWithTheFunctionsResultSignedForTheArnsRegion() {
        lambda.function(
                "transform", event -> Reply.Ok.json(JSON.createObjectNode().set("echo", event)));

        Invocation result = invoke(invoker(), ARN);

        assertThat(result)
                .isInstanceOfSatisfying(
                        Invocation.Answered.class,
                        answered -> assertThat(new String(answered.payload(), StandardCharsets.UTF_8))
                                .isEqualTo("{\"echo\":{\"invocationId\":\"1\",\"records\":[]}}"));
        LambdaInvokeServer.Invocation request = lambda.invocations().getFirst();
        assertThat(request.functionName()).isEqualTo(ARN);
        assertThat(request.body()).isEqualTo(EVENT);
        assertThat(request.signingRegion()).isEqualTo(REGION);
        assertThat(request.header("Authorization")).contains("/" + REGION + "/lambda/aws4_request");
        assertThat(request.header("X-Amz-Invocation-Type")).isEqualTo("RequestResponse");
    }

    @Test
    void sendsAQualifiedArnUnchangedWithoutAQualifierParameter() {
        lambda.function(
                "transform:live", event -> Reply.Ok.json(JSON.createObjectNode().put("alias", "live")));

        Invocation result = invoke(invoker(), ARN + ":live");

        assertThat(result).isInstanceOf(Invocation.Answered.class);
        assertThat(lambda.invocations()).singleElement().satisfies(request -> {
            assertThat(request.functionName()).isEqualTo(ARN + ":live");
            assertThat(request.qualifierParameter()).isEmpty();
        });
    }

    @Test
    void aConfiguredRegionWinsOverTheArns() {
        lambda.function("transform", event -> Reply.Ok.json(event));

        invoke(invoker(Optional.of("us-east-2"), RoleAssumption.AUTO, Duration.ofSeconds(20), 1), ARN);

        assertThat(lambda.invocations().getFirst().signingRegion()).isEqualTo("us-east-2");
    }

    @Test
    void anArnWithoutARegionAndNoneConfiguredIsRefusedUnsent() {
        Invocation result = invoke(invoker(), "transform");

        assertThat(result).isInstanceOfSatisfying(Invocation.Refused.class, refused -> {
            assertThat(refused.errorCode()).isEqualTo(Invocation.Refused.INVOKE_FAILED);
            assertThat(refused.message()).contains("no region");
        });
        assertThat(lambda.invocations()).isEmpty();
    }

    @Test
    void aFunctionErrorIsTheFunctionsTypeAndMessage() {
        lambda.function("transform", event -> new Reply.FunctionError("ValueError", "bad record"));
        lambda.function("thrower", event -> {
            throw new IllegalStateException("boom");
        });

        assertThat(invoke(invoker(), ARN)).isEqualTo(new Invocation.FunctionFailed("ValueError", "bad record"));
        assertThat(invoke(invoker, LambdaInvokeServer.arn(REGION, "thrower")))
                .isEqualTo(new Invocation.FunctionFailed("java.lang.IllegalStateException", "boom"));
    }

    @Test
    void aTaskThatTimedOutIsTimedOut() {
        lambda.function(
                "sandbox",
                event -> new Reply.FunctionError(
                        "Sandbox.Timedout", "RequestId: 6b1f Error: Task timed out after 3.00 seconds"));
        lambda.function(
                "older-runtime",
                event ->
                        new Reply.FunctionError("", "2024-01-01T00:00:00.000Z 6b1f Task timed out after 3.00 seconds"));

        assertThat(invoke(invoker(), LambdaInvokeServer.arn(REGION, "sandbox"))).isEqualTo(new Invocation.TimedOut());
        assertThat(invoke(invoker, LambdaInvokeServer.arn(REGION, "older-runtime")))
                .isEqualTo(new Invocation.TimedOut());
    }

    @Test
    void aResponseOverTheLimitIsAFunctionErrorAsLambdaMakesIt() {
        lambda.function("transform", event -> new Reply.Ok(new byte[FunctionCall.MAX_PAYLOAD_BYTES + 1]));

        assertThat(invoke(invoker(), ARN))
                .isEqualTo(new Invocation.FunctionFailed(
                        "Function.ResponseSizeTooLarge",
                        "Response payload size exceeded maximum allowed payload size (6291556 bytes)."));
    }

    @Test
    void anUnknownFunctionIsResourceNotFound() {
        Invocation result = invoke(invoker(), ARN + ":7");

        assertThat(result).isInstanceOfSatisfying(Invocation.Refused.class, refused -> {
            assertThat(refused.errorCode()).isEqualTo(Invocation.Refused.RESOURCE_NOT_FOUND);
            assertThat(refused.message())
                    .contains("HTTP 404", "ResourceNotFoundException", "Function not found: " + ARN + ":7");
        });
    }

    @Test
    void throttlingIsInvokeLimitExceededAfterOneRequest() {
        lambda.function("transform", event -> new Reply.Throttled());

        Invocation result = invoke(invoker(), ARN);

        assertThat(result).isInstanceOfSatisfying(Invocation.Refused.class, refused -> {
            assertThat(refused.errorCode()).isEqualTo(Invocation.Refused.INVOKE_LIMIT_EXCEEDED);
            assertThat(refused.message()).contains("HTTP 429", "TooManyRequestsException");
        });
        assertThat(lambda.invocations()).hasSize(1);
    }

    @Test
    void aServerErrorIsInvokeFailedAfterOneRequest() {
        lambda.function("transform", event -> new Reply.Status(500, "ServiceException", "internal failure"));

        Invocation result = invoke(invoker(), ARN);

        assertThat(result).isInstanceOfSatisfying(Invocation.Refused.class, refused -> {
            assertThat(refused.errorCode()).isEqualTo(Invocation.Refused.INVOKE_FAILED);
            assertThat(refused.message()).contains("HTTP 500", "ServiceException", "internal failure");
        });
        assertThat(lambda.invocations()).hasSize(1);
    }

    @Test
    void accessAndSignatureErrorsAreInvokeAccessDenied() {
        lambda.function(
                "denied",
                event -> new Reply.Status(
                        403, "AccessDeniedException", "not authorized to perform: lambda:InvokeFunction"));
        lambda.function(
                "badly-signed",
                event -> new Reply.Status(403, "InvalidSignatureException", "The request signature does not match"));

        SdkFunctionInvoker denying = invoker();
        for (String name : List.of("denied", "badly-signed")) {
            assertThat(invoke(denying, LambdaInvokeServer.arn(REGION, name)))
                    .isInstanceOfSatisfying(Invocation.Refused.class, refused -> {
                        assertThat(refused.errorCode()).isEqualTo(Invocation.Refused.INVOKE_ACCESS_DENIED);
                        assertThat(refused.message()).contains("HTTP 403");
                    });
        }
    }

    @Test
    void aRequestOverTheLimitIsInvokeFailed() {
        lambda.function("transform", event -> Reply.Ok.json(event));
        byte[] large = new byte[LambdaInvokeServer.MAX_PAYLOAD_BYTES + 1];

        Invocation result = invoker()
                .invoke(new FunctionCall(ARN, Optional.empty(), large))
                .toCompletableFuture()
                .orTimeout(UPPER_BOUND.toSeconds(), TimeUnit.SECONDS)
                .join();

        assertThat(result).isInstanceOfSatisfying(Invocation.Refused.class, refused -> {
            assertThat(refused.errorCode()).isEqualTo(Invocation.Refused.INVOKE_FAILED);
            assertThat(refused.message()).contains("HTTP 413", "RequestTooLargeException");
        });
    }

    @Test
    void anUnreachableEndpointIsInvokeFailed() throws IOException {
        URI nothing;
        try (ServerSocket socket = new ServerSocket(0)) {
            nothing = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        invoker = new SdkFunctionInvoker(new InvokeEndpointConfig(
                Optional.of(nothing),
                Optional.empty(),
                Optional.of(AccessKeys.of("AKIDEXAMPLE", "secret")),
                RoleAssumption.AUTO,
                Duration.ofSeconds(20),
                1));

        assertThat(invoke(invoker, ARN))
                .isInstanceOfSatisfying(
                        Invocation.Refused.class,
                        refused -> assertThat(refused.errorCode()).isEqualTo(Invocation.Refused.INVOKE_FAILED));
    }

    @Test
    void noAnswerWithinTheApiCallTimeoutIsInvokeFailed() {
        lambda.function("transform", event -> new Reply.Delay(Duration.ofSeconds(60), Reply.Ok.json(event)));

        Invocation result = invoke(invoker(Optional.empty(), RoleAssumption.AUTO, Duration.ofSeconds(1), 1), ARN);

        assertThat(result)
                .isInstanceOfSatisfying(
                        Invocation.Refused.class,
                        refused -> assertThat(refused.errorCode()).isEqualTo(Invocation.Refused.INVOKE_FAILED));
        assertThat(lambda.invocations()).hasSize(1);
    }

    @Test
    void atMostMaxConcurrencyInvocationsRunAtOnce() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        lambda.function("transform", event -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                release.await(UPPER_BOUND.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
            return Reply.Ok.json(event);
        });
        SdkFunctionInvoker bounded = invoker(Optional.empty(), RoleAssumption.AUTO, UPPER_BOUND, 2);

        List<CompletableFuture<Invocation>> results = IntStream.range(0, 6)
                .mapToObj(i -> bounded.invoke(new FunctionCall(ARN, Optional.empty(), EVENT))
                        .toCompletableFuture())
                .toList();

        await().atMost(UPPER_BOUND).until(() -> running.get() == 2);
        await().during(Duration.ofMillis(500))
                .atMost(UPPER_BOUND)
                .until(() -> lambda.invocations().size() == 2);
        assertThat(results).noneMatch(CompletableFuture::isDone);
        release.countDown();
        assertThat(CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                        .orTimeout(UPPER_BOUND.toSeconds(), TimeUnit.SECONDS)
                        .thenApply(done ->
                                results.stream().map(CompletableFuture::join).toList())
                        .join())
                .hasSize(6)
                .allMatch(Invocation.Answered.class::isInstance);
        assertThat(most.get()).isEqualTo(2);
    }

    @Test
    void aRoleStsRefusesIsAssumeRoleAccessDenied() {
        lambda.function("transform", event -> Reply.Ok.json(event));
        RoleAssumption always = new RoleAssumption(RoleAssumption.Mode.ALWAYS, Optional.of(lambda.endpoint()));
        SdkFunctionInvoker assuming = invoker(Optional.empty(), always, Duration.ofSeconds(20), 1);

        Invocation result = assuming.invoke(
                        new FunctionCall(ARN, Optional.of("arn:aws:iam::123456789012:role/firehose"), EVENT))
                .toCompletableFuture()
                .orTimeout(UPPER_BOUND.toSeconds(), TimeUnit.SECONDS)
                .join();

        assertThat(result).isInstanceOfSatisfying(Invocation.Refused.class, refused -> {
            assertThat(refused.errorCode()).isEqualTo(Invocation.Refused.ASSUME_ROLE_ACCESS_DENIED);
            assertThat(refused.message()).contains("arn:aws:iam::123456789012:role/firehose");
        });
        assertThat(lambda.invocations())
                .allMatch(request -> !request.functionName().equals(ARN));
    }

    @Test
    void aRoleIsNotAssumedForAnEndpointOffAwsByDefault() {
        lambda.function("transform", event -> Reply.Ok.json(event));

        Invocation result = invoker()
                .invoke(new FunctionCall(ARN, Optional.of("arn:aws:iam::123456789012:role/firehose"), EVENT))
                .toCompletableFuture()
                .orTimeout(UPPER_BOUND.toSeconds(), TimeUnit.SECONDS)
                .join();

        assertThat(result).isInstanceOf(Invocation.Answered.class);
        assertThat(lambda.invocations().getFirst().header("Authorization")).contains("Credential=AKIDEXAMPLE/");
    }

    @Test
    void aClosedInvokerRefuses() {
        SdkFunctionInvoker closed = invoker();
        closed.close();

        assertThat(invoke(closed, ARN))
                .isInstanceOfSatisfying(
                        Invocation.Refused.class,
                        refused -> assertThat(refused.errorCode()).isEqualTo(Invocation.Refused.INVOKE_FAILED));
        assertThat(lambda.invocations()).isEmpty();
    }

    @Test
    void theConfigurationIsCheckedWhenMade() {
        Optional<AccessKeys> keys = Optional.empty();
        assertThatThrownBy(() -> new InvokeEndpointConfig(
                        Optional.of(URI.create("ftp://host")),
                        Optional.empty(),
                        keys,
                        RoleAssumption.AUTO,
                        Duration.ofSeconds(1),
                        1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InvokeEndpointConfig(
                        Optional.empty(), Optional.of(" "), keys, RoleAssumption.AUTO, Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InvokeEndpointConfig(
                        Optional.empty(), Optional.empty(), keys, RoleAssumption.AUTO, Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InvokeEndpointConfig(
                        Optional.empty(), Optional.empty(), keys, RoleAssumption.AUTO, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InvokeEndpointConfig(
                        Optional.empty(),
                        Optional.empty(),
                        keys,
                        RoleAssumption.AUTO,
                        Duration.ofSeconds(1),
                        InvokeEndpointConfig.MAX_CONCURRENCY + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(InvokeEndpointConfig.aws().apiCallTimeout()).isEqualTo(Duration.ofSeconds(330));
    }
}
