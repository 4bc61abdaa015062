package io.sluice.destination.opensearch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.destination.DeliveryOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Arrays;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What the bulk destination makes of records and of the cluster's answers, without a cluster. */
class BulkDestinationTest {
    private static Optional<String> line(String record) {
        return line(record.getBytes(UTF_8));
    }

    /** The record's source line, read from a reused array with other bytes after the record. */
    private static Optional<String> line(byte[] record) {
        byte[] scratch = Arrays.copyOf(record, record.length + 16);
        Arrays.fill(scratch, record.length, scratch.length, (byte) '}');
        return BulkDestination.source(scratch, record.length).map(source -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                source.writeTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toString(UTF_8);
        });
    }

    @Test
    void sendsOneJsonObjectAsItIsAndPutsOneSpreadOverLinesOnOne() {
        assertThat(line("{\"a\":1, \"b\":[1,2]}")).contains("{\"a\":1, \"b\":[1,2]}");
        assertThat(line("  {\"a\":\"\u00e9\"}  ")).contains("{\"a\":\"\u00e9\"}");
        assertThat(line("{\"a\": 1}\n")).contains("{\"a\": 1}");
        assertThat(line("\r\n{\"a\": \"x y\"}\r\n")).contains("{\"a\": \"x y\"}");
        assertThat(line("{\n  \"a\": {\"b\": 1},\r\n  \"c\": \"x\"\n}\n")).contains("{\"a\":{\"b\":1},\"c\":\"x\"}");
    }

    @Test
    void refusesWhatIsNotOneJsonObject() {
        assertThat(line("plain text")).isEmpty();
        assertThat(line("")).isEmpty();
        assertThat(line("[1,2]")).isEmpty();
        assertThat(line("\"text\"")).isEmpty();
        assertThat(line("{\"a\":1}{\"b\":2}")).isEmpty();
        assertThat(line("{\"a\":1")).isEmpty();
        assertThat(line(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'}))
                .isEmpty();
    }

    @Test
    void postsToTheBulkApiUnderTheEndpointsPath() {
        assertThat(BulkDestination.bulkUri(URI.create("https://search.example")))
                .isEqualTo(URI.create("https://search.example/_bulk"));
        assertThat(BulkDestination.bulkUri(URI.create("http://127.0.0.1:9200/")))
                .isEqualTo(URI.create("http://127.0.0.1:9200/_bulk"));
        assertThat(BulkDestination.bulkUri(URI.create("https://proxy.example/opensearch")))
                .isEqualTo(URI.create("https://proxy.example/opensearch/_bulk"));
    }

    private static Optional<DeliveryOutcome.Retry> read(
            String body, long sent, SortedMap<Integer, DeliveryOutcome.Failure> failures) throws Exception {
        return BulkDestination.readItems(
                new ByteArrayInputStream(body.getBytes(UTF_8)), sent, failures, SearchFlavor.OPENSEARCH_SERVICE);
    }

    @Test
    void readsEveryItemDeliveredWhenTheAnswerHasNoErrors() throws Exception {
        SortedMap<Integer, DeliveryOutcome.Failure> failures = new TreeMap<>();
        assertThat(read(
                        "{\"took\":3,\"errors\":false,\"items\":[{\"index\":{\"_id\":\"1\",\"status\":201}},"
                                + "{\"index\":{\"_id\":\"2\",\"status\":200}}]}",
                        2,
                        failures))
                .isEmpty();
        assertThat(failures).isEmpty();
    }

    @Test
    void retriesThrottledAndUnavailableItemsAndRejectsTheOthersWithTheirStatus() throws Exception {
        SortedMap<Integer, DeliveryOutcome.Failure> failures = new TreeMap<>();
        String body = "{\"took\":3,\"errors\":true,\"items\":["
                + "{\"index\":{\"status\":201}},"
                + "{\"index\":{\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"busy\"}}},"
                + "{\"create\":{\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\",\"reason\":\"failed to"
                + " parse\",\"caused_by\":{\"type\":\"illegal_argument_exception\",\"reason\":\"For input string\"}}}},"
                + "{\"index\":{\"status\":503,\"error\":\"unavailable\"}},"
                + "{\"index\":{\"status\":404,\"error\":{\"type\":\"index_not_found_exception\",\"reason\":\"no such"
                + " index\"}}}]}";
        assertThat(read(body, 5, failures)).isEmpty();
        assertThat(failures.keySet()).containsExactly(1, 2, 3, 4);
        assertThat(failures.get(1))
                .isEqualTo(new DeliveryOutcome.Retry("429", "es_rejected_execution_exception: busy"));
        assertThat(failures.get(2))
                .isEqualTo(new DeliveryOutcome.Rejected(
                        "400",
                        "mapper_parsing_exception: failed to parse (caused by illegal_argument_exception: For input"
                                + " string)",
                        DeliveryOutcome.Disposal.ERROR_OUTPUT));
        assertThat(failures.get(3)).isEqualTo(new DeliveryOutcome.Retry("503", "unavailable"));
        assertThat(failures.get(4)).isInstanceOf(DeliveryOutcome.Rejected.class);
    }

    @Test
    void retriesTheWholeRequestWhenTheAnswerDoesNotMatchIt() throws Exception {
        SortedMap<Integer, DeliveryOutcome.Failure> failures = new TreeMap<>();
        assertThat(read("{\"errors\":false,\"items\":[{\"index\":{\"status\":201}}]}", 2, failures))
                .hasValueSatisfying(r -> {
                    assertThat(r.errorCode()).isEqualTo("OS.InvalidResponse");
                    assertThat(r.message()).contains("1 items of 2");
                });
        assertThat(read("<html>proxy error</html>", 1, failures))
                .hasValueSatisfying(r -> assertThat(r.errorCode()).isEqualTo("OS.InvalidResponse"));
        assertThat(read("[]", 1, failures))
                .hasValueSatisfying(r -> assertThat(r.message()).contains("not a JSON object"));
        assertThat(failures).isEmpty();
    }
}
