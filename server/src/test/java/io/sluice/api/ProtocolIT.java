package io.sluice.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.SignedHttp;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The AWS JSON 1.1 protocol on the wire: headers, error bodies, routing, parsing, limits. */
class ProtocolIT {
    private static final String PREFIX = "Firehose_20150804.";
    private static RunningSluice sluice;
    private static SignedHttp http;

    @BeforeAll
    static void start() {
        sluice = RunningSluice.start();
        http = new SignedHttp(sluice.endpoint());
    }

    @AfterAll
    static void stop() {
        sluice.close();
    }

    private static HttpResponse<String> post(String operation, String body) {
        return http.post(PREFIX + operation, body.getBytes(UTF_8));
    }

    @Test
    void errorsAreBareTypeAndMessageWithAwsHeaders() {
        HttpResponse<String> response = post("DescribeDeliveryStream", "{\"DeliveryStreamName\":\"missing\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body())
                .isEqualTo("{\"__type\":\"ResourceNotFoundException\","
                        + "\"message\":\"Firehose missing under account 000000000000 not found.\"}");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(UUID.fromString(
                        response.headers().firstValue("x-amzn-RequestId").orElseThrow()))
                .isNotNull();
        assertThat(ZonedDateTime.parse(
                        response.headers().firstValue("Date").orElseThrow(), DateTimeFormatter.RFC_1123_DATE_TIME))
                .isNotNull();
        assertThat(response.headers().firstValue("Server")).isEmpty();
    }

    @Test
    void successIsCompactJsonAndAnEmptyBodyMeansNoMembers() {
        HttpResponse<String> response = post("ListDeliveryStreams", "");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"DeliveryStreamNames\":[],\"HasMoreDeliveryStreams\":false}");
        assertThat(post("ListDeliveryStreams", "{}").body()).isEqualTo(response.body());
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
    }

