package io.sluice.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The create and edit forms as requests of the API: a form's fields become the JSON body AWS's console
 * would send (CreateDeliveryStream with an {@code ExtendedS3DestinationConfiguration}, UpdateDestination with
 * an {@code ExtendedS3DestinationUpdate}, or any body typed as JSON), which the API validates as it does
 * every request. Its refusal is split back onto the fields: a model violation by the path it names, another
 * message by the member it names; what names no field is shown above the form.
 */
final class StreamForms {
    /** A form field: its HTML name (the API member), its label, and the request path AWS's messages name. */
    record Field(String name, String label, String path) {}

    /** What a refused form shows: messages per field name, and those of no field. */
    record Refusal(Map<String, List<String>> byField, List<String> general) {}

    private static final String S3 = "extendedS3DestinationConfiguration";
    private static final String S3_UPDATE = "extendedS3DestinationUpdate";
    private static final Pattern ITEM_PATH = Pattern.compile("^Value.*? at '([^']+)' failed to satisfy constraint");

    static final List<Field> CREATE = List.of(
            new Field("DeliveryStreamName", "Name", "deliveryStreamName"),
            new Field("BucketARN", "S3 bucket ARN", S3 + ".bucketARN"),
            new Field("RoleARN", "IAM role ARN", S3 + ".roleARN"),
            new Field("Prefix", "Prefix", S3 + ".prefix"),
            new Field("ErrorOutputPrefix", "Error output prefix", S3 + ".errorOutputPrefix"),
            new Field("SizeInMBs", "Buffer size (MiB)", S3 + ".bufferingHints.sizeInMBs"),
            new Field("IntervalInSeconds", "Buffer interval (seconds)", S3 + ".bufferingHints.intervalInSeconds"),
            new Field("CompressionFormat", "Compression", S3 + ".compressionFormat"),
            new Field("Tags", "Tags (one Key=Value a line)", "tags"),
            new Field("Json", "Or the whole CreateDeliveryStream request as JSON (any destination)", ""));

    static final List<Field> EDIT = List.of(
            new Field("Prefix", "Prefix", S3_UPDATE + ".prefix"),
            new Field("ErrorOutputPrefix", "Error output prefix", S3_UPDATE + ".errorOutputPrefix"),
            new Field("SizeInMBs", "Buffer size (MiB)", S3_UPDATE + ".bufferingHints.sizeInMBs"),
            new Field(
                    "IntervalInSeconds", "Buffer interval (seconds)", S3_UPDATE + ".bufferingHints.intervalInSeconds"),
            new Field("CompressionFormat", "Compression", S3_UPDATE + ".compressionFormat"),
            new Field("Json", "Or the destination update as JSON (e.g. {\"HttpEndpointDestinationUpdate\": {…}})", ""));

    static final List<String> COMPRESSION = List.of("UNCOMPRESSED", "GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY");

    private StreamForms() {}

    /** The CreateDeliveryStream body of the create form. */
    static ObjectNode create(ObjectMapper json, Function<String, String> form) {
        String typed = form.apply("Json").strip();
        if (!typed.isEmpty()) {
            return typedObject(json, typed);
        }
        ObjectNode body = json.createObjectNode().put("DeliveryStreamName", form.apply("DeliveryStreamName"));
        ObjectNode s3 = body.putObject("ExtendedS3DestinationConfiguration");
        s3.put("BucketARN", form.apply("BucketARN")).put("RoleARN", form.apply("RoleARN"));
        s3DestinationFields(s3, form);
        ArrayNode tags = json.createArrayNode();
        for (String line : form.apply("Tags").split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int equals = line.indexOf('=');
            tags.addObject()
                    .put("Key", (equals < 0 ? line : line.substring(0, equals)).strip())
                    .put("Value", equals < 0 ? "" : line.substring(equals + 1).strip());
        }
        if (!tags.isEmpty()) {
            body.set("Tags", tags);
        }
        if (form.apply("Encryption").equals("on")) {
            body.putObject("DeliveryStreamEncryptionConfigurationInput").put("KeyType", "AWS_OWNED_CMK");
        }
        return body;
    }

