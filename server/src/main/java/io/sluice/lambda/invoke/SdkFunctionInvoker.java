package io.sluice.lambda.invoke;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.aws.AssumedRoleCredentials;
import io.sluice.aws.ServiceClients;
import io.sluice.lambda.FunctionCall;
import io.sluice.lambda.FunctionInvoker;
import io.sluice.lambda.Invocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.LambdaClientBuilder;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/**
 * Runs functions through the Lambda Invoke API (delivery spec §6.1.12) of one endpoint, with the AWS
 * SDK's {@link LambdaClient} on the Apache 5 HTTP client. Each call is one synchronous
 * ({@code RequestResponse}) {@code Invoke} with the call's {@code functionArn} unchanged as
 * {@code FunctionName} and no {@code Qualifier}, so a version or alias in the ARN is the one invoked.
 * It runs on a virtual thread of its own; at most {@link InvokeEndpointConfig#maxConcurrency()} run at
 * once, the rest wait. The SDK does not retry: the processor retries {@code NumberOfRetries} times
 * itself, and retries underneath would multiply those and hide throttling.
 *
 * <p>How an invocation ends:
 *
 * <ul>
 *   <li>HTTP 200 without {@code X-Amz-Function-Error} → {@link Invocation.Answered}, unless the payload
 *       is over {@link FunctionCall#MAX_PAYLOAD_BYTES}: then {@link Invocation.FunctionFailed}
 *       {@code Function.ResponseSizeTooLarge}, as Lambda itself ends such an invocation (§6.1.11);
 *   <li>{@code X-Amz-Function-Error} ({@code Handled} or {@code Unhandled}) → {@link
 *       Invocation.FunctionFailed} with the error object's {@code errorType} and {@code errorMessage},
 *       or {@link Invocation.TimedOut} when they say the function's task timed out;
 *   <li>service errors → {@link Invocation.Refused}: 404 {@code ResourceNotFoundException} →
 *       {@code Lambda.ResourceNotFound}; 429 {@code TooManyRequestsException} →
 *       {@code Lambda.InvokeLimitExceeded}; 403 and signature or token errors →
 *       {@code Lambda.InvokeAccessDenied}; STS refusing the processor's role →
 *       {@code Lambda.AssumeRoleAccessDenied}; anything else (413, 5xx, no connection, I/O, no answer
 *       within the API call timeout, the invoker closed) → {@code Lambda.InvokeFailed}. Messages carry
 *       the AWS error code and the HTTP status.
 * </ul>
 *
 * <p>One client is kept per region and assumed role (the endpoint and its credentials are this
 * invoker's); all share one HTTP connection pool. {@link #close()} closes them, which ends invocations
 * in flight as refused.
 */
public final class SdkFunctionInvoker implements FunctionInvoker {
    private static final String RESPONSE_TOO_LARGE = "Function.ResponseSizeTooLarge";
    private static final String RESPONSE_TOO_LARGE_MESSAGE =
            "Response payload size exceeded maximum allowed payload size (" + FunctionCall.MAX_PAYLOAD_BYTES
                    + " bytes).";

    /** The error codes of a request Lambda refused for who sent it or how it was signed. */
    private static final Set<String> ACCESS_DENIED_CODES = Set.of(
            "AccessDeniedException",
            "AccessDenied",
            "InvalidSignatureException",
            "SignatureDoesNotMatch",
            "UnrecognizedClientException",
            "InvalidClientTokenId",
            "ExpiredTokenException",
            "MissingAuthenticationTokenException",
            "IncompleteSignatureException");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final InvokeEndpointConfig config;
    private final SdkHttpClient http;
    private final Semaphore permits;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final ServiceClients<LambdaClient> clients;
    private boolean closed;

    public SdkFunctionInvoker(InvokeEndpointConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.permits = new Semaphore(config.maxConcurrency(), true);
        this.http = Apache5HttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(config.apiCallTimeout())
                .maxConnections(config.maxConcurrency())
                .build();
        this.clients = new ServiceClients<>(
                config.endpoint(), config.credentials(), config.roleAssumption(), http, this::newClient);
    }

    @Override
    public CompletionStage<Invocation> invoke(FunctionCall call) {
        requireNonNull(call, "call is null");
        try {
            return CompletableFuture.supplyAsync(() -> invokeWithPermit(call), threads);
        } catch (RuntimeException rejected) {
            return CompletableFuture.completedFuture(closedRefusal());
        }
    }

