package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
    @Test
    void setGivesAnySettingAndKeepsEqualsSignsInItsValue() {
        Main.Serve serve = new Main.Serve();
        new CommandLine(serve)
                .parseArgs(
                        "--set", "s3-bucket.logs.endpoint=http://127.0.0.1:9000",
                        "--set", "s3-role.delivery.secret-key=abc=def",
                        "--port", "0");

        assertThat(serve.settings)
                .containsExactly(
                        entry("s3-bucket.logs.endpoint", "http://127.0.0.1:9000"),
                        entry("s3-role.delivery.secret-key", "abc=def"));
        assertThat(serve.port).isZero();
    }
}
