package io.sluice.api.model;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A JSON object with named members, listed in the model's order. */
public record StructureShape(String name, List<Member> members) implements Shape {
    public StructureShape {
        requireNonNull(name, "name is null");
        members = List.copyOf(members);
        Set<String> names = new HashSet<>();
        for (Member member : members) {
            if (!names.add(member.name())) {
                throw new IllegalArgumentException("structure " + name + " repeats member " + member.name());
            }
        }
    }
}
