package io.e2d.cli.internal;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Shared behaviour of commands that only group subcommands. */
public final class Subcommands {
    private Subcommands() {}

    /** The usage error for a group command given without a subcommand; it names the registered ones. */
    public static ParameterException missing(CommandSpec spec) {
        return new ParameterException(
                spec.commandLine(),
                "a subcommand is required: "
                        + String.join(", ", spec.subcommands().keySet()));
    }
}
