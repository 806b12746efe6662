package io.e2d.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed {@code --peer-discovery} value: {@code method[:argument]}, e.g. {@code ec2-tags:role=etcd,env=prod}.
 * The method is lower-cased; the argument is kept as written (trimmed).
 *
 * @param method the provider's method name, lower case
 * @param argument everything after the first {@code :}, or an empty string
 */
public record DiscoverySpec(String method, String argument) {
    public DiscoverySpec {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(argument, "argument");
        method = method.strip().toLowerCase(Locale.ROOT);
        argument = argument.strip();
        if (method.isEmpty()) {
            throw new InvalidDiscoverySpecException(
                    "--peer-discovery must be method[:argument] (e.g. ec2-tags:role=etcd), got an empty method");
        }
    }

    /** Splits {@code method[:argument]} once on the first {@code :}. */
    public static DiscoverySpec parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        int colon = spec.indexOf(':');
        return colon < 0
                ? new DiscoverySpec(spec, "")
                : new DiscoverySpec(spec.substring(0, colon), spec.substring(colon + 1));
    }

    /** The argument split on commas, each item trimmed, empty items dropped. */
    public List<String> items() {
        List<String> out = new ArrayList<>();
        for (String part : argument.split(",", -1)) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return List.copyOf(out);
    }

    /**
     * The argument as {@code key=value} pairs, in order (split once on {@code =}).
     *
     * @throws InvalidDiscoverySpecException when the argument is empty or a pair lacks {@code =} or a key
     */
    public List<Map.Entry<String, String>> pairs() {
        List<String> items = items();
        if (items.isEmpty()) {
            throw new InvalidDiscoverySpecException(
                    "--peer-discovery " + method + " needs at least one key=value pair, e.g. " + method + ":role=etcd");
        }
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String item : items) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new InvalidDiscoverySpecException("--peer-discovery " + method
                        + " needs key=value pairs separated by commas, got '" + item + "' in '" + argument + "'");
            }
            out.add(Map.entry(
                    item.substring(0, eq).strip(), item.substring(eq + 1).strip()));
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return argument.isEmpty() ? method : method + ":" + argument;
    }
}
