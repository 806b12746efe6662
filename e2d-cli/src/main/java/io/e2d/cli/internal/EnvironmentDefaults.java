package io.e2d.cli.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Default values from {@code E2D_*} environment variables: option {@code --data-dir} reads {@code
 * E2D_DATA_DIR}. A value given on the command line wins over the variable, the variable wins over the
 * option's own default. Options of parent commands (such as {@code --verbose}) and help options have no
 * variable. The environment is a map so that tests can inject one.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {

    /** Prefix of every variable. */
    public static final String PREFIX = "E2D_";

    private final Map<String, String> env;

    /** Reads variables from {@code env} (usually {@link System#getenv()}). */
    public EnvironmentDefaults(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    /** The variable that feeds {@code option}, or empty when it has none. */
    public static Optional<String> variableFor(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)
                || option.inherited()
                || option.usageHelp()
                || option.versionHelp()
                || !option.longestName().startsWith("--")) {
            return Optional.empty();
        }
        String name = option.longestName().substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
        return Optional.of(PREFIX + name);
    }

    /** The value of the variable that feeds {@code arg}, when that variable is set. */
    public Optional<EnvValue> valueFor(ArgSpec arg) {
        return variableFor(arg)
                .flatMap(name -> Optional.ofNullable(env.get(name)).map(v -> new EnvValue(name, v)));
    }

    @Override
    public @Nullable String defaultValue(ArgSpec arg) {
        return valueFor(arg).map(EnvValue::value).orElse(null);
    }

    /** A variable and its value. */
    public record EnvValue(String name, String value) {
        /** Validates the parts. */
        public EnvValue {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }
}
