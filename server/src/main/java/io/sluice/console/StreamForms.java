package io.sluice.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The create and edit forms as requests of the API: a form's fields become the JSON body AWS's console
 * would send (CreateDeliveryStream with the chosen source and a {@code …DestinationConfiguration},
 * UpdateDestination with the stream's {@code …DestinationUpdate}, or any body typed as JSON), which the API
 * validates as it does every request. Its refusal is split back onto the fields: a model violation by the
 * path it names, another message by the member it names; what names no field is shown above the form.
 * Secrets (an HTTP endpoint's access key, a HEC token) are never written back into a form: left blank on
 * edit, the update does not name them and the stream keeps its own.
 */
final class StreamForms {
    /** How a field is typed and sent. */
    enum Kind {
        TEXT,
        NUMBER,
        SECRET,
        CHOICE,
        TAGS,
        JSON
    }

    /**
     * A field of a form: its HTML name, its label, the request member it fills from the body's root
     * ({@code HttpEndpointDestinationConfiguration.EndpointConfiguration.Url}), how it is typed, its choices.
     */
    record Field(String name, String label, String member, Kind kind, List<String> choices) {
        /** The member as AWS's messages name it: {@code httpEndpointDestinationConfiguration.endpointConfiguration.url}. */
        String path() {
            return Arrays.stream(member.split("\\."))
                    .filter(s -> !s.isEmpty())
                    .map(s -> s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1))
                    .collect(Collectors.joining("."));
        }
    }

    /** A destination's field, by its member in the destination configuration; {@code updatable} on edit too. */
    record Input(String name, String label, String member, Kind kind, List<String> choices, boolean updatable) {
        static Input text(String name, String label, String member) {
            return new Input(name, label, member, Kind.TEXT, List.of(), true);
        }

        static Input number(String name, String label, String member) {
            return new Input(name, label, member, Kind.NUMBER, List.of(), true);
        }

        static Input secret(String name, String label, String member) {
            return new Input(name, label, member, Kind.SECRET, List.of(), true);
        }

        static Input choice(String name, String label, String member, String... choices) {
            return new Input(name, label, member, Kind.CHOICE, List.of(choices), true);
        }

        Input createOnly() {
            return new Input(name, label, member, kind, choices, false);
        }

        Field at(String root) {
            return new Field(name, label, root + "." + member, kind, choices);
        }
    }

    /** What a refused form shows: messages per field name, and those of no field. */
    record Refusal(Map<String, List<String>> byField, List<String> general) {}

    private static final String DIRECT_PUT = "DirectPut";
    private static final String KINESIS = "KinesisStreamAsSource";
    private static final String MSK = "MSKAsSource";

    private static final String KINESIS_SOURCE = "KinesisStreamSourceConfiguration";
    private static final String MSK_SOURCE = "MSKSourceConfiguration";
    private static final Pattern ITEM_PATH = Pattern.compile("^Value.*? at '([^']+)' failed to satisfy constraint");

    /** The create form's fields before the destination's: the name and the source. */
    static final List<Field> STREAM = List.of(
            root("DeliveryStreamName", "Name", "DeliveryStreamName", Kind.TEXT),
            new Field(
                    "DeliveryStreamType",
                    "Source",
                    "DeliveryStreamType",
                    Kind.CHOICE,
                    List.of(DIRECT_PUT, KINESIS, MSK)),
            root("KinesisStreamARN", "Kinesis data stream ARN", KINESIS_SOURCE + ".KinesisStreamARN", Kind.TEXT),
            root("KinesisRoleARN", "Kinesis source IAM role ARN", KINESIS_SOURCE + ".RoleARN", Kind.TEXT),
            root("MSKClusterARN", "MSK cluster ARN", MSK_SOURCE + ".MSKClusterARN", Kind.TEXT),
            root("TopicName", "MSK topic", MSK_SOURCE + ".TopicName", Kind.TEXT),
            root(
                    "MSKRoleARN",
                    "MSK source IAM role ARN",
                    MSK_SOURCE + ".AuthenticationConfiguration.RoleARN",
                    Kind.TEXT),
            new Field(
                    "Connectivity",
                    "MSK connectivity",
                    MSK_SOURCE + ".AuthenticationConfiguration.Connectivity",
                    Kind.CHOICE,
                    List.of("PUBLIC", "PRIVATE")));

    private static final Field TAGS = root("Tags", "Tags (one Key=Value a line)", "Tags", Kind.TAGS);
    private static final Field CREATE_JSON =
            root("Json", "Or the whole CreateDeliveryStream request as JSON (any destination)", "", Kind.JSON);
    private static final Field UPDATE_JSON = root(
            "Json", "Or the destination update as JSON (e.g. {\"HttpEndpointDestinationUpdate\": {…}})", "", Kind.JSON);

    private StreamForms() {}

    private static Field root(String name, String label, String member, Kind kind) {
        return new Field(name, label, member, kind, List.of());
    }

    /** The create form's fields for {@code destination}. */
    static List<Field> createFields(FormDestination destination) {
        List<Field> fields = new ArrayList<>(STREAM);
        destination.inputs().forEach(input -> fields.add(input.at(destination.configuration())));
        fields.add(TAGS);
        fields.add(CREATE_JSON);
        return List.copyOf(fields);
    }

    /** The edit form's fields for a stream's destination; only the JSON one when no form covers it. */
    static List<Field> editFields(Optional<FormDestination> destination) {
        List<Field> fields = new ArrayList<>();
        destination.ifPresent(d -> d.inputs().stream()
                .filter(Input::updatable)
                .forEach(input -> fields.add(new Field(
                        input.name(),
                        input.label(),
                        d.update() + "." + input.member().replaceFirst("^S3Configuration\\.", "S3Update."),
                        input.kind(),
                        input.choices()))));
        fields.add(UPDATE_JSON);
        return List.copyOf(fields);
    }

    /** The CreateDeliveryStream body of the create form. */
    static ObjectNode create(ObjectMapper json, Function<String, String> form) {
        String typed = form.apply("Json").strip();
        if (!typed.isEmpty()) {
            return typedObject(json, typed);
        }
        FormDestination destination = FormDestination.chosen(form.apply("Destination"));
        String source = form.apply("DeliveryStreamType");
        ObjectNode body = json.createObjectNode();
        body.putObject(destination.configuration());
        for (Field field : createFields(destination)) {
            boolean otherSource = (field.member().startsWith(KINESIS_SOURCE + ".") && !source.equals(KINESIS))
                    || (field.member().startsWith(MSK_SOURCE + ".") && !source.equals(MSK));
            if (!otherSource) {
                put(body, field, form.apply(field.name()));
            }
        }
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
            ObjectMapper json,
            String name,
            String versionId,
            String destinationId,
            Optional<FormDestination> destination,
            Function<String, String> form) {
        String typed = form.apply("Json").strip();
        ObjectNode body = typed.isEmpty() ? json.createObjectNode() : typedObject(json, typed);
        body.put("DeliveryStreamName", name)
                .put("CurrentDeliveryStreamVersionId", versionId)
                .put("DestinationId", destinationId);
        if (typed.isEmpty() && destination.isPresent()) {
            body.putObject(destination.get().update());
            for (Field field : editFields(destination)) {
                put(body, field, form.apply(field.name()));
            }
        }
        return body;
    }

    /** The edit form's values from a stream's current destination; secrets stay blank. */
    static Function<String, String> editValues(JsonNode description) {
        JsonNode d = description.path("DeliveryStreamDescription");
        JsonNode destination = d.path("Destinations").path(0);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("VersionId", d.path("VersionId").asText());
        FormDestination.of(destination).ifPresent(kind -> {
            JsonNode current = destination.path(kind.description());
            for (Input input : kind.inputs()) {
                JsonNode value = current;
                for (String member : input.member()
                        .replaceFirst("^S3Configuration\\.", "S3DestinationDescription.")
                        .split("\\.")) {
                    value = value.path(member);
                }
                if (input.kind() != Kind.SECRET && value.isValueNode()) {
                    values.put(input.name(), value.asText());
                }
            }
        });
        return name -> values.getOrDefault(name, "");
    }

    /** Puts a field's value at its member, when given; TAGS and JSON are read on their own. */
    private static void put(ObjectNode body, Field field, String value) {
        if (value.isBlank() || field.kind() == Kind.TAGS || field.kind() == Kind.JSON) {
            return;
        }
        String[] members = field.member().split("\\.");
        ObjectNode node = body;
        for (int i = 0; i < members.length - 1; i++) {
            node = node.has(members[i]) ? (ObjectNode) node.get(members[i]) : node.putObject(members[i]);
        }
        String member = members[members.length - 1];
        if (field.kind() == Kind.NUMBER) {
            putNumber(node, member, value);
        } else {
            node.put(member, field.kind() == Kind.SECRET ? value : value.strip());
        }
    }

    /** A number typed as one; anything else as text, which the API refuses in its own words. */
    private static void putNumber(ObjectNode node, String member, String value) {
        String trimmed = value.strip();
        try {
            node.put(member, Integer.parseInt(trimmed));
        } catch (NumberFormatException e) {
            node.put(member, trimmed);
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
        List<Field> named = fields.stream().filter(f -> !f.member().isEmpty()).toList();
        Matcher path = ITEM_PATH.matcher(item);
        if (path.find()) {
            String at = path.group(1);
            return named.stream()
                    .filter(f -> at.equals(f.path()) || at.startsWith(f.path() + "."))
                    .findFirst()
                    .or(() -> named.stream()
                            .filter(f -> f.path().startsWith(at + "."))
                            .findFirst())
                    .map(Field::name)
                    .orElse("");
        }
        return named.stream()
                .filter(f -> item.contains(lastMember(f)))
                .max(Comparator.comparingInt(f -> lastMember(f).length()))
                .map(Field::name)
                .orElse("");
    }

    private static String lastMember(Field field) {
        return field.member().substring(field.member().lastIndexOf('.') + 1);
    }
}
