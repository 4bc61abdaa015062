package io.sluice.processor;

import static io.sluice.processor.ProcessorSpec.invalid;
import static java.util.Objects.requireNonNull;

import io.sluice.common.DataSize;
import io.sluice.common.FirehoseException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.regex.Pattern;

/**
 * The parameters of a {@code Lambda} processor (delivery spec §6.1.1), with the destination's defaults
 * filled in: the function ({@code LambdaArn}, a version or alias qualifier included), how often a failed
 * invocation is retried, the role Firehose invokes it as, and the processor buffer.
 */
public record LambdaParameters(
        String lambdaArn, int numberOfRetries, Optional<String> roleArn, DataSize bufferSize, Duration bufferInterval) {
    public static final String TYPE = "Lambda";
    public static final String LAMBDA_ARN = "LambdaArn";
    public static final String NUMBER_OF_RETRIES = "NumberOfRetries";
    public static final String ROLE_ARN = "RoleArn";
    public static final String BUFFER_SIZE = "BufferSizeInMBs";
    public static final String BUFFER_INTERVAL = "BufferIntervalInSeconds";
    /** The parameters in the order Describe lists them. */
    private static final List<String> NAMES =
            List.of(LAMBDA_ARN, NUMBER_OF_RETRIES, ROLE_ARN, BUFFER_SIZE, BUFFER_INTERVAL);

    public static final int DEFAULT_RETRIES = 3;
    public static final int MAX_RETRIES = 300;
    private static final BigDecimal MIN_BUFFER_MB = new BigDecimal("0.2");
    private static final BigDecimal MAX_BUFFER_MB = new BigDecimal("3");
    private static final BigDecimal MIB = BigDecimal.valueOf(1024 * 1024);
    private static final int MAX_INTERVAL_SECONDS = 900;

    /** A function ARN, unqualified or with a version or alias: {@code arn:aws:lambda:us-east-1:123456789012:function:f:prod}. */
    private static final Pattern FUNCTION_ARN = Pattern.compile(
            "arn:aws[a-zA-Z-]*:lambda:[a-z]{2}(-gov)?-[a-z]+-\\d{1}:\\d{12}:function:[a-zA-Z0-9-_]{1,64}"
                    + "(:(\\$LATEST|[a-zA-Z0-9-_]{1,128}))?");

    private static final Pattern ROLE = Pattern.compile("arn:aws[a-zA-Z-]*:iam::\\d{12}:role/[a-zA-Z_0-9+=,.@\\-/]+");

    /** Whether {@code arn} names a Lambda function, with or without a version or alias. */
    public static boolean isFunctionArn(String arn) {
        return FUNCTION_ARN.matcher(arn).matches();
    }

    public LambdaParameters {
        requireNonNull(lambdaArn, "lambdaArn is null");
        requireNonNull(roleArn, "roleArn is null");
        requireNonNull(bufferSize, "bufferSize is null");
        requireNonNull(bufferInterval, "bufferInterval is null");
    }

    /**
     * The parameters of {@code processor}, a {@code Lambda} processor, with {@code defaults} for those it
     * leaves out.
     *
     * @throws FirehoseException {@code InvalidArgumentException} for a missing {@code LambdaArn}, a
     *     parameter Lambda does not take, one given twice, or a value out of its range
     */
    public static LambdaParameters of(ProcessorSpec processor, LambdaDefaults defaults) {
        Map<String, String> given = processor.parameters();
        processor.requireParametersAmong(NAMES);
        String arn = given.get(LAMBDA_ARN);
        if (arn == null) {
            throw invalid("Processor parameter LambdaArn is required for processor type Lambda.");
        }
        if (!isFunctionArn(arn)) {
            throw invalid("Processor parameter LambdaArn is not a Lambda function ARN"
                    + " (arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]): " + arn);
        }
        Optional<String> role = Optional.ofNullable(given.get(ROLE_ARN));
        role.filter(r -> !ROLE.matcher(r).matches()).ifPresent(r -> {
            throw invalid("Processor parameter RoleArn is not an IAM role ARN: " + r);
        });
        int retries = Optional.ofNullable(given.get(NUMBER_OF_RETRIES))
                .map(v -> integer(NUMBER_OF_RETRIES, v, MAX_RETRIES))
                .orElse(DEFAULT_RETRIES);
        DataSize size = Optional.ofNullable(given.get(BUFFER_SIZE))
                .map(LambdaParameters::bufferSize)
                .orElse(defaults.bufferSize());
        Duration interval = Optional.ofNullable(given.get(BUFFER_INTERVAL))
                .map(v -> Duration.ofSeconds(integer(BUFFER_INTERVAL, v, MAX_INTERVAL_SECONDS)))
                .orElse(defaults.bufferInterval());
        return new LambdaParameters(arn, retries, role.or(defaults::roleArn), size, interval);
    }

    /**
     * The parameters of {@code processor} as DescribeDeliveryStream lists them: every one, in AWS's
     * order, the values given as given, the others from {@code defaults}, as strings.
     */
    public static SequencedMap<String, String> described(ProcessorSpec processor, LambdaDefaults defaults) {
        LambdaParameters filled = of(processor, defaults);
        SequencedMap<String, String> parameters = new LinkedHashMap<>();
        parameters.put(LAMBDA_ARN, filled.lambdaArn);
        parameters.put(NUMBER_OF_RETRIES, Integer.toString(filled.numberOfRetries));
        filled.roleArn.ifPresent(role -> parameters.put(ROLE_ARN, role));
        parameters.put(
                BUFFER_SIZE,
                BigDecimal.valueOf(filled.bufferSize.bytes())
                        .divide(MIB)
                        .stripTrailingZeros()
                        .toPlainString());
        parameters.put(BUFFER_INTERVAL, Long.toString(filled.bufferInterval.toSeconds()));
        parameters.putAll(processor.parameters());
        return parameters;
    }

    private static DataSize bufferSize(String value) {
        BigDecimal megabytes;
        try {
            megabytes = new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            megabytes = null;
        }
        if (megabytes == null || megabytes.compareTo(MIN_BUFFER_MB) < 0 || megabytes.compareTo(MAX_BUFFER_MB) > 0) {
            throw invalid("Processor parameter BufferSizeInMBs must be a number of MB between 0.2 and 3: " + value);
        }
        return DataSize.ofBytes(megabytes.multiply(MIB).longValue());
    }

    private static int integer(String name, String value, int max) {
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= 0 && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw invalid("Processor parameter " + name + " must be an integer between 0 and " + max + ": " + value);
    }
}
