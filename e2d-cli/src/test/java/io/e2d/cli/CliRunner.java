package io.e2d.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code e2d} in-process with an injected environment and captured output. */
final class CliRunner {

    private CliRunner() {}

    /** The outcome of one run. */
    record Result(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = E2dCommand.commandLine(env, new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Parses {@code e2d run args} and returns the validated settings (runs nothing). */
    static io.e2d.cli.internal.RunSettings settings(Map<String, String> env, String... args) {
        CommandLine cli =
                E2dCommand.commandLine(env, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        String[] all = new String[args.length + 1];
        all[0] = "run";
        System.arraycopy(args, 0, all, 1, args.length);
        CommandLine.ParseResult parsed = cli.parseArgs(all);
        RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
        return run.settings();
    }
}
