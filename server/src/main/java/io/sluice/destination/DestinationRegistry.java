package io.sluice.destination;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DestinationFormat;
import io.sluice.catalog.DestinationSpec;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The destination types Sluice delivers to, and the one place that finds the type of an API member or
 * of a spec: by the members a type claims, and by its spec class. Everything outside a destination's
 * own package goes through here, so adding a destination is adding a type to the list it is built
 * from. Immutable and thread-safe.
 */
public final class DestinationRegistry implements DestinationFormat {
    private final Map<String, Registered<?>> byConfiguration = new LinkedHashMap<>();
    private final Map<String, Registered<?>> byUpdate = new HashMap<>();
    private final Map<Class<?>, Registered<?>> bySpec = new HashMap<>();

    /**
     * @throws IllegalArgumentException when a type claims no configuration member, or two types claim
     *     one member or one spec class
     */
    public DestinationRegistry(List<DestinationType<?>> types) {
        for (DestinationType<?> type : types) {
            Registered<?> registered = Registered.of(type);
            if (type.configurationMembers().isEmpty()) {
                throw new IllegalArgumentException(type.getClass().getName() + " claims no configuration member");
            }
            claim(bySpec, type.specClass(), registered);
            type.configurationMembers().forEach(member -> claim(byConfiguration, member, registered));
            type.updateMembers().forEach(member -> claim(byUpdate, member, registered));
        }
    }

    private static <K> void claim(Map<K, Registered<?>> claims, K key, Registered<?> type) {
        Registered<?> earlier = claims.putIfAbsent(key, type);
        if (earlier != null) {
            throw new IllegalArgumentException(
                    key + " is claimed by both " + earlier.type().getClass().getName() + " and "
                            + type.type().getClass().getName());
        }
    }

    /** Every CreateDeliveryStream member a registered type is configured by, in registration order. */
    public List<String> configurationMembers() {
        return List.copyOf(byConfiguration.keySet());
    }

    /** Whether a registered type is configured by this CreateDeliveryStream member. */
    @Override
    public boolean reads(String member) {
        return byConfiguration.containsKey(member);
    }

    /** Whether a registered type is updated by this UpdateDestination member. */
    public boolean updates(String member) {
        return byUpdate.containsKey(member);
    }

    /** The validated spec of a configuration under {@code member}, which {@link #reads}. */
    @Override
    public DestinationSpec parse(String member, JsonNode configuration) {
        return claimed(byConfiguration, member).type().parse(member, configuration);
    }

    /**
     * {@code current} after an UpdateDestination under {@code member}, which {@link #updates}: merged
     * when {@code current} is of the member's type, else converted by that type if it takes over the
     * destination, else refused with {@code InvalidArgumentException}.
     */
    public DestinationSpec update(DestinationSpec current, String member, JsonNode update) {
        Registered<?> target = claimed(byUpdate, member);
        Registered<?> from = typeOf(current);
        if (target == from) {
            return target.merge(current, member, update);
        }
        if (!from.type().convertible()) {
            throw new FirehoseException(
                    ErrorCode.INVALID_ARGUMENT,
                    "Changing the destination type to or from " + from.nounPhrase(current) + " is not supported.");
        }
        return target.type()
                .convert(current, member, update)
                .orElseThrow(() -> new FirehoseException(
                        ErrorCode.INVALID_ARGUMENT,
                        "Sluice does not support changing " + from.nounPhrase(current) + " into "
                                + target.type().nounPhrase() + "; create a new delivery stream instead."));
    }

    @Override
    public String member(DestinationSpec spec) {
        return typeOf(spec).member(spec);
    }

    @Override
    public ObjectNode render(DestinationSpec spec) {
        return typeOf(spec).render(spec);
    }

    @Override
    public List<String> secrets(String member) {
        return claimed(byConfiguration, member).type().secrets();
    }

    /** Adds the spec's description members to a {@code DestinationDescription}. */
    public void describe(DestinationSpec spec, ObjectNode destinationDescription) {
        typeOf(spec).describe(spec, destinationDescription);
    }

    /** How the engine treats the batches of {@code stream} as it is configured now. */
    public DeliveryPolicy policy(DeliveryStream stream) {
        return typeOf(stream.destination().spec()).policy(stream);
    }

    /** The destination that sends the batches of {@code stream} as it is configured now. */
    public Destination create(DeliveryStream stream) {
        return typeOf(stream.destination().spec()).create(stream);
    }

    private static Registered<?> claimed(Map<String, Registered<?>> claims, String member) {
        Registered<?> type = claims.get(member);
        if (type == null) {
            throw new IllegalArgumentException("no registered destination type claims " + member);
        }
        return type;
    }

    private Registered<?> typeOf(DestinationSpec spec) {
        Registered<?> type = bySpec.get(spec.getClass());
        if (type == null) {
            throw new IllegalArgumentException("no registered destination type for " + spec.getClass());
        }
        return type;
    }

    /** A type with the spec-typed calls made on specs of unknown type, each cast to the type's spec. */
    private record Registered<S extends DestinationSpec>(DestinationType<S> type) {
        static <S extends DestinationSpec> Registered<S> of(DestinationType<S> type) {
            return new Registered<>(requireNonNull(type, "type is null"));
        }

        private S cast(DestinationSpec spec) {
            return type.specClass().cast(spec);
        }

        String member(DestinationSpec spec) {
            return type.configurationMember(cast(spec));
        }

        String nounPhrase(DestinationSpec spec) {
            return type.nounPhrase(cast(spec));
        }

        DestinationSpec merge(DestinationSpec current, String member, JsonNode update) {
            return type.merge(cast(current), member, update);
        }

        ObjectNode render(DestinationSpec spec) {
            return type.render(cast(spec));
        }

        void describe(DestinationSpec spec, ObjectNode destinationDescription) {
            type.describe(cast(spec), destinationDescription);
        }

        DeliveryPolicy policy(DeliveryStream stream) {
            return type.policy(stream, cast(stream.destination().spec()));
        }

        Destination create(DeliveryStream stream) {
            return type.create(stream, cast(stream.destination().spec()));
        }
    }
}
