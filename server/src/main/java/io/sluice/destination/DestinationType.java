package io.sluice.destination;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DestinationSpec;
import java.util.List;
import java.util.Optional;

/**
 * One kind of destination, everything the rest of Sluice needs of it: the API members it is
 * configured and updated by, its validated {@link DestinationSpec} (parsed, merged, rendered for the
 * catalog, described), how the engine treats its batches, and the {@link Destination} that sends them.
 * Registered once in a {@link DestinationRegistry}; constructed by the composition root with what its
 * destinations need (object store, HTTP transport, staging directory, clock, ids). Thread-safe.
 *
 * <p>Members are the names of CreateDeliveryStream's and UpdateDestination's destination members in
 * the service model; the input they carry has already been checked against the model, so a type adds
 * only the rules the model cannot express, failing with {@code FirehoseException}s in AWS's words.
 *
 * @param <S> the spec this type parses into; one spec class belongs to one type
 */
public interface DestinationType<S extends DestinationSpec> {
    /** The class of this type's specs, by which the registry finds the type of a stored spec. */
    Class<S> specClass();

    /**
     * The CreateDeliveryStream members this type is configured by, at least one. The first is the shape
     * {@link #render} writes, under which the catalog persists the spec (e.g.
     * {@code ExtendedS3DestinationConfiguration}, then {@code S3DestinationConfiguration}).
     */
    List<String> configurationMembers();

    /** The UpdateDestination members that update a destination of this type or change one into it. */
    List<String> updateMembers();

    /** How messages name one destination of this type, article included: {@code an S3 destination}. */
    String nounPhrase();

    /**
     * How messages name {@code spec}, article included; {@link #nounPhrase()} unless the type serves
     * several kinds of destination (OpenSearch Service, Elasticsearch, OpenSearch Serverless).
     */
    default String nounPhrase(S spec) {
        return nounPhrase();
    }

    /**
     * The configuration member {@code spec} is rendered in and persisted under: the first of
     * {@link #configurationMembers()}, unless the type serves several kinds of destination that AWS
     * configures under members of their own.
     */
    default String configurationMember(S spec) {
        return configurationMembers().get(0);
    }

    /**
     * Whether an UpdateDestination may change a destination of this type into another type (when that
     * type {@linkplain #convert takes it over}). AWS refuses it for its OpenSearch destinations.
     */
    default boolean convertible() {
        return true;
    }

    /** The validated spec of {@code configuration}, given under {@code member}. */
    S parse(String member, JsonNode configuration);

    /** {@code current} after an UpdateDestination of this type, given under {@code member}. */
    S merge(S current, String member, JsonNode update);

    /**
     * A destination of this type replacing {@code current}, of another type, by an UpdateDestination
     * given under {@code member}; empty when this type does not take over other destinations (the
     * registry then refuses the update, naming both types).
     */
    default Optional<S> convert(DestinationSpec current, String member, JsonNode update) {
        return Optional.empty();
    }

    /**
     * The spec in the shape of {@link #configurationMember} with AWS's defaults filled in and
     * secrets included: what the catalog persists, and reads back with {@link #parse}.
     */
    ObjectNode render(S spec);

    /**
     * Where {@link #render} puts secrets (an access key, a token), as JSON pointers into the rendered
     * configuration such as {@code /EndpointConfiguration/AccessKey}: the catalog seals them at rest.
     */
    default List<String> secrets() {
        return List.of();
    }

    /** Adds the DescribeDeliveryStream members of the spec (never a secret) to a {@code DestinationDescription}. */
    void describe(S spec, ObjectNode destinationDescription);

    /**
     * How the engine treats the batches of {@code stream}, whose destination is {@code spec}. Cheap: built
     * anew whenever the configuration changes (its processors keep state).
     */
    DeliveryPolicy policy(DeliveryStream stream, S spec);

    /** The destination that sends the batches of {@code stream}, whose destination is {@code spec}. */
    Destination create(DeliveryStream stream, S spec);
}
