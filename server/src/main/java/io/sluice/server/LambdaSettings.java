package io.sluice.server;

import static io.sluice.server.SettingRules.check;
import static io.sluice.server.SettingRules.credentials;
import static io.sluice.server.SettingRules.required;
import static io.sluice.server.SettingRules.roleAssumption;
import static io.sluice.server.SettingRules.throwIfAny;
import static io.sluice.server.SettingRules.url;

import io.sluice.aws.RoleAssumption;
import io.sluice.lambda.FunctionsConfig;
import io.sluice.lambda.invoke.InvokeEndpointConfig;
import io.sluice.processor.LambdaParameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who runs the Lambda functions of streams' {@code Lambda} processors, from the {@code lambda-*}
 * settings: the default Invoke API ({@code lambda-endpoint}, empty for AWS Lambda, {@code lambda-region},
 * {@code lambda-access-key}, {@code lambda-secret-key}, and whether a processor's {@code RoleArn} is
 * assumed: {@code lambda-assume-role}, {@code lambda-sts-endpoint}), and per function
 * ({@code lambda-function.<label>.arn}) another Invoke API endpoint. Every problem is reported at once.
 */
final class LambdaSettings {
    static final SettingFamily FUNCTIONS = new SettingFamily(
            "lambda-function", "label", Set.of("arn", "endpoint", "region", "access-key", "secret-key"));

    private LambdaSettings() {}

    static FunctionsConfig from(Settings settings) {
        List<String> problems = new ArrayList<>();
        Optional<RoleAssumption> assumption =
                check(problems, () -> roleAssumption(settings, "lambda-assume-role", "lambda-sts-endpoint"));
        Optional<InvokeEndpointConfig> defaultEndpoint = assumption.flatMap(roles -> check(
                problems,
                () -> new InvokeEndpointConfig(
                        settings.optional("lambda-endpoint").map(value -> url(settings, "lambda-endpoint")),
                        settings.optional("lambda-region"),
                        credentials(settings, "lambda-access-key", "lambda-secret-key"),
                        roles,
                        InvokeEndpointConfig.DEFAULT_API_CALL_TIMEOUT,
                        InvokeEndpointConfig.DEFAULT_MAX_CONCURRENCY)));
        Map<String, FunctionsConfig.Route> functions = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (String label : settings.instances(FUNCTIONS)) {
            check(problems, () -> function(settings, label, assumption.orElse(RoleAssumption.AUTO)))
                    .ifPresent(function -> {
                        String earlier = labels.putIfAbsent(function.arn(), label);
                        if (earlier == null) {
                            functions.put(function.arn(), function.route());
                        } else {
                            problems.add("settings '" + FUNCTIONS.setting(earlier, "arn") + "' and '"
                                    + FUNCTIONS.setting(label, "arn") + "' name the same function " + function.arn());
                        }
                    });
        }
        throwIfAny(problems);
        return new FunctionsConfig(defaultEndpoint.orElseThrow(), functions);
    }

    private record Function(String arn, FunctionsConfig.Route route) {}

    /** One {@code lambda-function.<label>.*} group: its ARN and where it runs are required. */
    private static Function function(Settings settings, String label, RoleAssumption assumption) {
        String arnSetting = FUNCTIONS.setting(label, "arn");
        String arn = settings.optional(arnSetting).orElseThrow(() -> required(arnSetting, FUNCTIONS, label));
        if (!LambdaParameters.isFunctionArn(arn)) {
            throw new IllegalArgumentException("setting '" + arnSetting + "' is not a Lambda function ARN like"
                    + " arn:aws:lambda:us-east-1:123456789012:function:NAME[:QUALIFIER]: " + arn);
        }
        String endpoint = FUNCTIONS.setting(label, "endpoint");
        if (settings.optional(endpoint).isEmpty()) {
            throw new IllegalArgumentException("setting '" + endpoint + "' is required by '" + arnSetting + "'");
        }
        String region = FUNCTIONS.setting(label, "region");
        return new Function(
                arn,
                new FunctionsConfig.Route.Invoke(new InvokeEndpointConfig(
                        Optional.of(url(settings, endpoint)),
                        settings.optional(region).or(() -> settings.optional("lambda-region")),
                        credentials(
                                settings,
                                FUNCTIONS.setting(label, "access-key"),
                                FUNCTIONS.setting(label, "secret-key")),
                        assumption,
                        InvokeEndpointConfig.DEFAULT_API_CALL_TIMEOUT,
                        InvokeEndpointConfig.DEFAULT_MAX_CONCURRENCY)));
    }
}
