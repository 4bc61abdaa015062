package io.sluice.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a Firehose transformation function answers for one record (delivery spec §6.1.4), and the whole
 * answer to an event built from a decision per record, as test functions written in Java answer.
 */
public record TransformationAnswer(String result, Optional<String> data) {
    public static TransformationAnswer ok(String data) {
        return new TransformationAnswer("Ok", Optional.of(data));
    }

    public static TransformationAnswer dropped() {
        return new TransformationAnswer("Dropped", Optional.empty());
    }

    public static TransformationAnswer failed() {
        return new TransformationAnswer("ProcessingFailed", Optional.empty());
    }

    /** The answer to {@code event}: {@code decide} is given each record's data as text. */
    public static ObjectNode to(JsonNode event, Function<String, TransformationAnswer> decide) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        ArrayNode records = answer.putArray("records");
        for (JsonNode record : event.get("records")) {
            String data =
                    new String(Base64.getDecoder().decode(record.get("data").asText()), UTF_8);
            TransformationAnswer decided = decide.apply(data);
            ObjectNode made = records.addObject()
                    .put("recordId", record.get("recordId").asText())
                    .put("result", decided.result());
            decided.data().ifPresent(d -> made.put("data", Base64.getEncoder().encodeToString(d.getBytes(UTF_8))));
        }
        return answer;
    }
}
