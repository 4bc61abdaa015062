package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.RoleAssumption;
import io.sluice.lambda.FunctionsConfig;
import io.sluice.lambda.invoke.InvokeEndpointConfig;
import io.sluice.lambda.local.LocalFunctionConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LambdaSettingsTest {
    private static final String FUNCTION = "arn:aws:lambda:eu-west-1:123456789012:function:transform";

    private static FunctionsConfig functions(Map<String, String> options) throws Exception {
        return SluiceConfig.from(SluiceConfig.settings(null, Map.of(), options))
                .delivery()
                .functions();
    }

    @Test
    void byDefaultEveryFunctionRunsOnAwsLambda() throws Exception {
        FunctionsConfig functions = functions(Map.of());
        assertThat(functions.defaultEndpoint()).isEqualTo(InvokeEndpointConfig.aws());
        assertThat(functions.functions()).isEmpty();
    }

    @Test
    void readsTheDefaultEndpointAndFunctionsOnOtherEndpoints() throws Exception {
        FunctionsConfig functions = functions(Map.of(
                "lambda-endpoint", "http://127.0.0.1:4566",
                "lambda-region", "us-east-1",
                "lambda-access-key", "ak",
                "lambda-secret-key", "sk",
                "lambda-assume-role", "never",
                "lambda-function.mine.arn", FUNCTION + ":prod",
                "lambda-function.mine.endpoint", "https://lambda.internal"));
        InvokeEndpointConfig fallback = functions.defaultEndpoint();
        assertThat(fallback.endpoint()).contains(URI.create("http://127.0.0.1:4566"));
        assertThat(fallback.region()).contains("us-east-1");
        assertThat(fallback.credentials()).contains(AccessKeys.of("ak", "sk"));
        assertThat(fallback.roleAssumption().mode()).isEqualTo(RoleAssumption.Mode.NEVER);
        FunctionsConfig.Route.Invoke mine =
                (FunctionsConfig.Route.Invoke) functions.functions().get(FUNCTION + ":prod");
        assertThat(mine.endpoint().endpoint()).contains(URI.create("https://lambda.internal"));
        assertThat(mine.endpoint().region()).contains("us-east-1");
        assertThat(mine.endpoint().credentials()).isEqualTo(Optional.empty());
    }

    @Test
    void reportsEveryFunctionProblemAtOnce() {
        assertThatThrownBy(() -> functions(Map.of(
                        "lambda-assume-role", "sometimes",
                        "lambda-function.a.arn", "arn:aws:s3:::bucket",
                        "lambda-function.b.arn", FUNCTION,
                        "lambda-function.c.endpoint", "http://127.0.0.1:1",
                        "lambda-function.d.arn", FUNCTION,
                        "lambda-function.d.endpoint", "http://127.0.0.1:1",
                        "lambda-function.d.access-key", "only-one")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("setting 'lambda-assume-role' must be 'auto', 'always' or 'never': sometimes")
                .hasMessageContaining("setting 'lambda-function.a.arn' is not a Lambda function ARN")
                .hasMessageContaining(
                        "setting 'lambda-function.b.endpoint' or 'lambda-function.b.command' is required by"
                                + " 'lambda-function.b.arn'")
                .hasMessageContaining("setting 'lambda-function.c.arn' is required")
                .hasMessageContaining(
                        "settings 'lambda-function.d.access-key' and 'lambda-function.d.secret-key' go" + " together");
    }

    @Test
    void readsALocalFunctionWithItsDefaults() throws Exception {
        FunctionsConfig functions = functions(Map.of(
                "lambda-function.upper.arn", FUNCTION,
                "lambda-function.upper.command", "java -cp \"my dir/upper.jar\" Main example.Upper::handleRequest",
                "lambda-function.upper.environment", "TABLE=t1, MODE = fast"));
        LocalFunctionConfig local =
                ((FunctionsConfig.Route.Local) functions.functions().get(FUNCTION)).function();
        assertThat(local.command())
                .containsExactly("java", "-cp", "my dir/upper.jar", "Main", "example.Upper::handleRequest");
        assertThat(local.handler()).isEqualTo("example.Upper::handleRequest");
        assertThat(local.processes()).isEqualTo(1);
        assertThat(local.timeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(local.memoryMb()).isEqualTo(128);
        assertThat(local.workingDirectory()).isEmpty();
        assertThat(local.environment()).containsOnly(Map.entry("TABLE", "t1"), Map.entry("MODE", "fast"));

        LocalFunctionConfig tuned = ((FunctionsConfig.Route.Local) functions(Map.of(
                                "lambda-function.upper.arn", FUNCTION,
                                "lambda-function.upper.command", "./bootstrap",
                                "lambda-function.upper.handler", "app.handler",
                                "lambda-function.upper.processes", "3",
                                "lambda-function.upper.timeout", "5m",
                                "lambda-function.upper.memory", "1024",
                                "lambda-function.upper.directory", "/srv/fn"))
                        .functions()
                        .get(FUNCTION))
                .function();
        assertThat(tuned.handler()).isEqualTo("app.handler");
        assertThat(tuned.processes()).isEqualTo(3);
        assertThat(tuned.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(tuned.memoryMb()).isEqualTo(1024);
        assertThat(tuned.workingDirectory()).contains(Path.of("/srv/fn"));
    }

    @Test
    void refusesWhatALocalFunctionCannotBe() {
        assertThatThrownBy(() -> functions(Map.ofEntries(
                        Map.entry("lambda-function.a.arn", FUNCTION),
                        Map.entry("lambda-function.a.command", "run"),
                        Map.entry("lambda-function.a.endpoint", "http://127.0.0.1:1"),
                        Map.entry("lambda-function.b.arn", FUNCTION + ":1"),
                        Map.entry("lambda-function.b.command", "run"),
                        Map.entry("lambda-function.b.timeout", "6m"),
                        Map.entry("lambda-function.c.arn", FUNCTION + ":2"),
                        Map.entry("lambda-function.c.command", "run \"unclosed"),
                        Map.entry("lambda-function.d.arn", FUNCTION + ":3"),
                        Map.entry("lambda-function.d.command", "run"),
                        Map.entry("lambda-function.d.processes", "0"),
                        Map.entry("lambda-function.e.arn", FUNCTION + ":4"),
                        Map.entry("lambda-function.e.processes", "2"))))
                .hasMessageContaining("settings 'lambda-function.a.*' mix an Invoke API endpoint")
                .hasMessageContaining("setting 'lambda-function.b.timeout' is longer than the 5 minutes Firehose lets a"
                        + " function run: 6m")
                .hasMessageContaining("unclosed quote in command")
                .hasMessageContaining("settings 'lambda-function.d.*': ")
                .hasMessageContaining("setting 'lambda-function.e.command' is required by 'lambda-function.e.arn'");
    }

    @Test
    void oneFunctionOnce() {
        assertThatThrownBy(() -> functions(Map.of(
                        "lambda-function.a.arn",
                        FUNCTION,
                        "lambda-function.a.endpoint",
                        "http://127.0.0.1:1",
                        "lambda-function.b.arn",
                        FUNCTION,
                        "lambda-function.b.endpoint",
                        "http://127.0.0.1:2")))
                .hasMessage("settings 'lambda-function.a.arn' and 'lambda-function.b.arn' name the same function "
                        + FUNCTION);
    }
}
