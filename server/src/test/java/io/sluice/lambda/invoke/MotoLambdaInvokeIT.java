package io.sluice.lambda.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.RoleAssumption;
import io.sluice.lambda.FunctionCall;
import io.sluice.lambda.Invocation;
import io.sluice.testing.MotoServer;
import io.sluice.testing.SignedHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * {@link SdkFunctionInvoker} against moto's Lambda (its Docker-free backend, which answers each
 * invocation with the next result queued through moto's API) and moto's STS: the SDK wiring — SigV4
 * for service {@code lambda}, the region taken from the ARN, the endpoint, the processor's role
 * assumed — is accepted by a server that is not ours.
 */
class MotoLambdaInvokeIT {
    private static final String REGION = "us-east-1";
    private static final String ACCOUNT = MotoServer.DEFAULT_ACCOUNT;
    private static final String FUNCTION_ARN = "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:transform";
    private static final String DELIVERY_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/firehose-delivery";
    private static final Duration UPPER_BOUND = Duration.ofSeconds(60);

    @Test
    void invokesQualifiedAndUnqualifiedArnsAsTheAssumedRole() {
        MotoServer.assumeAvailable();
        try (MotoServer moto = MotoServer.start()) {
            post(moto, "/moto-api/config", "{\"lambda\":{\"use_docker\":false}}");
            String version = createFunction(moto);
            post(
                    moto,
                    "/moto-api/static/lambda-simple/response",
                    "{\"account_id\":\"" + ACCOUNT + "\",\"region\":\"" + REGION + "\",\"results\":"
                            + "[\"{\\\"records\\\":[1]}\",\"{\\\"records\\\":[2]}\"]}");
            RoleAssumption always = new RoleAssumption(RoleAssumption.Mode.ALWAYS, Optional.of(moto.endpoint()));
            try (SdkFunctionInvoker invoker = new SdkFunctionInvoker(new InvokeEndpointConfig(
                    Optional.of(moto.endpoint()),
                    Optional.empty(),
                    Optional.of(AccessKeys.of(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)),
                    always,
                    UPPER_BOUND,
                    2))) {
                assertThat(answer(invoker, FUNCTION_ARN + ":" + version)).isEqualTo("{\"records\":[1]}");
                assertThat(answer(invoker, FUNCTION_ARN)).isEqualTo("{\"records\":[2]}");
            }
        }
    }

    private static String answer(SdkFunctionInvoker invoker, String arn) {
        Invocation result = invoker.invoke(new FunctionCall(
                        arn, Optional.of(DELIVERY_ROLE), "{\"records\":[]}".getBytes(StandardCharsets.UTF_8)))
                .toCompletableFuture()
                .orTimeout(UPPER_BOUND.toSeconds(), TimeUnit.SECONDS)
                .join();
        assertThat(result).isInstanceOf(Invocation.Answered.class);
        return new String(((Invocation.Answered) result).payload(), StandardCharsets.UTF_8);
    }

    /**
     * Creates the execution role (moto wants it to exist; signed by hand, as the tests have no IAM SDK
     * module), the function and its version 1 in moto; returns the version.
     */
    private static String createFunction(MotoServer moto) {
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
        HttpResponse<String> role = new SignedHttp(moto.endpoint())
                .postForm(
                        "iam",
                        REGION,
                        Map.of(
                                "Action", "CreateRole",
                                "Version", "2010-05-08",
                                "RoleName", "transform-execution",
                                "AssumeRolePolicyDocument", trust));
        assertThat(role.statusCode()).as(role.body()).isEqualTo(200);
        try (LambdaClient lambda = LambdaClient.builder()
                .httpClientBuilder(Apache5HttpClient.builder())
                .region(Region.of(REGION))
                .endpointOverride(moto.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                .build()) {
            lambda.createFunction(r -> r.functionName("transform")
                    .runtime(Runtime.PYTHON3_12)
                    .role("arn:aws:iam::" + ACCOUNT + ":role/transform-execution")
                    .handler("transform.handler")
                    .code(c -> c.zipFile(SdkBytes.fromByteArray(handlerZip()))));
            return lambda.publishVersion(r -> r.functionName("transform")).version();
        }
    }

    private static byte[] handlerZip() {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("transform.py"));
            out.write("def handler(event, context):\n    return event\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip.toByteArray();
    }

    private static void post(MotoServer moto, String path, String json) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(moto.endpoint() + path))
                            .timeout(UPPER_BOUND)
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode())
                    .as("%s: %s", path, response.body())
                    .isBetween(200, 299);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
