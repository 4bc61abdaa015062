package io.sluice.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.model.ModelInputGenerator;
import io.sluice.api.model.Operation;
import io.sluice.api.model.ServiceModel;
import io.sluice.common.ErrorCode;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.SignedHttp;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random requests generated from the service model, valid and broken, sent signed to a running
 * Sluice: every answer is 200 or an AWS error of a known type with its documented status, never a 500,
 * a stack trace or a hang. {@code -Dsluice.seed=N} explores other seeds.
 */
class RandomRequestsIT {
    private static final long SEED = Long.getLong("sluice.seed", 20_261_122L);
    private static final int CASES = 40;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KNOWN_TYPES =
            Arrays.stream(ErrorCode.values()).map(ErrorCode::awsType).collect(Collectors.toSet());

    private static RunningSluice sluice;
    private static SignedHttp http;

    @BeforeAll
    static void start() {
        sluice = RunningSluice.start();
        http = new SignedHttp(sluice.endpoint());
    }

    @AfterAll
    static void stop() {
        sluice.close();
    }

    static List<Operation> operations() {
        return ServiceModel.firehose().operations();
    }

    @ParameterizedTest
    @MethodSource("operations")
    void everyAnswerIsSuccessOrAnAwsError(Operation operation) throws Exception {
        ModelInputGenerator generator = new ModelInputGenerator(
                new SplittableRandom(SEED ^ operation.name().hashCode()));
        for (int i = 0; i < CASES; i++) {
            boolean valid = i % 2 == 0;
            JsonNode body = valid
                    ? generator.valid(operation)
                    : generator.broken(operation).body();
            var response = http.post(
                    "Firehose_20150804." + operation.name(),
                    JSON.writeValueAsString(body).getBytes(UTF_8));
            String which = operation.name() + " case " + i + " seed " + SEED + ": " + response.body();
            JsonNode answer = JSON.readTree(response.body());
            if (response.statusCode() == 200) {
                assertThat(answer.isObject()).as(which).isTrue();
                continue;
            }
            String type = answer.path("__type").asText();
            assertThat(KNOWN_TYPES).as(which).contains(type);
            assertThat(type).as(which).isNotEqualTo(ErrorCode.INTERNAL_FAILURE.awsType());
            assertThat(response.statusCode())
                    .as(which)
                    .isEqualTo(ErrorResponses.status(ErrorCode.valueOf(codeName(type))));
            assertThat(response.body()).as(which).doesNotContain("\tat ", "Exception:");
        }
    }

    private static String codeName(String awsType) {
        return Arrays.stream(ErrorCode.values())
                .filter(c -> c.awsType().equals(awsType))
                .findFirst()
                .orElseThrow()
                .name();
    }
}
