package io.e2d.core.server;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version of an etcd binary, as printed by {@code etcd --version}. e2d drives 3.4, 3.5 and 3.6,
 * whose flags differ; later 3.x releases are driven like 3.6.
 */
public record EtcdVersion(int major, int minor, int patch) implements Comparable<EtcdVersion> {
    /** The oldest release e2d can drive. */
    public static final EtcdVersion V3_4 = new EtcdVersion(3, 4, 0);
    /** First release with {@code etcdutl}, zap as the default logger and {@code --experimental-max-learners}. */
    public static final EtcdVersion V3_5 = new EtcdVersion(3, 5, 0);
    /** First release with feature gates, renamed experimental flags and no v2 API. */
    public static final EtcdVersion V3_6 = new EtcdVersion(3, 6, 0);

    private static final Pattern VERSION_LINE = Pattern.compile("etcd Version:\\s*(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Pattern PLAIN = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    public EtcdVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException(
                    "version numbers must be >= 0, got " + major + "." + minor + "." + patch);
        }
    }

    /** Parses {@code "3.4.23"} or {@code "v3.5"}. */
    public static EtcdVersion parse(String text) {
        Matcher m = PLAIN.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected an etcd version such as 3.5.17, got '" + text + "'");
        }
        return new EtcdVersion(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    /** Finds the version in the output of {@code etcd --version} (line {@code etcd Version: 3.4.23}). */
    public static Optional<EtcdVersion> fromVersionOutput(String output) {
        Matcher m = VERSION_LINE.matcher(output);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new EtcdVersion(
                Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
    }

    /** Whether this version is {@code other} or newer. */
    public boolean isAtLeast(EtcdVersion other) {
        return compareTo(other) >= 0;
    }

    /** Whether e2d knows how to drive this version (3.4 or a later 3.x). */
    public boolean isSupported() {
        return major == 3 && minor >= 4;
    }

    @Override
    public int compareTo(EtcdVersion o) {
        if (major != o.major) {
            return Integer.compare(major, o.major);
        }
        if (minor != o.minor) {
            return Integer.compare(minor, o.minor);
        }
        return Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
