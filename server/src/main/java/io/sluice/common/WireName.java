package io.sluice.common;

import java.util.Optional;

/** An enum constant spelled on the wire as AWS spells it ({@code FailedEventsOnly}, {@code OneDay}). */
public interface WireName {
    String wireName();

    /** The constant of {@code type} spelled {@code text}, if any. */
    static <E extends Enum<E> & WireName> Optional<E> parse(Class<E> type, String text) {
        for (E constant : type.getEnumConstants()) {
            if (constant.wireName().equals(text)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }
}