    private Invocation invokeWithPermit(FunctionCall call) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            return closedRefusal();
        }
        try {
            return invokeNow(call);
        } finally {
            permits.release();
        }
    }

    private Invocation invokeNow(FunctionCall call) {
        Optional<String> region = config.regionOf(call.functionArn());
        if (region.isEmpty()) {
            return new Invocation.Refused(
                    Invocation.Refused.INVOKE_FAILED,
                    "no region for " + call.functionArn() + ": not a Lambda function ARN and none configured");
        }
        try {
            LambdaClient client = clients.client(region.get(), call.roleArn());
            InvokeResponse response = client.invoke(InvokeRequest.builder()
                    .functionName(call.functionArn())
                    .invocationType(InvocationType.REQUEST_RESPONSE)
                    .payload(SdkBytes.fromByteArrayUnsafe(call.payload()))
                    .build());
            return answered(response);
        } catch (RuntimeException e) {
            return refused(e);
        }
    }

    /** The outcome of an invocation Lambda answered with HTTP 200. */
    private static Invocation answered(InvokeResponse response) {
        byte[] payload =
                response.payload() == null ? new byte[0] : response.payload().asByteArrayUnsafe();
        if (response.functionError() != null) {
            return functionFailed(response.functionError(), payload);
        }
        if (payload.length > FunctionCall.MAX_PAYLOAD_BYTES) {
            return new Invocation.FunctionFailed(RESPONSE_TOO_LARGE, RESPONSE_TOO_LARGE_MESSAGE);
        }
        return new Invocation.Answered(payload);
    }

    /**
     * A function error's outcome, from Lambda's error object {@code {"errorMessage","errorType",...}}.
     * A timed-out function is reported by Lambda as an {@code Unhandled} error whose message says
     * {@code Task timed out after N seconds} (older runtimes, no type) or whose type is
     * {@code Sandbox.Timedout}. A body that is no error object keeps the header's kind as its type.
     */
    private static Invocation functionFailed(String kind, byte[] body) {
        String type = kind;
        String message = new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode error = JSON.readTree(body);
            if (error != null && error.isObject()) {
                type = error.path("errorType").asText("");
                message = error.path("errorMessage").asText("");
            }
        } catch (IOException notJson) {
            // the raw body is the message
        }
        if (type.equals("Sandbox.Timedout") || message.contains("Task timed out after")) {
            return new Invocation.TimedOut();
        }
        return new Invocation.FunctionFailed(type, message);
    }

    /** The refusal an exception from the SDK (or from STS, through the credentials) stands for. */
    private static Invocation.Refused refused(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof AssumedRoleCredentials.AssumeRoleFailedException failed) {
                return new Invocation.Refused(Invocation.Refused.ASSUME_ROLE_ACCESS_DENIED, failed.getMessage());
            }
        }
        if (e instanceof AwsServiceException service) {
            String code = Optional.ofNullable(service.awsErrorDetails())
                    .map(AwsErrorDetails::errorCode)
                    .filter(c -> !c.isEmpty())
                    .orElse("");
            String message = Optional.ofNullable(service.awsErrorDetails())
                    .map(AwsErrorDetails::errorMessage)
                    .orElse("");
            int status = service.statusCode();
            String text = "Invoke refused with HTTP " + status + (code.isEmpty() ? "" : " " + code)
                    + (message.isEmpty() ? "" : ": " + message);
            return new Invocation.Refused(errorCode(service, code, status), text);
        }
        if (e instanceof ApiCallTimeoutException) {
            return new Invocation.Refused(Invocation.Refused.INVOKE_FAILED, "no answer in time: " + e.getMessage());
        }
        return new Invocation.Refused(Invocation.Refused.INVOKE_FAILED, "Invoke failed: " + e.getMessage());
    }

    private static String errorCode(AwsServiceException e, String code, int status) {
        if (e instanceof ResourceNotFoundException || status == 404) {
            return Invocation.Refused.RESOURCE_NOT_FOUND;
        }
        if (e instanceof TooManyRequestsException || status == 429) {
            return Invocation.Refused.INVOKE_LIMIT_EXCEEDED;
        }
        if (status == 403 || ACCESS_DENIED_CODES.contains(code)) {
            return Invocation.Refused.INVOKE_ACCESS_DENIED;
        }
        return Invocation.Refused.INVOKE_FAILED;
    }

    private static Invocation.Refused closedRefusal() {
        return new Invocation.Refused(Invocation.Refused.INVOKE_FAILED, "the invoker is closed");
    }

    private LambdaClient newClient(Region region, AwsCredentialsProvider credentials) {
        LambdaClientBuilder builder = LambdaClient.builder()
                .httpClient(http)
                .region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration(
                        o -> o.apiCallTimeout(config.apiCallTimeout()).retryStrategy(AwsRetryStrategy.doNotRetry()));
        config.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * Refuses new invocations, closes the clients and the HTTP client (ending invocations in flight as
     * refused) and wakes those waiting for their turn, which end refused too.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        clients.close();
        threads.shutdownNow();
        http.close();
    }
}
