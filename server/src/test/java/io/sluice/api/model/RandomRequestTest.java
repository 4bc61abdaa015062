package io.sluice.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.sluice.common.FirehoseException;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fires seeded random requests generated from the model at the validator: valid ones must pass,
 * broken ones must fail with the error their breakage calls for, and nothing but a
 * FirehoseException may ever come out. Set {@code -Dsluice.seed=N} to explore other seeds; a failure
 * names the seed and case that found it.
 */
class RandomRequestTest {
    private static final long SEED = Long.getLong("sluice.seed", 20_151_004L);
    private static final int VALID_CASES = 150;
    private static final int BROKEN_CASES = 400;
    private static final int NESTING = 20_000;

    private final RequestValidator validator = new RequestValidator();

    static List<Operation> operations() {
        return ServiceModel.firehose().operations();
    }

    @ParameterizedTest
    @MethodSource("operations")
    void generatedValidRequestsPass(Operation operation) {
        ModelInputGenerator generator = new ModelInputGenerator(random(operation, 1), NESTING);
        for (int i = 0; i < VALID_CASES; i++) {
            try {
                validator.validate(operation, generator.valid(operation));
            } catch (Throwable e) {
                fail("valid case " + i + " of " + operation.name() + " with seed " + SEED + " was refused", e);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("operations")
    void generatedBrokenRequestsFailWithTheirError(Operation operation) {
        ModelInputGenerator generator = new ModelInputGenerator(random(operation, 2), NESTING);
        for (int i = 0; i < BROKEN_CASES; i++) {
            ModelInputGenerator.BrokenInput broken = generator.broken(operation);
            String which = "broken case " + i + " of " + operation.name() + " with seed " + SEED + " ("
                    + broken.description() + ")";
            Optional<FirehoseException> failure = failure(operation, broken, which);
            assertThat(failure).as(which + " passed").isPresent();
            assertThat(failure.get().code())
                    .as(which + ": " + failure.get().getMessage())
                    .isEqualTo(broken.expected());
            broken.path()
                    .ifPresent(path -> assertThat(failure.get().getMessage())
                            .as(which)
                            .contains(" at '" + path + "' failed to satisfy constraint: "));
        }
    }

    @Test
    void samplesEveryModelPatternWithinItsLengths() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (Operation operation : operations()) {
            ModelInputGenerator generator = new ModelInputGenerator(random.split(), NESTING);
            assertThat(generator.valid(operation)).isNotNull();
        }
        ServiceModel model = ServiceModel.firehose();
        for (String name : List.of(
                "SnowflakePrivateKey", "VpcEndpointServiceName", "ClusterJDBCURL", "GlueDataCatalogARN", "TagKey")) {
            StringShape shape = (StringShape) model.shape(name).orElseThrow();
            RegexSampler sampler = new RegexSampler(shape.pattern().orElseThrow());
            Pattern pattern = shape.pattern().orElseThrow();
            long min = shape.length().min().orElse(0);
            long max = shape.length().max().orElseThrow();
            for (int i = 0; i < 50; i++) {
                String value = sampler.matching(random, min, max).orElseThrow();
                assertThat(pattern.matcher(value).matches())
                        .as(name + ": " + value)
                        .isTrue();
                assertThat((long) value.codePointCount(0, value.length())).isBetween(min, max);
                sampler.notMatching(random, min, max)
                        .ifPresent(text ->
                                assertThat(pattern.matcher(text).matches()).isFalse());
            }
        }
    }

    private Optional<FirehoseException> failure(
            Operation operation, ModelInputGenerator.BrokenInput broken, String which) {
        try {
            validator.validate(operation, broken.body());
            return Optional.empty();
        } catch (FirehoseException e) {
            return Optional.of(e);
        } catch (Throwable e) {
            return fail(which + " threw something other than a FirehoseException", e);
        }
    }

    private static SplittableRandom random(Operation operation, int stream) {
        return new SplittableRandom(SEED * 31 + operation.name().hashCode() * 7L + stream);
    }
}
