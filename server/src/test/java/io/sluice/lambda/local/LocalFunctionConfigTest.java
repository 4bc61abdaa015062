package io.sluice.lambda.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalFunctionConfigTest {
    private static final List<String> COMMAND = List.of("./bootstrap");

    @Test
    void nameRegionAndVersionComeFromTheArn() {
        LocalFunctionConfig unqualified =
                config("arn:aws:lambda:eu-central-1:123456789012:function:my-fn", 1, Map.of());
        LocalFunctionConfig version = config("arn:aws:lambda:eu-central-1:123456789012:function:my-fn:12", 1, Map.of());
        LocalFunctionConfig alias = config("arn:aws:lambda:eu-central-1:123456789012:function:my-fn:live", 1, Map.of());

        assertThat(unqualified.functionName()).isEqualTo("my-fn");
        assertThat(unqualified.region()).isEqualTo("eu-central-1");
        assertThat(unqualified.functionVersion()).isEqualTo("$LATEST");
        assertThat(version.functionVersion()).isEqualTo("12");
        assertThat(alias.functionVersion()).isEqualTo("$LATEST");
    }

    @Test
    void rejectsWhatLambdaWouldNotRun() {
        String arn = "arn:aws:lambda:eu-central-1:123456789012:function:my-fn";
        assertThatThrownBy(() -> config("my-fn", 1, Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config("arn:aws:lambda:eu-central-1:123456789012:layer:x", 1, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config(arn, 0, Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config(arn, 1, Map.of("_HANDLER", "x"))).hasMessageContaining("_HANDLER");
        assertThatThrownBy(() -> new LocalFunctionConfig(
                        arn, COMMAND, "h", 1, Duration.ofMinutes(16), 128, Optional.empty(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalFunctionConfig(
                        arn, COMMAND, "h", 1, Duration.ofSeconds(3), 64, Optional.empty(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalFunctionConfig(
                        arn, List.of(), "h", 1, Duration.ofSeconds(3), 128, Optional.empty(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static LocalFunctionConfig config(String arn, int processes, Map<String, String> environment) {
        return new LocalFunctionConfig(
                arn, COMMAND, "bootstrap", processes, Duration.ofSeconds(3), 128, Optional.empty(), environment);
    }
}
