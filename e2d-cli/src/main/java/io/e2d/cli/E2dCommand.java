package io.e2d.cli;

import io.e2d.cli.internal.EnvironmentDefaults;
import io.e2d.cli.internal.ErrorReporter;
import io.e2d.cli.internal.Subcommands;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The root {@code e2d} command. Subcommands are registered in {@code subcommands()} below, one line
 * each; a subcommand reaches the shared state ({@link #env()}, {@link #isVerbose()}) through a
 * {@code @ParentCommand E2dCommand} field.
 *
 * <p>Build a ready command line with {@link #commandLine(Map, PrintWriter, PrintWriter)}; tests run it
 * in-process with an injected environment and captured output:
 *
 * <pre>{@code
 * StringWriter out = new StringWriter(), err = new StringWriter();
 * int code = E2dCommand.commandLine(Map.of("E2D_DATA_DIR", "/tmp/d"), new PrintWriter(out), new PrintWriter(err))
 *         .execute("run", "--client-addr", "127.0.0.1:23790");
 * }</pre>
 *
 * <p>Not thread-safe: one instance per execution.
 */
@Command(
        name = "e2d",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Runs and looks after etcd: a supervised etcd process, or with `e2d run -n 3|5` a"
                + " self-managing cluster; takes and restores snapshots; issues its certificates.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success; `e2d run` stopped by SIGINT or SIGTERM",
            "1:runtime error: etcd failed to start or exited; a store, etcd or endpoint failed",
            "2:usage or configuration error (command, flag, E2D_* variable, URL, file)",
            "3:etcd binary not found or not runnable (run, snapshot restore)",
        })
public final class E2dCommand implements Runnable {

    /** The subcommands, in the order of the help. */
    private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private Map<String, String> env = Map.of();

    @Spec
    @SuppressWarnings("NullAway.Init")
    private CommandSpec spec;

    @Option(
            names = {"-v", "--verbose"},
            scope = ScopeType.INHERIT,
            description = "Debug logging, and stack traces with errors.")
    private boolean verbose;

    /** Creates the root command; use {@link #commandLine} to get one wired with an environment. */
    public E2dCommand() {}

    /**
     * A command line for {@code e2d} whose {@code E2D_*} defaults come from {@code env}, printing to
     * {@code out} and {@code err}, with e2d's error handling (one line per expected error, exit codes of
     * {@link ExitCodes}).
     */
    public static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err) {
        return commandLine(env, out, err, SUBCOMMANDS.keySet());
    }

    /**
     * Like {@link #commandLine(Map, PrintWriter, PrintWriter)}, but builds only the subcommand {@code
     * args} invoke when they name one (and it is not {@code help} or {@code completion}, which need the
     * whole tree). picocli reflects over every registered command up front, which took half a second
     * of each one-shot command's start on 2 cores; this keeps it to the command that runs.
     */
    public static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err, String[] args) {
        return commandLine(env, out, err, invoked(args).map(Set::of).orElse(SUBCOMMANDS.keySet()));
    }

    /** The subcommand {@code args} name: the first argument that is not an option of the root command. */
    static Optional<String> invoked(String[] args) {
        for (String arg : args) {
            if (arg.equals("-v") || arg.equals("--verbose")) {
                continue;
            }
            boolean lazy = SUBCOMMANDS.containsKey(arg) && !arg.equals("help") && !arg.equals("completion");
            return lazy ? Optional.of(arg) : Optional.empty();
        }
        return Optional.empty();
    }

    private static CommandLine commandLine(
            Map<String, String> env, PrintWriter out, PrintWriter err, Set<String> subcommands) {
        E2dCommand root = new E2dCommand();
        root.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        CommandLine cli = new CommandLine(root);
        SUBCOMMANDS.forEach((name, type) -> {
            if (subcommands.contains(name)) {
                cli.addSubcommand(name, type);
            }
        });
        cli.setOut(out);
        cli.setErr(err);
        withVersion(cli);
        EnvironmentDefaults defaults = new EnvironmentDefaults(root.env);
        CommandLine run = cli.getSubcommands().get("run");
        if (run != null) {
            run.setDefaultValueProvider(defaults);
        }
        ErrorReporter reporter = new ErrorReporter(defaults, () -> root.verbose);
        cli.setParameterExceptionHandler(reporter);
        cli.setExecutionExceptionHandler(reporter);
        cli.setExecutionStrategy(parseResult -> {
            if (root.verbose) {
                // slf4j-simple reads this when the first logger is created, which happens after parsing.
                System.setProperty("org.slf4j.simpleLogger.log.io.e2d", "debug");
            }
            if (parseResult.hasSubcommand()
                    && parseResult.subcommand().commandSpec().userObject() instanceof RunCommand) {
                GrpcLogging.LOG.setLevel(root.verbose ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING);
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cli;
    }

    /** Every command's -V/--version prints the e2d version (picocli does not inherit version providers). */
    private static void withVersion(CommandLine cli) {
        if (cli.getCommandSpec().versionProvider() == null) {
            cli.getCommandSpec().versionProvider(new VersionCommand.Provider());
        }
        cli.getSubcommands().values().forEach(E2dCommand::withVersion);
    }

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> all = new LinkedHashMap<>();
        all.put("run", RunCommand.class);
        all.put("snapshot", SnapshotCommand.class);
        all.put("status", StatusCommand.class);
        all.put("version", VersionCommand.class);
        all.put("completion", CompletionCommand.class);
        all.put("pki", PkiCommand.class);
        all.put("help", HelpCommand.class);
        return java.util.Collections.unmodifiableMap(all);
    }

    /** The environment this command reads {@code E2D_*} variables from. */
    public Map<String, String> env() {
        return env;
    }

    /** The level of gRPC's java.util.logging loggers: WARNING, or INFO with {@code --verbose}. */
    static java.util.logging.Level grpcLogLevel() {
        return java.util.Objects.requireNonNullElse(GrpcLogging.LOG.getLevel(), java.util.logging.Level.INFO);
    }

    /**
     * gRPC (inside jetcd, which only {@code run} uses) logs through java.util.logging to stderr, e.g. an
     * INFO line about epoll on the first connection; e2d's stderr is for e2d's own lines, so gRPC says only
     * warnings unless --verbose. Set for {@code run} alone: starting java.util.logging looks for a
     * {@code System.LoggerFinder} in every jar of the class path, which opened all ~110 jars of a one-shot
     * command that never uses gRPC. A holder class because java.util.logging keeps loggers weakly.
     */
    private static final class GrpcLogging {
        static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger("io.grpc");
    }

    /** Whether {@code -v/--verbose} was given. */
    public boolean isVerbose() {
        return verbose;
    }

    @Override
    public void run() {
        throw Subcommands.missing(spec);
    }
}
