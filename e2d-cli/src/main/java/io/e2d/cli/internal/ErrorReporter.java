package io.e2d.cli.internal;

import io.e2d.cli.CliException;
import io.e2d.cli.ExitCodes;
import io.e2d.core.E2dException;
import io.e2d.core.server.EtcdBinaryNotFoundException;
import io.e2d.core.server.EtcdStartException;
import io.e2d.core.server.InvalidEtcdConfigException;
import io.e2d.discovery.DiscoveryException;
import io.e2d.pki.PkiException;
import io.e2d.snapshot.SnapshotException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one line on stderr ({@code e2d: ...}) and an exit code of {@link ExitCodes};
 * with {@code --verbose} the stack trace follows. A bad {@code E2D_*} value is reported under the
 * variable's name.
 */
public final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {

    /** What picocli's {@code help} command says about a topic that is not a command. */
    private static final java.util.regex.Pattern UNKNOWN_HELP_TOPIC =
            java.util.regex.Pattern.compile("Unknown subcommand '(.*)'\\.");

    private final EnvironmentDefaults defaults;
    private final BooleanSupplier verbose;

    /** Reports with the variables of {@code defaults}; {@code verbose} is read when an error happens. */
    public ErrorReporter(EnvironmentDefaults defaults, BooleanSupplier verbose) {
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.verbose = Objects.requireNonNull(verbose, "verbose");
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cli = ex.getCommandLine();
        String message = envMessage(ex)
                .orElseGet(() -> oneLine(parseMessage(ex)) + " (see '"
                        + cli.getCommandSpec().qualifiedName() + " --help')");
        print(cli.getErr(), message, ex);
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parseResult) {
        Failure failure = Failure.of(ex);
        print(cli.getErr(), failure.message(), ex);
        return failure.exitCode();
    }

    /**
     * picocli's message, except for arguments it could not match: an unknown subcommand is named as such with
     * the commands that exist, an unknown option gets picocli's suggestions, a stray value is explained.
     */
    static String parseMessage(ParameterException ex) {
        CommandSpec spec = ex.getCommandLine().getCommandSpec();
        String message = String.valueOf(ex.getMessage());
        java.util.regex.Matcher help = UNKNOWN_HELP_TOPIC.matcher(message);
        if (help.matches()) {
            return "unknown command '" + help.group(1) + "' for '" + spec.qualifiedName() + "'; expected one of "
                    + String.join(", ", spec.subcommands().keySet());
        }
        if (!(ex instanceof UnmatchedArgumentException unmatched)
                || unmatched.getUnmatched().isEmpty()) {
            // picocli's sentences start with a capital ("Missing required option..."); e2d's do not
            return message.length() > 1
                            && Character.isUpperCase(message.charAt(0))
                            && Character.isLowerCase(message.charAt(1))
                    ? Character.toLowerCase(message.charAt(0)) + message.substring(1)
                    : message;
        }
        String first = unmatched.getUnmatched().get(0);
        List<String> suggestions = unmatched.getSuggestions();
        String didYouMean = suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?";
        if (unmatched.isUnknownOption()) {
            return "unknown option '" + first + "' for '" + spec.qualifiedName() + "'" + didYouMean;
        }
        if (!spec.subcommands().isEmpty()) {
            return "unknown command '" + first + "' for '" + spec.qualifiedName() + "'; expected one of "
                    + String.join(", ", spec.subcommands().keySet()) + didYouMean;
        }
        return "unexpected argument '" + first + "': '" + spec.qualifiedName()
                + "' takes only options (a flag's value goes after it, or as --flag=value)";
    }

    private java.util.Optional<String> envMessage(ParameterException ex) {
        if (ex.getArgSpec() == null) {
            return java.util.Optional.empty();
        }
        return defaults.valueFor(ex.getArgSpec())
                .filter(v -> ex.getValue() == null || v.value().equals(ex.getValue()))
                .map(v -> {
                    String why = ex.getCause() != null && ex.getCause().getMessage() != null
                            ? ex.getCause().getMessage()
                            : ex.getMessage();
                    return "environment variable " + v.name() + "=" + quote(v.value()) + " is not a valid "
                            + ((picocli.CommandLine.Model.OptionSpec) ex.getArgSpec()).longestName() + ": "
                            + oneLine(why);
                });
    }

    private void print(PrintWriter err, String message, Throwable ex) {
        err.println("e2d: " + message);
        if (verbose.getAsBoolean()) {
            ex.printStackTrace(err);
        }
        err.flush();
    }

    private static String quote(String value) {
        return "\"" + value + "\"";
    }

    /**
     * An I/O failure in words. The JDK's file exceptions often carry only the path ({@code /srv/x}); this adds
     * what happened to it, without Java class names: {@code /srv/x: permission denied}.
     */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            String what;
            if (f.getReason() != null) {
                what = f.getReason();
            } else if (f instanceof AccessDeniedException) {
                what = "permission denied";
            } else if (f instanceof NoSuchFileException) {
                what = "no such file or directory";
            } else if (f instanceof FileAlreadyExistsException) {
                what = Files.isDirectory(Path.of(f.getFile())) ? "already exists" : "a file is in the way";
            } else if (f instanceof NotDirectoryException) {
                what = "not a directory";
            } else {
                what = f.getClass().getSimpleName();
            }
            return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": " + what;
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " | ");
    }

    /** An exception classified into a message and an exit code. */
    record Failure(String message, int exitCode) {

        static Failure of(Throwable ex) {
            if (ex instanceof CliException cli) {
                return new Failure(oneLine(String.valueOf(cli.getMessage())), cli.exitCode());
            }
            if (ex instanceof EtcdBinaryNotFoundException) {
                return new Failure(oneLine(String.valueOf(ex.getMessage())), ExitCodes.ETCD_NOT_FOUND);
            }
            if (ex instanceof InvalidEtcdConfigException) {
                return new Failure(oneLine(String.valueOf(ex.getMessage())), ExitCodes.USAGE);
            }
            if (ex instanceof EtcdStartException start) {
                int code = start.reason() == EtcdStartException.Reason.DATA_DIR
                                || start.reason() == EtcdStartException.Reason.TLS
                        ? ExitCodes.USAGE
                        : ExitCodes.RUNTIME_ERROR;
                return new Failure(oneLine(String.valueOf(ex.getMessage())), code);
            }
            if (isE2dFailure(ex)) {
                return new Failure(oneLine(String.valueOf(ex.getMessage())), ExitCodes.RUNTIME_ERROR);
            }
            String text = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            return new Failure(
                    "unexpected error: " + oneLine(text) + " (run with --verbose for details)",
                    ExitCodes.RUNTIME_ERROR);
        }

        /** The base exceptions of e2d's modules: their messages are written for users already. */
        private static boolean isE2dFailure(Throwable ex) {
            return ex.getMessage() != null
                    && (ex instanceof E2dException
                            || ex instanceof PkiException
                            || ex instanceof SnapshotException
                            || ex instanceof DiscoveryException);
        }
    }
}
