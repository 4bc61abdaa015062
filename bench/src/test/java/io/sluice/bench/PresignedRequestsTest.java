package io.sluice.bench;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PresignedRequestsTest {
    private static final Pattern LENGTH = Pattern.compile("\r\nContent-Length: (\\d+)\r\n");

    @TempDir
    Path dir;

    @Test
    void eachDistinctBodyIsOneWholeSignedRequest() throws IOException {
        CommandLine.ParseResult parsed = Bench.commandLine()
                .parseArgs("put", "--batch", "3", "--record-size", "10B", "--distinct-bodies", "4", "--stream", "s");
        PutCommand put = parsed.subcommand().commandSpec().commandLine().getCommand();
        LoadSpec spec = put.loadSpec();
        Instant signedAt = Instant.parse("2026-12-05T03:04:05Z");

        List<Path> files = PresignedRequests.write(spec, signedAt, dir.resolve("requests"));

        assertThat(files)
                .extracting(f -> f.getFileName().toString())
                .containsExactly("request-0.http", "request-1.http", "request-2.http", "request-3.http");
        Workload workload = Workload.build(spec);
        for (int i = 0; i < files.size(); i++) {
            String request = new String(Files.readAllBytes(files.get(i)), ISO_8859_1);
            int end = request.indexOf("\r\n\r\n");
            String head = request.substring(0, end + 2);
            String body = request.substring(end + 4);
            assertThat(head)
                    .startsWith("POST / HTTP/1.1\r\n")
                    .contains("X-Amz-Target: Firehose_20150804.PutRecordBatch\r\n")
                    .contains("X-Amz-Date: 20261205T030405Z\r\n")
                    .contains("Authorization: AWS4-HMAC-SHA256 Credential=test/20261205/us-east-1/firehose/");
            Matcher length = LENGTH.matcher(head);
            assertThat(length.find()).isTrue();
            assertThat(Integer.parseInt(length.group(1))).isEqualTo(body.length());
            byte[] expected = new byte[workload.payloads().get(i).length()];
            workload.payloads().get(i).view().get(expected);
            assertThat(body.getBytes(ISO_8859_1)).isEqualTo(expected);
            assertThat(SigV4Signer.sha256Hex(body.getBytes(ISO_8859_1)))
                    .isEqualTo(workload.payloads().get(i).sha256Hex());
        }
        assertThat(Arrays.stream(files.toArray(Path[]::new))
                        .map(f -> f.toFile().length())
                        .distinct())
                .hasSize(1);
    }
}
