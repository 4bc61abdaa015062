package io.sluice.lambda.local;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lambda function run locally through the Runtime API (delivery spec §6.1.13–6.1.15).
 *
 * <p>{@code functionArn} is the function this serves, {@code arn:aws:lambda:REGION:ACCOUNT:function:NAME}
 * with an optional {@code :QUALIFIER}; the runtime receives it as {@code Lambda-Runtime-Invoked-Function-Arn},
 * and the function's name, version and region come from it. {@code command} is the runtime process's
 * argv, run as given: {@code handler} is only put in the environment as {@code _HANDLER}, so a runtime
 * that takes the handler as an argument, like AWS's Java runtime interface client ({@code java -cp
 * handler.jar:ric-jars com.amazonaws.services.lambda.runtime.api.client.AWSLambda
 * com.example.Transform::handleRequest}), has it in {@code command} too. (That client, run as several
 * processes, wants {@code -Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=}
 * the path of its native library extracted once: otherwise each process rewrites
 * {@code /tmp/.libaws-lambda-jni.so} as it starts, and processes starting together can crash loading it.) {@code processes} runtime
 * processes run at once, each one invocation at a time. {@code timeout} is the function's timeout
 * (1 s to 15 min, as Lambda allows; Firehose's own limit of 5 min is the processor's to enforce).
 * {@code memoryMb} (128 to 10,240) is only reported to the function. {@code environment} adds variables
 * (for example AWS credentials the function calls AWS with); it may not set those this runtime sets.
 */
public record LocalFunctionConfig(
        String functionArn,
        List<String> command,
        String handler,
        int processes,
        Duration timeout,
        int memoryMb,
        Optional<Path> workingDirectory,
        Map<String, String> environment) {
    /** More processes than this would be a configuration mistake rather than a need. */
    public static final int MAX_PROCESSES = 64;

    public static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(15);
    public static final int MIN_MEMORY_MB = 128;
    public static final int MAX_MEMORY_MB = 10_240;

    /** The variables every runtime process gets from {@link LocalFunction}; extras may not replace them. */
    static final Set<String> RESERVED_VARIABLES = Set.of(
            "AWS_LAMBDA_RUNTIME_API",
            "_HANDLER",
            "AWS_LAMBDA_FUNCTION_NAME",
            "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME",
            "LAMBDA_TASK_ROOT",
            "TZ");

    private static final Pattern ARN = Pattern.compile(
            "arn:aws[a-z-]*:lambda:([a-z]{2}(?:-[a-z]+)+-\\d+):\\d{12}:function:([A-Za-z0-9_-]{1,64})(?::(\\$LATEST|[A-Za-z0-9_-]{1,128}))?");

    public LocalFunctionConfig {
        requireNonNull(functionArn, "functionArn is null");
        if (!ARN.matcher(functionArn).matches()) {
            throw new IllegalArgumentException("functionArn is not a Lambda function ARN: " + functionArn);
        }
        command = List.copyOf(requireNonNull(command, "command is null"));
        if (command.isEmpty() || command.getFirst().isBlank()) {
            throw new IllegalArgumentException("command names no program");
        }
        requireNonNull(handler, "handler is null");
        if (handler.isBlank()) {
            throw new IllegalArgumentException("handler is blank");
        }
        if (processes < 1 || processes > MAX_PROCESSES) {
            throw new IllegalArgumentException("processes must be 1 to " + MAX_PROCESSES + ": " + processes);
        }
        requireNonNull(timeout, "timeout is null");
        if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout must be 1 s to 15 min: " + timeout);
        }
        if (memoryMb < MIN_MEMORY_MB || memoryMb > MAX_MEMORY_MB) {
            throw new IllegalArgumentException(
                    "memoryMb must be " + MIN_MEMORY_MB + " to " + MAX_MEMORY_MB + ": " + memoryMb);
        }
        requireNonNull(workingDirectory, "workingDirectory is null");
        environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        for (String name : environment.keySet()) {
            if (RESERVED_VARIABLES.contains(name)) {
                throw new IllegalArgumentException("environment may not set " + name + ": the runtime sets it");
            }
        }
    }

    /** The function's name, from its ARN. */
    public String functionName() {
        return arnPart(2);
    }

    /** The function's region, from its ARN. */
    public String region() {
        return arnPart(1);
    }

    /**
     * The version as {@code AWS_LAMBDA_FUNCTION_VERSION} reports it: the ARN's numeric qualifier, else
     * {@code $LATEST} (an alias runs the code as given here, which is what {@code $LATEST} means).
     */
    public String functionVersion() {
        String qualifier = arnPart(3);
        return qualifier != null && qualifier.chars().allMatch(Character::isDigit) ? qualifier : "$LATEST";
    }

    private String arnPart(int group) {
        Matcher m = ARN.matcher(functionArn);
        if (!m.matches()) {
            throw new IllegalStateException("validated in the constructor");
        }
        return m.group(group);
    }
}
