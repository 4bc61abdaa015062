package io.sluice.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.DataSize;
import io.sluice.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditFileTest {
    @TempDir
    Path dir;

    private static AuditEvent event(String stream) {
        return new AuditEvent(
                "req-" + stream,
                "AKID",
                "arn:aws:iam::111122223333:user/u",
                "111122223333",
                "us-east-1",
                "127.0.0.1",
                "firehose:CreateDeliveryStream",
                Optional.of(stream),
                Optional.empty());
    }

    @Test
    void writesOneJsonLinePerEvent() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-04T10:30:00.123456Z"));
        try (AuditFile audit = AuditFile.open(dir, DataSize.parse("1MiB"), 3, clock)) {
            audit.record(event("a"));
            audit.record(new AuditEvent(
                    "req-b",
                    "AKID",
                    "p",
                    "111122223333",
                    "us-east-1",
                    "::1",
                    "firehose:PutRecord",
                    Optional.empty(),
                    Optional.of("AccessDeniedException")));
        }
        assertThat(Files.readAllLines(dir.resolve("audit.log")))
                .containsExactly(
                        "{\"time\":\"2026-12-04T10:30:00.123Z\",\"requestId\":\"req-a\",\"accessKeyId\":\"AKID\","
                                + "\"principal\":\"arn:aws:iam::111122223333:user/u\",\"account\":\"111122223333\","
                                + "\"region\":\"us-east-1\",\"sourceAddress\":\"127.0.0.1\","
                                + "\"action\":\"firehose:CreateDeliveryStream\",\"stream\":\"a\","
                                + "\"outcome\":\"Success\",\"errorCode\":null}",
                        "{\"time\":\"2026-12-04T10:30:00.123Z\",\"requestId\":\"req-b\",\"accessKeyId\":\"AKID\","
                                + "\"principal\":\"p\",\"account\":\"111122223333\",\"region\":\"us-east-1\","
                                + "\"sourceAddress\":\"::1\",\"action\":\"firehose:PutRecord\",\"stream\":null,"
                                + "\"outcome\":\"Denied\",\"errorCode\":\"AccessDeniedException\"}");
    }

    @Test
    void rotatesAtTheSizeAndKeepsAtMostMaxFiles() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-04T10:30:00Z"));
        int lineBytes = AuditLines.line(clock.instant(), event("s00")).length;
        try (AuditFile audit = AuditFile.open(dir, DataSize.ofBytes(2L * lineBytes), 3, clock)) {
            for (int i = 0; i < 9; i++) {
                audit.record(event("s0" + i));
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                    .containsExactly("audit.log", "audit.log.1", "audit.log.2");
        }
        assertThat(streams(dir.resolve("audit.log"))).containsExactly("s08");
        assertThat(streams(dir.resolve("audit.log.1"))).containsExactly("s06", "s07");
        assertThat(streams(dir.resolve("audit.log.2"))).containsExactly("s04", "s05");
    }

    @Test
    void appendsToTheFileOfAnEarlierRun() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-04T10:30:00Z"));
        try (AuditFile audit = AuditFile.open(dir, DataSize.parse("1MiB"), 2, clock)) {
            audit.record(event("first"));
        }
        try (AuditFile audit = AuditFile.open(dir, DataSize.parse("1MiB"), 2, clock)) {
            audit.record(event("second"));
        }
        assertThat(streams(dir.resolve("audit.log"))).containsExactly("first", "second");
    }

    private static List<String> streams(Path file) throws Exception {
        return Files.readAllLines(file).stream()
                .map(line -> line.replaceAll(".*\"stream\":\"([^\"]*)\".*", "$1"))
                .toList();
    }
}
