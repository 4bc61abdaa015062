package io.sluice.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Test oracle: signs with botocore ({@code SigV4Auth}, what boto3 and the AWS CLI use) in a {@code
 * python3} child process, with botocore's clock pinned. All requests go to one process because
 * importing botocore takes a few hundred milliseconds.
 */
final class BotocoreSigner {
    /** Reads a JSON list of requests on stdin; writes the signed method, headers and body as JSON. */
    private static final String SCRIPT = """
            import datetime, json, sys
            from unittest import mock
            from botocore.auth import SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials

            signed = []
            for case in json.load(sys.stdin):
                request = AWSRequest(method=case['method'], url=case['url'], data=bytes.fromhex(case['body']))
                for name, value in case['headers']:
                    request.headers[name] = value
                now = datetime.datetime.strptime(case['time'], '%Y%m%dT%H%M%SZ')
                credentials = Credentials(case['accessKey'], case['secretKey'], case.get('token'))
                with mock.patch('botocore.auth.get_current_datetime', return_value=now):
                    SigV4Auth(credentials, case['service'], case['region']).add_auth(request)
                signed.append({
                    'method': request.method,
                    'headers': [[name, value] for name, value in request.headers.items()],
                    'body': (request.body or b'').hex(),
                })
            json.dump(signed, sys.stdout)
            """;

    private static final DateTimeFormatter BASIC_ISO8601 =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request to sign; {@code headers} are set in order, so a name may repeat. */
    record Case(
            String url,
            List<Map.Entry<String, String>> headers,
            String bodyHex,
            Credential credential,
            Optional<String> sessionToken,
            String region,
            Instant time) {
        static Case of(
                String url,
                List<Map.Entry<String, String>> headers,
                byte[] body,
                Credential credential,
                Optional<String> sessionToken,
                String region,
                Instant time) {
            return new Case(
                    url, List.copyOf(headers), HexFormat.of().formatHex(body), credential, sessionToken, region, time);
        }
    }

    private BotocoreSigner() {}

    /** Whether {@code python3} with botocore can be run here. */
    static boolean available() {
        try {
            Process process = new ProcessBuilder("python3", "-c", "import botocore")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Signs every case and returns what Sluice would receive: botocore's headers plus the {@code
     * Host}, {@code Content-Length} and {@code User-Agent} that the HTTP client adds.
     */
    static List<ReceivedRequest> sign(List<Case> cases) throws IOException, InterruptedException {
        ArrayNode input = JSON.createArrayNode();
        for (Case c : cases) {
            ObjectNode node = input.addObject()
                    .put("method", "POST")
                    .put("url", c.url())
                    .put("body", c.bodyHex())
                    .put("accessKey", c.credential().accessKeyId())
                    .put("secretKey", c.credential().secretAccessKey())
                    .put("service", SigV4Verifier.SERVICE)
                    .put("region", c.region())
                    .put("time", BASIC_ISO8601.format(c.time()));
            c.sessionToken().ifPresent(token -> node.put("token", token));
            ArrayNode headers = node.putArray("headers");
            c.headers().forEach(h -> headers.addArray().add(h.getKey()).add(h.getValue()));
        }
        JsonNode output = JSON.readTree(run(JSON.writeValueAsBytes(input)));
        List<ReceivedRequest> received = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            received.add(received(URI.create(cases.get(i).url()), output.get(i)));
        }
        return received;
    }

    private static ReceivedRequest received(URI url, JsonNode signed) {
        byte[] body = HexFormat.of().parseHex(signed.get("body").asText());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (JsonNode header : signed.get("headers")) {
            headers.computeIfAbsent(header.get(0).asText(), name -> new ArrayList<>())
                    .add(header.get(1).asText());
        }
        headers.put("Host", List.of(url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort()));
        headers.put("Content-Length", List.of(Integer.toString(body.length)));
        headers.put("User-Agent", List.of("Botocore/test"));
        return ReceivedRequest.withBody(
                signed.get("method").asText(),
                url.getRawPath(),
                Optional.ofNullable(url.getRawQuery()).orElse(""),
                headers,
                body);
    }

    private static byte[] run(byte[] stdin) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("botocore-signer", ".err");
        try {
            Process process = new ProcessBuilder("python3", "-c", SCRIPT)
                    .redirectError(stderr.toFile())
                    .start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin);
            }
            byte[] stdout = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("botocore signer failed: " + Files.readString(stderr));
            }
            return stdout;
        } finally {
            Files.delete(stderr);
        }
    }
}