    /** The UpdateDestination body of the edit form, for the stream at {@code versionId}. */
    static ObjectNode update(
            ObjectMapper json, String name, String versionId, String destinationId, Function<String, String> form) {
        String typed = form.apply("Json").strip();
        ObjectNode body = typed.isEmpty() ? json.createObjectNode() : typedObject(json, typed);
        body.put("DeliveryStreamName", name)
                .put("CurrentDeliveryStreamVersionId", versionId)
                .put("DestinationId", destinationId);
        if (typed.isEmpty()) {
            s3DestinationFields(body.putObject("ExtendedS3DestinationUpdate"), form);
        }
        return body;
    }

    private static void s3DestinationFields(ObjectNode s3, Function<String, String> form) {
        putIfGiven(s3, "Prefix", form.apply("Prefix"));
        putIfGiven(s3, "ErrorOutputPrefix", form.apply("ErrorOutputPrefix"));
        putIfGiven(s3, "CompressionFormat", form.apply("CompressionFormat"));
        ObjectNode hints = s3.objectNode();
        putNumber(hints, "SizeInMBs", form.apply("SizeInMBs"));
        putNumber(hints, "IntervalInSeconds", form.apply("IntervalInSeconds"));
        if (!hints.isEmpty()) {
            s3.set("BufferingHints", hints);
        }
    }

    /** A number typed as one; anything else as text, which the API refuses in its own words. */
    private static void putNumber(ObjectNode node, String member, String value) {
        String trimmed = value.strip();
        if (trimmed.isEmpty()) {
            return;
        }
        try {
            node.put(member, Integer.parseInt(trimmed));
        } catch (NumberFormatException e) {
            node.put(member, trimmed);
        }
    }

    private static void putIfGiven(ObjectNode node, String member, String value) {
        if (!value.isBlank()) {
            node.put(member, value.strip());
        }
    }

    private static ObjectNode typedObject(ObjectMapper json, String typed) {
        try {
            JsonNode node = json.readTree(typed);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            // answered below as the API answers a body that is not a JSON object
        }
        throw new FirehoseException(ErrorCode.SERIALIZATION, "The JSON field does not hold a JSON object.");
    }

    /** {@code refused} split onto {@code fields}. */
    static Refusal refusal(FirehoseException refused, List<Field> fields) {
        Map<String, List<String>> byField = new LinkedHashMap<>();
        List<String> general = new ArrayList<>();
        for (String item : items(refused)) {
            String field = fieldOf(item, fields);
            if (field.isEmpty()) {
                general.add(refused.code().awsType() + ": " + item);
            } else {
                byField.computeIfAbsent(field, f -> new ArrayList<>()).add(item);
            }
        }
        return new Refusal(byField, general);
    }

    /** A validation message's items ({@code N validation errors detected: a; b}), or the message itself. */
    private static List<String> items(FirehoseException refused) {
        String message = String.valueOf(refused.getMessage());
        int colon = message.indexOf("detected: ");
        if (refused.code() == ErrorCode.VALIDATION && colon >= 0) {
            return List.of(message.substring(colon + "detected: ".length()).split("; (?=Value)"));
        }
        return List.of(message);
    }

    private static String fieldOf(String item, List<Field> fields) {
        Matcher path = ITEM_PATH.matcher(item);
        if (path.find()) {
            String at = path.group(1);
            return fields.stream()
                    .filter(f -> !f.path().isEmpty() && (at.equals(f.path()) || at.startsWith(f.path() + ".")))
                    .map(Field::name)
                    .findFirst()
                    .orElse("");
        }
        return fields.stream()
                .filter(f -> !f.path().isEmpty() && item.contains(f.name()))
                .max(Comparator.comparingInt(f -> f.name().length()))
                .map(Field::name)
                .orElse("");
    }
}
