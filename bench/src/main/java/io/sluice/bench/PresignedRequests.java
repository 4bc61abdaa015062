package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The workload's requests, signed once, as files another load generator can send as they are (wrk with
 * {@code bench/wrk/put.lua}): {@code request-<i>.http} holds the whole HTTP/1.1 request, head and body,
 * for each distinct body. SigV4 signatures carry their time, so the files are good for as long as the
 * server accepts that clock skew (five minutes for Sluice, as for AWS).
 */
final class PresignedRequests {
    private PresignedRequests() {}

    /** Writes the files into {@code directory}, made if missing; returns their paths in body order. */
    static List<Path> write(LoadSpec spec, Instant signedAt, Path directory) throws IOException {
        requireNonNull(signedAt, "signedAt is null");
        Files.createDirectories(directory);
        Workload workload = Workload.build(spec);
        SigV4Signer signer = new SigV4Signer(spec.credentials(), spec.region(), "firehose");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < workload.payloads().size(); i++) {
            Payload payload = workload.payloads().get(i);
            Path file = directory.resolve("request-" + i + ".http");
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(RequestHead.of(
                        signer,
                        spec.endpoint(),
                        workload.operation().target(),
                        signedAt,
                        payload.sha256Hex(),
                        payload.length()));
                Channels.newChannel(out).write(payload.view());
            }
            files.add(file);
        }
        return files;
    }
}
