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
import io.sluice.lambda.local.LocalFunctionConfig;
import io.sluice.processor.LambdaParameters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Who runs the Lambda functions of streams' {@code Lambda} processors, from the {@code lambda-*}
 * settings: the default Invoke API ({@code lambda-endpoint}, empty for AWS Lambda, {@code lambda-region},
 * {@code lambda-access-key}, {@code lambda-secret-key}, and whether a processor's {@code RoleArn} is
 * assumed: {@code lambda-assume-role}, {@code lambda-sts-endpoint}), and per function
 * ({@code lambda-function.<label>.arn}) either another Invoke API endpoint ({@code .endpoint},
 * {@code .region}, {@code .access-key}, {@code .secret-key}) or a local runtime ({@code .command},
 * {@code .handler}, {@code .processes}, {@code .timeout}, {@code .memory}, {@code .directory},
 * {@code .environment}). Every problem is reported at once.
 */
final class LambdaSettings {
    private static final Set<String> ENDPOINT_MEMBERS = Set.of("endpoint", "region", "access-key", "secret-key");
    private static final Set<String> LOCAL_MEMBERS =
            Set.of("command", "handler", "processes", "timeout", "memory", "directory", "environment");
    static final SettingFamily FUNCTIONS = new SettingFamily(
            "lambda-function",
            "label",
            Stream.of(Set.of("arn"), ENDPOINT_MEMBERS, LOCAL_MEMBERS)
                    .flatMap(Set::stream)
                    .collect(Collectors.toSet()));

    /** A local function's timeout unless configured: Firehose's recommendation of at least one minute. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(1);

    /** The longest function timeout Firehose supports (delivery spec §6.1.2). */
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

    /** A local function's memory unless configured, as Lambda's default; only reported to the function. */
    static final int DEFAULT_MEMORY_MB = 128;

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
        boolean remote = set(settings, label, ENDPOINT_MEMBERS);
        boolean local = set(settings, label, LOCAL_MEMBERS);
        String endpoint = FUNCTIONS.setting(label, "endpoint");
        String command = FUNCTIONS.setting(label, "command");
        if (remote && local) {
            throw new IllegalArgumentException("settings '" + FUNCTIONS.name() + "." + label + ".*' mix an Invoke API"
                    + " endpoint (" + String.join(", ", new TreeSet<>(ENDPOINT_MEMBERS)) + ") with a local runtime ("
                    + String.join(", ", new TreeSet<>(LOCAL_MEMBERS)) + "): choose one");
        }
        if (settings.optional(local ? command : endpoint).isEmpty()) {
            throw new IllegalArgumentException("setting '" + (local ? command : endpoint + "' or '" + command)
                    + "' is required by '" + arnSetting + "'");
        }
        return new Function(arn, local ? localRoute(settings, label, arn) : endpointRoute(settings, label, assumption));
    }

    private static boolean set(Settings settings, String label, Set<String> members) {
        return members.stream()
                .anyMatch(member ->
                        settings.optional(FUNCTIONS.setting(label, member)).isPresent());
    }

    private static FunctionsConfig.Route endpointRoute(Settings settings, String label, RoleAssumption assumption) {
        String region = FUNCTIONS.setting(label, "region");
        return new FunctionsConfig.Route.Invoke(new InvokeEndpointConfig(
                Optional.of(url(settings, FUNCTIONS.setting(label, "endpoint"))),
                settings.optional(region).or(() -> settings.optional("lambda-region")),
                credentials(settings, FUNCTIONS.setting(label, "access-key"), FUNCTIONS.setting(label, "secret-key")),
                assumption,
                InvokeEndpointConfig.DEFAULT_API_CALL_TIMEOUT,
                InvokeEndpointConfig.DEFAULT_MAX_CONCURRENCY));
    }

    private static FunctionsConfig.Route localRoute(Settings settings, String label, String arn) {
        List<String> command = words(settings.string(FUNCTIONS.setting(label, "command")));
        String processes = FUNCTIONS.setting(label, "processes");
        String timeout = FUNCTIONS.setting(label, "timeout");
        String memory = FUNCTIONS.setting(label, "memory");
        Duration functionTimeout = settings.optional(timeout)
                .map(value -> settings.duration(timeout))
                .orElse(DEFAULT_TIMEOUT);
        if (functionTimeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("setting '" + timeout + "' is longer than the 5 minutes Firehose lets a"
                    + " function run: " + settings.string(timeout));
        }
        try {
            return new FunctionsConfig.Route.Local(new LocalFunctionConfig(
                    arn,
                    command,
                    settings.optional(FUNCTIONS.setting(label, "handler")).orElse(command.getLast()),
                    settings.optional(processes)
                            .map(value -> settings.integer(processes))
                            .orElse(1),
                    functionTimeout,
                    settings.optional(memory)
                            .map(value -> settings.integer(memory))
                            .orElse(DEFAULT_MEMORY_MB),
                    settings.optional(FUNCTIONS.setting(label, "directory")).map(Path::of),
                    environment(settings, FUNCTIONS.setting(label, "environment"))));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "settings '" + FUNCTIONS.name() + "." + label + ".*': " + e.getMessage());
        }
    }

    /**
     * A command line split into its words at white space; a word may be quoted with {@code "} to hold
     * spaces (no escapes: a command needing more goes into a script).
     */
    static List<String> words(String commandLine) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (char c : commandLine.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                inWord = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unclosed quote in command: " + commandLine);
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        return words;
    }

    /** {@code NAME=VALUE} pairs separated by commas; none when the setting is not set. */
    private static Map<String, String> environment(Settings settings, String setting) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String pair :
                settings.optional(setting).map(value -> value.split(",")).orElse(new String[0])) {
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException(
                        "setting '" + setting + "' must be NAME=VALUE pairs separated by commas: " + pair.strip());
            }
            variables.put(
                    pair.substring(0, equals).strip(),
                    pair.substring(equals + 1).strip());
        }
        return variables;
    }
}
