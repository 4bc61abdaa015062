package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.RoleAssumption;
import io.sluice.lambda.FunctionsConfig;
import io.sluice.lambda.invoke.InvokeEndpointConfig;
import java.net.URI;
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
                .hasMessageContaining("setting 'lambda-function.b.endpoint' is required by 'lambda-function.b.arn'")
                .hasMessageContaining("setting 'lambda-function.c.arn' is required")
                .hasMessageContaining(
                        "settings 'lambda-function.d.access-key' and 'lambda-function.d.secret-key' go" + " together");
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
