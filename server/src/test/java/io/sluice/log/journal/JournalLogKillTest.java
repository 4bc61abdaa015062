package io.sluice.log.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.log.StreamKey;
import io.sluice.log.StreamOffsets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that appends concurrently at random moments (SIGKILL, no shutdown hooks), then
 * proves every acknowledged record is in the log exactly once, at its offset, in order; and every
 * commit the child saw return survived. Several rounds on the same directory, so recovery runs on
 * logs that earlier recoveries truncated.
 */
class JournalLogKillTest {
    private static final int ROUNDS = 5;

    @TempDir
    Path directory;

    /** An acknowledged batch as the child printed it. */
    private record Ack(StreamKey stream, long firstOffset, List<String> ids) {}

    @Test
    void everyAcknowledgedRecordSurvivesKillNineExactlyOnceInOrder() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path log = directory.resolve("log");
        List<Ack> acks = new ArrayList<>();
        Map<StreamKey, Long> commits = new HashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            Path errors = directory.resolve("child-" + round + ".err");
            String output = runAndKill(log, round, random, errors);
            parse(output, acks, commits);
            verify(log, acks, commits, "seed " + seed + ", round " + round + ", child stderr in " + errors);
        }
        assertThat(acks.size()).as("acknowledged batches over all rounds").isGreaterThan(ROUNDS * 20);
    }

    private static String runAndKill(Path log, int round, Random random, Path errors) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Xmx128m",
                        LogCrashWorker.class.getName(),
                        log.toString(),
                        "r" + round,
                        "16",
                        "12")
                .redirectError(errors.toFile());
        Process child = builder.start();
        try {
            StringBuilder output = new StringBuilder();
            Thread reader = Thread.ofPlatform().start(() -> readAll(child.getInputStream(), output));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int wanted = 20 + random.nextInt(400);
            while (acksIn(output) < wanted && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            Thread.sleep(random.nextInt(50));
            assertThat(child.isAlive())
                    .as("child alive before the kill; stderr in %s", errors)
                    .isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(30));
            synchronized (output) {
                return output.toString();
            }
        } finally {
            child.destroyForcibly();
        }
    }

    private static void readAll(InputStream in, StringBuilder output) {
        byte[] chunk = new byte[8192];
        try (in) {
            int read;
            while ((read = in.read(chunk)) >= 0) {
                synchronized (output) {
                    output.append(new String(chunk, 0, read, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            // The child died; what arrived is all there is.
        }
    }

    private static int acksIn(StringBuilder output) {
        synchronized (output) {
            int count = 0;
            for (int at = output.indexOf("ACK "); at >= 0; at = output.indexOf("ACK ", at + 4)) {
                count++;
            }
            return count;
        }
    }

    /** Complete lines only: the kill may cut the last one. */
    private static void parse(String output, List<Ack> acks, Map<StreamKey, Long> commits) {
        for (String line : output.split("\n")) {
            String[] parts = line.split(" ");
            if (parts.length == 5 && parts[0].equals("ACK") && parts[4].equals("END")) {
                acks.add(new Ack(new StreamKey(parts[1]), Long.parseLong(parts[2]), List.of(parts[3].split(","))));
            } else if (parts.length == 4 && parts[0].equals("COMMIT") && parts[3].equals("END")) {
                commits.merge(new StreamKey(parts[1]), Long.parseLong(parts[2]), Math::max);
            }
        }
    }

    private static void verify(Path log, List<Ack> acks, Map<StreamKey, Long> commits, String context)
            throws IOException {
        Map<StreamKey, Map<Long, String>> acknowledged = new HashMap<>();
        for (Ack ack : acks) {
            Map<Long, String> byOffset = acknowledged.computeIfAbsent(ack.stream(), key -> new HashMap<>());
            for (int i = 0; i < ack.ids().size(); i++) {
                assertThat(byOffset.put(ack.firstOffset() + i, ack.ids().get(i)))
                        .as("offset acknowledged twice; %s", context)
                        .isNull();
            }
        }
        try (JournalLog opened = JournalLog.open(LogCrashWorker.config(log), Clock.systemUTC(), LogListener.NONE)) {
            for (Map.Entry<StreamKey, Map<Long, String>> stream : acknowledged.entrySet()) {
                StreamOffsets offsets = opened.offsets(stream.getKey()).orElseThrow();
                long committed = commits.getOrDefault(stream.getKey(), 0L);
                assertThat(offsets.committed())
                        .as("commit survived; %s", context)
                        .isGreaterThanOrEqualTo(committed);
                Map<Long, String> present = new HashMap<>();
                Set<String> ids = new HashSet<>();
                long previous = -1;
                try (JournalReader reader = opened.openReader(stream.getKey(), 0)) {
                    for (var record = reader.next(); record.isPresent(); record = reader.next()) {
                        long offset = record.get().offset();
                        String id = TestRecords.text(record.get()).split("\\|")[0];
                        assertThat(offset).as("offsets increase; %s", context).isGreaterThan(previous);
                        assertThat(previous < offsets.committed() || offset == previous + 1)
                                .as("no gap above the committed offset at %d; %s", offset, context)
                                .isTrue();
                        assertThat(ids.add(id))
                                .as("record %s stored once; %s", id, context)
                                .isTrue();
                        present.put(offset, id);
                        previous = offset;
                    }
                }
                assertThat(previous + 1).as("end; %s", context).isEqualTo(offsets.end());
                for (Map.Entry<Long, String> ack : stream.getValue().entrySet()) {
                    String found = present.get(ack.getKey());
                    if (found != null || ack.getKey() >= offsets.committed()) {
                        assertThat(found)
                                .as("acknowledged record at %s:%d; %s", stream.getKey(), ack.getKey(), context)
                                .isEqualTo(ack.getValue());
                    }
                }
            }
        }
        assertThat(Files.exists(log.resolve(Checkpoint.FILE_NAME))).isTrue();
    }
}
