package io.sluice.destination.s3;

import static io.sluice.testing.CloudWatchLogsPayloads.controlMessage;
import static io.sluice.testing.CloudWatchLogsPayloads.dataMessage;
import static io.sluice.testing.CloudWatchLogsPayloads.gzip;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.InvalidSourceException;
import software.amazon.awssdk.services.firehose.model.Processor;
import software.amazon.awssdk.services.firehose.model.ProcessorParameter;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * CloudWatch Logs decompression and message extraction, and record de-aggregation (delivery spec §6.2,
 * §6.4), through the API with the AWS SDK: gzipped subscription payloads in, one line per log event out,
 * failures in the error output as received, other puts refused; the processors' rules and Describe.
 */
class CloudWatchLogsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ERRORS = "errors/!{firehose:error-output-type}/";

    private static RunningSluice sluice;
    private static FirehoseClient firehose;

    @BeforeAll
    static void start() {
        sluice = RunningSluice.start();
        firehose = sluice.client();
    }

    @AfterAll
    static void stop() {
        if (firehose != null) {
            firehose.close();
        }
        if (sluice != null) {
            sluice.close();
        }
    }

    private static Processor processor(String type, String... namesAndValues) {
        ProcessorParameter[] parameters = new ProcessorParameter[namesAndValues.length / 2];
        for (int i = 0; i < parameters.length; i++) {
            parameters[i] = ProcessorParameter.builder()
                    .parameterName(namesAndValues[2 * i])
                    .parameterValue(namesAndValues[2 * i + 1])
                    .build();
        }
        return Processor.builder().type(type).parameters(parameters).build();
    }

    private static final Processor DECOMPRESSION = processor("Decompression", "CompressionFormat", "GZIP");
    private static final Processor EXTRACTION = processor("CloudWatchLogProcessing", "DataMessageExtraction", "true");
    private static final Processor DELIMITER = processor("AppendDelimiterToRecord");

    private static Consumer<ExtendedS3DestinationConfiguration.Builder> processing(Processor... processors) {
        return s3 -> s3.prefix("logs/")
                .errorOutputPrefix(ERRORS)
                .bufferingHints(h -> h.sizeInMBs(64).intervalInSeconds(1))
                .processingConfiguration(p -> p.enabled(true).processors(processors));
    }

    private static void putBatch(String stream, byte[]... data) {
        List<Record> records = Arrays.stream(data)
                .map(d -> Record.builder().data(SdkBytes.fromByteArray(d)).build())
                .toList();
        assertThat(firehose.putRecordBatch(b -> b.deliveryStreamName(stream).records(records))
                        .failedPutCount())
                .isZero();
    }

    /**
     * The lines delivered to {@code bucket}, by the first folder of their key: {@code logs/} for the
     * records (under time folders), {@code errors/<type>/} for error documents.
     */
    private static Map<String, List<String>> linesByTopFolder(String bucket) {
        Map<String, List<String>> lines = new TreeMap<>();
        Streams.linesByFolder(sluice.dataDir(), bucket).forEach((folder, folderLines) -> {
            String top = folder.startsWith("errors/")
                    ? folder.substring(0, folder.indexOf('/', "errors/".length()) + 1)
                    : folder.substring(0, folder.indexOf('/') + 1);
            lines.computeIfAbsent(top, t -> new ArrayList<>()).addAll(folderLines);
        });
        return lines;
    }

    private static byte[] rawData(String document) throws Exception {
        return Base64.getDecoder().decode(JSON.readTree(document).get("rawData").asText());
    }

    @Test
    void deliversOneLinePerLogEventAndFailedRecordsStillCompressed() throws Exception {
        Streams.createS3(firehose, "logs", "logs", processing(DECOMPRESSION, EXTRACTION, DELIMITER));
        byte[] corrupt = gzip(dataMessage("/app", "s", List.of("lost")));
        corrupt[corrupt.length - 5] ^= 0x55; // the CRC-32 in the trailer
        byte[] notADocument = gzip("plain text, gzipped".getBytes(UTF_8));
        putBatch(
                "logs",
                gzip(controlMessage()),
                gzip(dataMessage("/app/web", "i-1", List.of("GET / 200", "GET /health 200"))),
                gzip(
                        dataMessage("/app/web", "i-2", List.of("POST /login 302")),
                        dataMessage("/app/worker", "w-1", List.of("job 7 done"))),
                corrupt,
                notADocument);

        await().atMost(WAIT).until(() -> linesByTopFolder("logs").size() == 3);
        Map<String, List<String>> folders = linesByTopFolder("logs");
        assertThat(folders.get("logs/"))
                .containsExactly("GET / 200", "GET /health 200", "POST /login 302", "job 7 done");
        List<String> undecompressed = folders.get("errors/decompression-failed/");
        assertThat(undecompressed).hasSize(1);
        assertThat(JSON.readTree(undecompressed.get(0)).get("errorCode").asText())
                .isEqualTo("Decompression.InvalidData");
        assertThat(rawData(undecompressed.get(0))).isEqualTo(corrupt);
        List<String> unextracted = folders.get("errors/processing-failed/");
        assertThat(unextracted).hasSize(1);
        assertThat(JSON.readTree(unextracted.get(0)).get("errorCode").asText())
                .isEqualTo("CloudWatchLogProcessing.InvalidDocument");
        assertThat(rawData(unextracted.get(0))).isEqualTo(notADocument);
    }

    @Test
    void refusesPutsThatAreNotCloudWatchLogsPayloads() {
        Streams.createS3(firehose, "only-logs", "only-logs", processing(DECOMPRESSION, EXTRACTION));
        String message =
                "Only requests from CloudWatch Logs are supported when CloudWatch Logs decompression is enabled";
        assertThatThrownBy(() -> Streams.put(firehose, "only-logs", "hello"))
                .isInstanceOf(InvalidSourceException.class)
                .hasMessageStartingWith(message);
        assertThatThrownBy(() -> putBatch("only-logs", gzip(controlMessage()), new byte[0]))
                .isInstanceOf(InvalidSourceException.class)
                .hasMessageStartingWith(message);
        putBatch("only-logs", gzip(controlMessage()));
    }

    @Test
    void deAggregatesLogMessagesAndPartitionsTheirDocuments() throws Exception {
        Streams.createS3(
                firehose,
                "json-logs",
                "json-logs",
                s3 -> s3.prefix("c=!{partitionKeyFromQuery:c}/")
                        .errorOutputPrefix(ERRORS)
                        .bufferingHints(h -> h.sizeInMBs(64).intervalInSeconds(1))
                        .dynamicPartitioningConfiguration(d -> d.enabled(true))
                        .processingConfiguration(p -> p.enabled(true)
                                .processors(
                                        DECOMPRESSION,
                                        EXTRACTION,
                                        processor("RecordDeAggregation", "SubRecordType", "JSON"),
                                        processor(
                                                "MetadataExtraction",
                                                "MetadataExtractionQuery",
                                                "{c: .c}",
                                                "JsonParsingEngine",
                                                "JQ-1.6"),
                                        DELIMITER)));
        putBatch(
                "json-logs",
                gzip(dataMessage(
                        "/app",
                        "s",
                        List.of("{\"c\":\"a\",\"n\":1}{\"c\":\"b\",\"n\":2}\n{\"c\":\"a\",\"n\":3}", "[1,2]"))),
                gzip(dataMessage("/app", "s", List.of("{\"c\":\"b\",\"n\":4}"))));

        await().atMost(WAIT)
                .until(() ->
                        Streams.linesByFolder(sluice.dataDir(), "json-logs").size() == 3);
        Map<String, List<String>> folders = Streams.linesByFolder(sluice.dataDir(), "json-logs");
        assertThat(folders.get("c=a/")).containsExactly("{\"c\":\"a\",\"n\":1}", "{\"c\":\"a\",\"n\":3}");
        assertThat(folders.get("c=b/")).containsExactly("{\"c\":\"b\",\"n\":2}", "{\"c\":\"b\",\"n\":4}");
        List<String> failed = folders.get("errors/processing-failed/");
        assertThat(failed).hasSize(1);
        assertThat(JSON.readTree(failed.get(0)).get("errorCode").asText()).isEqualTo("RecordDeAggregation.InvalidJson");
    }

    @Test
    void splitsDelimitedRecords() {
        Streams.createS3(
                firehose,
                "delimited",
                "delimited",
                processing(
                        processor("RecordDeAggregation", "SubRecordType", "DELIMITED", "Delimiter", "IyMjIw=="),
                        DELIMITER));
        Streams.put(firehose, "delimited", "x####y########z####");

        await().atMost(WAIT).until(() -> linesByTopFolder("delimited").containsKey("logs/"));
        assertThat(linesByTopFolder("delimited").get("logs/")).containsExactly("x", "y", "z");
    }

    @Test
    void describesTheProcessorsAsConfigured() {
        Streams.createS3(
                firehose,
                "described",
                "described",
                processing(
                        DECOMPRESSION,
                        EXTRACTION,
                        processor("RecordDeAggregation", "Delimiter", "IyMjIw==", "SubRecordType", "DELIMITED")));
        List<Processor> described = firehose.describeDeliveryStream(b -> b.deliveryStreamName("described"))
                .deliveryStreamDescription()
                .destinations()
                .get(0)
                .extendedS3DestinationDescription()
                .processingConfiguration()
                .processors();
        assertThat(described)
                .containsExactly(
                        DECOMPRESSION,
                        EXTRACTION,
                        processor("RecordDeAggregation", "SubRecordType", "DELIMITED", "Delimiter", "IyMjIw=="));
    }

    @Test
    void refusesWhatTheProcessorsDoNotTake() {
        assertThatThrownBy(() -> Streams.createS3(firehose, "unpaired", "unpaired", processing(EXTRACTION)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("CloudWatchLogProcessing must be used with a processor of type Decompression");
        assertThatThrownBy(() -> Streams.createS3(
                        firehose, "zip", "zip", processing(processor("Decompression", "CompressionFormat", "ZIP"))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("CompressionFormat of processor type Decompression must be GZIP");
        assertThatThrownBy(() -> Streams.createS3(
                        firehose,
                        "no-delimiter",
                        "no-delimiter",
                        processing(processor("RecordDeAggregation", "SubRecordType", "DELIMITED"))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Delimiter is required when SubRecordType is DELIMITED");
        assertThatThrownBy(() -> Streams.createS3(
                        firehose, "twice", "twice", processing(DECOMPRESSION, DECOMPRESSION, EXTRACTION)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Exactly 1 Processor of type Decompression can be supplied");
        assertThatThrownBy(() -> Streams.createS3(
                        firehose, "xml", "xml", processing(processor("RecordDeAggregation", "SubRecordType", "XML"))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("SubRecordType must be JSON or DELIMITED");
    }
}
