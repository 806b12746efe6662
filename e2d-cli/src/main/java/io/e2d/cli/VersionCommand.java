package io.e2d.cli;

import io.e2d.core.E2dException;
import io.e2d.core.server.EtcdBinary;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code e2d version}: the e2d version (the jar's {@code Implementation-Version}) and the etcd binary
 * e2d would run, as text or one JSON line. Exits 0 even when no etcd is found.
 */
@Command(
        name = "version",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Print the e2d version and the version of the etcd binary found.")
public final class VersionCommand implements Callable<Integer> {

    @ParentCommand
    @SuppressWarnings("NullAway.Init")
    private E2dCommand parent;

    @Spec
    @SuppressWarnings("NullAway.Init")
    private CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Option(
            names = "--etcd-binary",
            paramLabel = "<file>",
            description = "etcd executable to report; default: $E2D_ETCD_BINARY, else etcd on the PATH.")
    private @Nullable Path etcdBinary;

    /** Created by picocli. */
    public VersionCommand() {}

    /** The e2d version: the {@code Implementation-Version} of the e2d-cli jar, or {@code unknown}. */
    public static String e2dVersion() {
        String version = VersionCommand.class.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }

    @Override
    public Integer call() {
        String e2d = e2dVersion();
        String java = Runtime.version().toString();
        Optional<EtcdBinary> etcd;
        String etcdError = "";
        try {
            etcd = Optional.of(EtcdBinary.resolve(Optional.ofNullable(etcdBinary), parent.env()));
        } catch (E2dException e) {
            etcd = Optional.empty();
            etcdError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        var out = spec.commandLine().getOut();
        if (json) {
            StringBuilder line = new StringBuilder("{\"e2d\":{\"version\":")
                    .append(quote(e2d))
                    .append("},\"etcd\":{");
            if (etcd.isPresent()) {
                line.append("\"version\":")
                        .append(quote(etcd.get().version().toString()))
                        .append(",\"path\":")
                        .append(quote(etcd.get().path().toString()));
            } else {
                line.append("\"error\":").append(quote(etcdError));
            }
            line.append("},\"java\":{\"version\":").append(quote(java)).append("}}");
            out.println(line);
        } else {
            out.println("e2d: " + e2d);
            out.println(etcd.map(b -> "etcd: " + b.version() + " (" + b.path() + ")")
                    .orElse("etcd: not found (" + etcdError + ")"));
            out.println("java: " + java);
        }
        out.flush();
        return ExitCodes.OK;
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** {@code e2d --version}: the e2d version alone (runs no process). */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"e2d " + e2dVersion()};
        }
    }
}
