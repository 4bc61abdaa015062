package io.sluice.bench;

import java.util.function.Supplier;
import picocli.CommandLine;

/** Turns a value object's refusal of an option ({@link IllegalArgumentException}) into picocli's usage error. */
final class Parameters {
    private Parameters() {}

    static <T> T checked(CommandLine.Model.CommandSpec command, Supplier<T> value) {
        try {
            return value.get();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command.commandLine(), e.getMessage(), e);
        }
    }
}
