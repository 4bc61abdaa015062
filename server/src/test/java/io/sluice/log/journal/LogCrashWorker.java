package io.sluice.log.journal;

import io.sluice.common.DataSize;
import io.sluice.log.AppendRecord;
import io.sluice.log.AppendResult;
import io.sluice.log.StreamKey;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The child process of {@link JournalLogKillTest}: opens the log, appends from many virtual threads
 * until killed, and prints every acknowledgement as soon as it has it:
 *
 * <pre>
 * ACK stream firstOffset id,id,… END      (one id per record, in order)
 * COMMIT stream offset END                (after commit returned)
 * </pre>
 *
 * Arguments: log directory, round label, appending threads, streams.
 */
public final class LogCrashWorker {
    private LogCrashWorker() {}

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        String round = args[1];
        int threads = Integer.parseInt(args[2]);
        int streams = Integer.parseInt(args[3]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        Clock clock = Clock.systemUTC();
        JournalLog log = JournalLog.open(config(directory), clock, LogListener.NONE);
        Map<StreamKey, Long> acknowledgedEnds = new ConcurrentHashMap<>();
        out.println("READY");
        out.flush();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String prefix = round + "-" + t + "-";
            workers.add(Thread.ofVirtual().start(() -> append(log, clock, prefix, streams, acknowledgedEnds, out)));
        }
        workers.add(Thread.ofVirtual().start(() -> commit(log, acknowledgedEnds, out)));
        for (Thread worker : workers) {
            worker.join();
        }
    }

    static LogConfig config(Path directory) {
        return LogConfig.defaults(directory)
                .withSegmentSize(DataSize.ofKibibytes(32))
                .withMaxLogSize(DataSize.ofMebibytes(512));
    }

    private static void append(
            JournalLog log,
            Clock clock,
            String prefix,
            int streams,
            Map<StreamKey, Long> acknowledgedEnds,
            PrintStream out) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (long sequence = 0; ; sequence++) {
            StreamKey stream = new StreamKey("stream-" + random.nextInt(streams));
            int count = 1 + random.nextInt(8);
            List<String> ids = new ArrayList<>(count);
            List<AppendRecord> records = new ArrayList<>(count);
            for (int r = 0; r < count; r++) {
                String id = prefix + sequence + "." + r;
                ids.add(id);
                String payload = id + "|" + "x".repeat(random.nextInt(300));
                records.add(AppendRecord.of(payload.getBytes(StandardCharsets.UTF_8), clock.millis()));
            }
            AppendResult result;
            try {
                result = log.append(stream, records);
            } catch (InterruptedException e) {
                return;
            }
            acknowledgedEnds.merge(stream, result.endOffset(), Math::max);
            synchronized (out) {
                out.println("ACK " + stream + " " + result.firstOffset() + " " + String.join(",", ids) + " END");
                out.flush();
            }
        }
    }

    private static void commit(JournalLog log, Map<StreamKey, Long> acknowledgedEnds, PrintStream out) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (true) {
            try {
                Thread.sleep(random.nextInt(5, 30));
            } catch (InterruptedException e) {
                return;
            }
            for (Map.Entry<StreamKey, Long> entry : acknowledgedEnds.entrySet()) {
                if (random.nextInt(4) == 0) {
                    long offset = entry.getValue() / 2 + random.nextLong(entry.getValue() / 2 + 1);
                    log.commit(entry.getKey(), offset);
                    synchronized (out) {
                        out.println("COMMIT " + entry.getKey() + " " + offset + " END");
                        out.flush();
                    }
                }
            }
        }
    }
}
