package io.e2d.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code e2d completion}: prints a bash completion script for every e2d command and flag. Install it
 * with {@code ./e2d completion > /etc/bash_completion.d/e2d} or {@code source <(./e2d completion)}.
 */
@Command(
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        name = "completion",
        description = "Print a bash completion script (also works in zsh with bashcompinit).",
        footerHeading = "%n",
        footer = "Example: source <(e2d completion)")
public final class CompletionCommand implements Callable<Integer> {

    @Spec
    @SuppressWarnings("NullAway.Init")
    private CommandSpec spec;

    /** Created by picocli. */
    public CompletionCommand() {}

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("e2d", spec.root().commandLine()));
        out.flush();
        return ExitCodes.OK;
    }
}
