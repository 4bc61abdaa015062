package io.sluice.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.catalog.DeliveryStream;
import io.sluice.testing.TestProcessors;
import io.sluice.testing.TestStreams;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ProcessorStagesTest {
    private static final DeliveryStream STREAM = TestStreams.plain("s");
    private static final SupportedProcessors S3 = new SupportedProcessors(
            List.of("Lambda", "AppendDelimiterToRecord"), LambdaDefaults.standard(Optional.empty()), "S3");
    private static final ProcessorSpec DELIMITER = new ProcessorSpec("AppendDelimiterToRecord", Map.of());
    private static final ProcessorSpec LAMBDA =
            new ProcessorSpec("Lambda", Map.of("LambdaArn", "arn:aws:lambda:us-east-1:123456789012:function:f"));

    private static List<RecordProcessor> build(Optional<Boolean> enabled, ProcessorSpec... processors) {
        return TestProcessors.withoutFunctions()
                .build(STREAM, Optional.of(new Processing(enabled, List.of(processors))), S3, Optional.empty());
    }

    @Test
    void runsLambdaBeforeTheDelimiterWhateverTheConfiguredOrder() {
        assertThat(build(Optional.of(true), DELIMITER, LAMBDA))
                .hasExactlyElementsOfTypes(LambdaProcessor.class, AppendDelimiter.class);
    }

    @Test
    void runsNothingUnlessProcessingIsEnabled() {
        assertThat(build(Optional.of(false), DELIMITER, LAMBDA)).isEmpty();
        assertThat(build(Optional.empty(), DELIMITER, LAMBDA)).isEmpty();
        assertThat(TestProcessors.withoutFunctions().build(STREAM, Optional.empty(), S3, Optional.empty()))
                .isEmpty();
    }

    @Test
    void aPartitionedStreamEndsItsStageWithTheKeyCheckBeforeTheDelimiter() {
        PartitionKeyCheck check = new PartitionKeyCheck(new TreeSet<>(), new TreeSet<>(Set.of("customer")));
        assertThat(TestProcessors.withoutFunctions()
                        .build(
                                STREAM,
                                Optional.of(new Processing(Optional.of(true), List.of(DELIMITER, LAMBDA))),
                                S3,
                                Optional.of(check)))
                .hasExactlyElementsOfTypes(LambdaProcessor.class, PartitionKeyCheck.class, AppendDelimiter.class);
    }

    @Test
    void buffersByTheDestinationsDefaults() {
        LambdaProcessor lambda =
                (LambdaProcessor) build(Optional.of(true), LAMBDA).get(0);
        assertThat(lambda.buffering().size()).isEqualTo(S3.lambda().bufferSize());
    }
}
