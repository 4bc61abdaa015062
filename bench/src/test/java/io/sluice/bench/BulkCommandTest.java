package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BulkCommandTest {
    @Test
    void anAnswerWithoutErrorsRefusesNothing() {
        assertThat(BulkCommand.refusedItems(
                        "{\"took\":5,\"errors\":false,\"items\":[{\"index\":{\"_id\":\"a\",\"status\":201}}]}"))
                .isZero();
    }

    @Test
    void countsTheItemsWhoseStatusIsNot2xx() {
        String answer = "{\"took\":5,\"errors\":true,\"items\":["
                + "{\"index\":{\"_id\":\"a\",\"status\":201}},"
                + "{\"index\":{\"_id\":\"b\",\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\"}}},"
                + "{\"index\":{\"_id\":\"c\",\"status\":200}},"
                + "{\"index\":{\"_id\":\"d\",\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\"}}}]}";
        assertThat(BulkCommand.refusedItems(answer)).isEqualTo(2);
    }
}
