package io.sluice.delivery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DestinationSpec;
import io.sluice.destination.DeliveryPolicy;
import io.sluice.destination.Destination;
import io.sluice.destination.DestinationType;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A real destination type whose streams all send through one scripted destination, so that engine
 * tests run under the real type's policy (batch cuts, retry budgets, error output, backups), or under
 * that policy as {@code policy} changes it.
 */
record ScriptedType<S extends DestinationSpec>(
        DestinationType<S> real, Destination destination, UnaryOperator<DeliveryPolicy> policy)
        implements DestinationType<S> {
    ScriptedType {
        requireNonNull(real, "real is null");
        requireNonNull(destination, "destination is null");
        requireNonNull(policy, "policy is null");
    }

    ScriptedType(DestinationType<S> real, Destination destination) {
        this(real, destination, UnaryOperator.identity());
    }

    @Override
    public Class<S> specClass() {
        return real.specClass();
    }

    @Override
    public List<String> configurationMembers() {
        return real.configurationMembers();
    }

    @Override
    public List<String> updateMembers() {
        return real.updateMembers();
    }

    @Override
    public String nounPhrase() {
        return real.nounPhrase();
    }

    @Override
    public S parse(String member, JsonNode configuration) {
        return real.parse(member, configuration);
    }

    @Override
    public S merge(S current, String member, JsonNode update) {
        return real.merge(current, member, update);
    }

    @Override
    public Optional<S> convert(DestinationSpec current, String member, JsonNode update) {
        return real.convert(current, member, update);
    }

    @Override
    public ObjectNode render(S spec) {
        return real.render(spec);
    }

    @Override
    public void describe(S spec, ObjectNode destinationDescription) {
        real.describe(spec, destinationDescription);
    }

    @Override
    public DeliveryPolicy policy(DeliveryStream stream, S spec) {
        return policy.apply(real.policy(stream, spec));
    }

    @Override
    public Destination create(DeliveryStream stream, S spec) {
        return destination;
    }
}
