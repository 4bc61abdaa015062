package io.sluice.api.model;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A member of a structure: its name as sent on the wire (PascalCase, case-sensitive), the shape
 * of its value, and whether the model lists it as required.
 */
public record Member(String name, Shape target, boolean required) {
    public Member {
        requireNonNull(name, "name is null");
        requireNonNull(target, "target is null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("member name is empty");
        }
    }

    /**
     * The name as AWS writes it in a ValidationException path: the first character lower-cased,
     * the rest kept ({@code RoleARN} becomes {@code roleARN}).
     */
    public String pathName() {
        return name.substring(0, 1).toLowerCase(Locale.ROOT) + name.substring(1);
    }
}
