package io.sluice.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditPrinterTest {
    @Test
    void printsOneLinePerEvent() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (AuditPrinter printer = new AuditPrinter(
                new PrintStream(bytes, false, StandardCharsets.UTF_8),
                new ManualClock(Instant.parse("2026-12-04T10:30:00Z")))) {
            for (String stream : new String[] {"a", "b"}) {
                printer.record(new AuditEvent(
                        "r",
                        "AKID",
                        "arn:aws:iam::111122223333:user/AKID",
                        "111122223333",
                        "us-east-1",
                        "127.0.0.1",
                        "firehose:DeleteDeliveryStream",
                        Optional.of(stream),
                        Optional.of("ResourceNotFoundException")));
            }
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8).split("\n", -1))
                .hasSize(3)
                .satisfies(lines -> {
                    assertThat(lines[0])
                            .startsWith("{\"time\":\"2026-12-04T10:30:00Z\"")
                            .contains("\"stream\":\"a\"");
                    assertThat(lines[1]).contains("\"stream\":\"b\"", "\"outcome\":\"Failed\"");
                    assertThat(lines[2]).isEmpty();
                });
    }
}
