package io.e2d.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;

/** Entry point of the {@code e2d} command; the only place that calls {@link System#exit(int)}. */
public final class Main {

    private Main() {}

    /** Runs {@code e2d} with the process environment and exits with one of {@link ExitCodes}. */
    public static void main(String[] args) {
        Charset charset = Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, charset), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, charset), true);
        int code = E2dCommand.commandLine(System.getenv(), out, err, args).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
