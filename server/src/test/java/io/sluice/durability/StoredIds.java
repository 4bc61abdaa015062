package io.sluice.durability;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.log.LogRecord;
import io.sluice.log.RecordLog;
import io.sluice.log.StreamKey;
import io.sluice.log.StreamReader;
import io.sluice.log.journal.JournalLog;
import io.sluice.log.journal.LogConfig;
import io.sluice.log.journal.LogListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The record ids Sluice holds: in its record log (server stopped), or delivered to a bucket. */
final class StoredIds {
    private StoredIds() {}

    /**
     * The ids of every record the log of a stopped server holds for {@code stream} (created with the
     * development credentials in us-east-1), in log order. Opening the log runs its crash recovery.
     */
    static List<String> inLog(Path dataDir, String stream) throws IOException {
        String uid = uid(dataDir, stream);
        List<String> ids = new ArrayList<>();
        try (RecordLog log = JournalLog.open(
                        LogConfig.defaults(dataDir.resolve("log")), Clock.systemUTC(), LogListener.NONE);
                StreamReader reader = log.openReader(new StreamKey(uid), 0)) {
            Optional<LogRecord> next;
            while ((next = reader.next()).isPresent()) {
                ids.add(Ledger.id(new String(next.get().payloadBytes(), UTF_8)));
            }
        }
        return ids;
    }

    /**
     * The ids of every record in every object of {@code bucket}, objects in key order. s3proxy lists an
     * object while it is still being written and answers NoSuchKey for it until it is complete: such an
     * object is left out (callers poll).
     */
    static List<String> inBucket(S3Client s3, String bucket) {
        List<String> ids = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            try {
                ids.addAll(Ledger.ids(s3.getObjectAsBytes(b -> b.bucket(bucket).key(object.key()))
                        .asUtf8String()));
            } catch (NoSuchKeyException e) {
                // listed but not complete yet
            }
        }
        return ids;
    }

    private static String uid(Path dataDir, String stream) throws IOException {
        Path file = dataDir.resolve("catalog/000000000000/us-east-1/" + stream + ".json");
        return new ObjectMapper()
                .readTree(Files.readString(file, UTF_8))
                .path("Uid")
                .asText();
    }
}