    @Test
    void unknownOrMissingTargetIsUnknownOperation() {
        assertThat(http.post(PREFIX + "DescribeEverything", "{}".getBytes(UTF_8))
                        .body())
                .isEqualTo("{\"__type\":\"UnknownOperationException\"}");
        assertThat(http.post("Kinesis_20131202.PutRecord", "{}".getBytes(UTF_8)).statusCode())
                .isEqualTo(400);
        HttpResponse<String> missing = http.post(null, "{}".getBytes(UTF_8));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).isEqualTo("{\"__type\":\"UnknownOperationException\"}");
    }

    @Test
    void malformedJsonAndWrongTypesAreSerializationExceptions() {
        for (String body : new String[] {"{", "[]", "\"x\"", "{\"DeliveryStreamName\":5}", "nul", "{} {}"}) {
            HttpResponse<String> response = post("DescribeDeliveryStream", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.body()).as(body).startsWith("{\"__type\":\"SerializationException\"");
        }
    }

    @Test
    void hostileNestingIsASerializationExceptionNotACrash() {
        String deep = "{\"Tags\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        HttpResponse<String> response = post("CreateDeliveryStream", deep);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("{\"__type\":\"SerializationException\"");
    }

    @Test
    void collectsEveryValidationError() {
        HttpResponse<String> response =
                post("ListTagsForDeliveryStream", "{\"DeliveryStreamName\":\"" + "x".repeat(65) + "\",\"Limit\":51}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body())
                .startsWith("{\"__type\":\"ValidationException\",\"message\":\"2 validation errors detected: ")
                .contains("at 'deliveryStreamName' failed to satisfy constraint: Member must have length less than"
                        + " or equal to 64")
                .contains("at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50");
    }

    @Test
    void unsignedRequestsAreRejected() {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(sluice.endpoint())
                .header("X-Amz-Target", PREFIX + "ListDeliveryStreams")
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body())
                .isEqualTo("{\"__type\":\"MissingAuthenticationTokenException\",\"message\":\"Missing Authentication"
                        + " Token\"}");
    }

    @Test
    void oversizedBodiesAreRefusedBeforeTheyAreRead() throws Exception {
        try (Socket socket =
                new Socket(sluice.endpoint().getHost(), sluice.endpoint().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: " + sluice.endpoint().getAuthority()
                            + "\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 100000000\r\n\r\n")
                    .getBytes(UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = new String(in.readNBytes(12), UTF_8);
            assertThat(head).isEqualTo("HTTP/1.1 413");
        }
    }

    @Test
    void aClientThatDropsItsConnectionMidBodyIsOneDebugLineAndTheServerKeepsServing() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger handler = (Logger) LoggerFactory.getLogger(FirehoseHandler.class);
        List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                events.add(event);
            }
        };
        appender.start();
        Level level = handler.getLevel();
        handler.setLevel(Level.DEBUG);
        root.addAppender(appender);
        try {
            try (Socket socket =
                    new Socket(sluice.endpoint().getHost(), sluice.endpoint().getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST / HTTP/1.1\r\nHost: " + sluice.endpoint().getAuthority()
                                + "\r\nX-Amz-Target: " + PREFIX + "PutRecord"
                                + "\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 1000\r\n\r\n"
                                + "{\"DeliveryStreamName\":\"s\",\"Record\":{\"Data\":\"")
                        .getBytes(UTF_8));
                out.flush();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> events.stream().anyMatch(ProtocolIT::isDisconnect));

            assertThat(post("ListDeliveryStreams", "{}").statusCode()).isEqualTo(200);
            assertThat(events.stream().filter(ProtocolIT::isDisconnect))
                    .singleElement()
                    .satisfies(event -> {
                        assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
                        assertThat(event.getThrowableProxy()).isNull();
                    });
            assertThat(events)
                    .noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                    .noneMatch(event -> event.getThrowableProxy() != null);
        } finally {
            root.detachAppender(appender);
            handler.setLevel(level);
        }
    }

    private static boolean isDisconnect(ILoggingEvent event) {
        return event.getLoggerName().equals(FirehoseHandler.class.getName())
                && event.getFormattedMessage().contains("ended before its body was read");
    }

    @Test
    void oversizedChunkedBodiesAreRefused() {
        byte[] big = new byte[9 * 1024 * 1024];
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(sluice.endpoint())
                .header("X-Amz-Target", PREFIX + "PutRecordBatch")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .build());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).startsWith("{\"__type\":\"RequestEntityTooLargeException\"");
    }

    /**
     * Bodies are read into reused arrays and hashed as they arrive: bodies larger and smaller than a
     * reused array, with and without a length, one after another, must each be read whole and alone (the
     * signature would not match a wrong hash, and a body read with a longer one's tail would not parse).
     */
    @Test
    void bodiesOfEverySizeAndFramingAreReadWholeOneAfterAnother() {
        String region = "eu-west-3"; // the other tests list the streams of us-east-1
        assertThat(http.post(
                                PREFIX + "CreateDeliveryStream",
                                ("{\"DeliveryStreamName\":\"framing\",\"ExtendedS3DestinationConfiguration\":"
                                                + "{\"BucketARN\":\"arn:aws:s3:::framing\","
                                                + "\"RoleARN\":\"arn:aws:iam::000000000000:role/r\"}}")
                                        .getBytes(UTF_8),
                                region)
                        .statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.post(
                                PREFIX + "DescribeDeliveryStream",
                                "{\"DeliveryStreamName\":\"framing\"}".getBytes(UTF_8),
                                region)
                        .body()
                        .contains("\"DeliveryStreamStatus\":\"ACTIVE\""));
        int[][] batches = {{500, 7_000}, {3, 10}, {400, 2_000}, {1, 1}, {500, 3_000}, {20, 100}};
        boolean chunked = false;
        for (int[] batch : batches) {
            for (int framing = 0; framing < 2; framing++, chunked = !chunked) {
                byte[] body = batchBody("framing", batch[0], batch[1]);
                HttpResponse<String> response = chunked
                        ? http.postChunked(PREFIX + "PutRecordBatch", body, region)
                        : http.post(PREFIX + "PutRecordBatch", body, region);
                assertThat(response.statusCode())
                        .as("%d records of %d bytes, chunked %s: %s", batch[0], batch[1], chunked, response.body())
                        .isEqualTo(200);
                assertThat(response.body()).startsWith("{\"FailedPutCount\":0,\"Encrypted\":false,");
                assertThat(response.body().split("\"RecordId\"", -1)).hasSize(batch[0] + 1);
            }
        }
    }

    private static byte[] batchBody(String stream, int records, int size) {
        StringBuilder json = new StringBuilder("{\"DeliveryStreamName\":\"" + stream + "\",\"Records\":[");
        Random random = new Random(records * 31L + size);
        for (int i = 0; i < records; i++) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            json.append(i == 0 ? "" : ",")
                    .append("{\"Data\":\"")
                    .append(Base64.getEncoder().encodeToString(data))
                    .append("\"}");
        }
        return json.append("]}").toString().getBytes(UTF_8);
    }

    @Test
    void answersHealthAndUnknownPaths() {
        HttpResponse<String> health = http.send(
                HttpRequest.newBuilder(sluice.endpoint().resolve("/health")).build());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(sluice.endpoint().resolve("/nope"))
                                .build())
                        .statusCode())
                .isEqualTo(404);
    }
}
