package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.server.SluiceConfig;
import io.sluice.server.SluiceServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short runs (about a second each) against an in-process Sluice and the in-process sink. Figures are
 * never asserted, only the accounting: every request sent is OK, partial or an error.
 */
class LoadRunTest {
    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path dataDir;

    @Test
    void everyBatchSentToSluiceIsAccountedForWithWhatTheServerAnswered() throws Exception {
        try (SluiceServer sluice = SluiceServer.start(SluiceConfig.local(0, dataDir), CLOCK)) {
            LoadSpec spec =
                    spec(sluice.endpoint().toString(), PutOperation.PUT_RECORD_BATCH, 20, new Pacing.ClosedLoop());
            new StreamSetup(spec.target(), CLOCK)
                    .createAndAwaitActive(
                            spec.streamNames(),
                            StreamSetup.s3Destination(new BufferingHints(128, Duration.ofSeconds(60))),
                            Duration.ofSeconds(30));

            Report report =
                    new LoadRun(spec, Optional.of(ProcessHandle.current().pid()), CLOCK).run();

            assertAccountedFor(report, 20);
            // Until ingestion lands Sluice answers puts with 503; once it has, they are OK or throttled.
            assertThat(report.counts().errors().keySet()).isSubsetOf("HTTP 503 ServiceUnavailableException");
            assertThat(report.server()).isPresent();
            assertJsonMatches(report);
        }
    }

    @Test
    void everySingleRecordPutToSluiceIsAccountedFor() throws Exception {
        try (SluiceServer sluice = SluiceServer.start(SluiceConfig.local(0, dataDir), CLOCK)) {
            LoadSpec spec = spec(sluice.endpoint().toString(), PutOperation.PUT_RECORD, 1, new Pacing.ClosedLoop());
            new StreamSetup(spec.target(), CLOCK)
                    .createAndAwaitActive(
                            spec.streamNames(),
                            StreamSetup.s3Destination(new BufferingHints(128, Duration.ofSeconds(60))),
                            Duration.ofSeconds(30));

            Report report = new LoadRun(spec, Optional.empty(), CLOCK).run();

            assertAccountedFor(report, 1);
            assertThat(report.counts().errors().keySet()).isSubsetOf("HTTP 503 ServiceUnavailableException");
        }
    }

    @Test
    void aPutToAStreamThatDoesNotExistIsCountedAsResourceNotFound() throws Exception {
        try (SluiceServer sluice = SluiceServer.start(SluiceConfig.local(0, dataDir), CLOCK)) {
            LoadSpec spec =
                    spec(sluice.endpoint().toString(), PutOperation.PUT_RECORD_BATCH, 5, new Pacing.ClosedLoop());

            Report report = new LoadRun(spec, Optional.empty(), CLOCK).run();

            assertAccountedFor(report, 5);
            assertThat(report.counts().errors()).containsOnlyKeys("HTTP 400 ResourceNotFoundException");
            assertThat(report.counts().okRequests()).isZero();
        }
    }

    @Test
    void everyRequestToTheSinkIsOkOnKeptAliveConnections() throws Exception {
        try (Sink sink = Sink.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            LoadSpec spec =
                    spec("http://127.0.0.1:" + sink.port(), PutOperation.PUT_RECORD_BATCH, 50, new Pacing.ClosedLoop());

            Report report = new LoadRun(spec, Optional.empty(), CLOCK).run();

            Counts counts = report.counts();
            assertThat(counts.okRequests()).isPositive().isEqualTo(counts.requests());
            assertThat(counts.errors()).isEmpty();
            assertThat(counts.recordsAccepted()).isEqualTo(counts.okRequests() * 50);
            assertThat(counts.bytesAccepted()).isEqualTo(counts.recordsAccepted() * 100);
            assertThat(counts.latencyOk().count()).isEqualTo(counts.okRequests());
            assertThat(report.connectionsOpened()).isEqualTo(spec.connections());
        }
    }

    @Test
    void anOpenLoopRunNeverSendsMoreThanItsSchedule() throws Exception {
        try (Sink sink = Sink.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            LoadSpec spec =
                    spec("http://127.0.0.1:" + sink.port(), PutOperation.PUT_RECORD, 1, new Pacing.OpenLoop(200));

            Report report = new LoadRun(spec, Optional.empty(), CLOCK).run();

            // Due times are fixed in advance: at most rate × measured seconds, one more per connection.
            assertThat(report.counts().requests()).isPositive().isLessThanOrEqualTo(200 + spec.connections());
            assertThat(report.counts().errors()).isEmpty();
        }
    }

    private static LoadSpec spec(String endpoint, PutOperation operation, int records, Pacing pacing) {
        return new LoadSpec(
                Endpoint.parse(endpoint),
                Credentials.DEVELOPMENT,
                "us-east-1",
                "bench",
                1,
                operation,
                2,
                records,
                ByteSize.ofBytes(100),
                RecordData.RANDOM,
                Duration.ofSeconds(1),
                Duration.ofMillis(300),
                pacing,
                4,
                Duration.ofSeconds(10),
                7);
    }

    private static void assertAccountedFor(Report report, int recordsPerRequest) {
        Counts counts = report.counts();
        assertThat(counts.requests()).isPositive();
        assertThat(counts.requests())
                .isEqualTo(counts.okRequests() + counts.partialRequests() + counts.errorRequests());
        assertThat(counts.recordsAccepted() + counts.recordsFailed() + counts.recordsRejected())
                .isEqualTo(counts.requests() * recordsPerRequest);
        assertThat(counts.answeredRequests()).isEqualTo(counts.requests());
        assertThat(counts.latencyAnswered().count()).isEqualTo(counts.answeredRequests());
    }

    private static void assertJsonMatches(Report report) throws Exception {
        JsonNode json = new ObjectMapper().readTree(report.json());
        Counts counts = report.counts();
        assertThat(json.get("requests").asLong()).isEqualTo(counts.requests());
        assertThat(json.get("okRequests").asLong()).isEqualTo(counts.okRequests());
        assertThat(json.get("errorRequests").asLong()).isEqualTo(counts.errorRequests());
        counts.errors()
                .forEach((key, count) ->
                        assertThat(json.get("errors").get(key).asLong()).isEqualTo(count));
        assertThat(json.get("server").get("pid").asLong())
                .isEqualTo(ProcessHandle.current().pid());
        assertThat(json.get("latencyAnswered").get("count").asLong()).isEqualTo(counts.answeredRequests());
    }
}
