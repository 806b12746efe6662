package io.e2d.core.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads etcd's zap JSON log lines without a JSON library: level, message and error fields. */
public final class EtcdLogLines {
    private static final Pattern LEVEL = Pattern.compile("\"level\"\\s*:\\s*\"([a-zA-Z]+)\"");
    private static final Pattern MSG = Pattern.compile("\"msg\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern ERROR = Pattern.compile("\"error\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private EtcdLogLines() {}

    /** The zap level of a line ({@code info}, {@code warn}, {@code error}, {@code fatal}...), or "info". */
    public static String level(String line) {
        Matcher m = LEVEL.matcher(line);
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "info";
    }

    /** "msg: error" of a line, or the raw line when it is not zap JSON. */
    public static String summary(String line) {
        Matcher msg = MSG.matcher(line);
        if (!msg.find()) {
            return line.strip();
        }
        Matcher err = ERROR.matcher(line);
        return err.find() ? unescape(msg.group(1)) + ": " + unescape(err.group(1)) : unescape(msg.group(1));
    }

    /**
     * The most relevant failure line: the last fatal/panic JSON line, else the first plain-text line
     * (Go flag errors and runtime panics are not JSON), else the last error, else the last warning,
     * else the last line.
     */
    public static Optional<String> mostRelevant(List<String> lines) {
        Optional<String> found = last(lines, "fatal", "panic", "dpanic");
        if (found.isEmpty()) {
            found = lines.stream()
                    .filter(l -> !l.isBlank() && !l.stripLeading().startsWith("{"))
                    .findFirst()
                    .map(String::strip);
        }
        if (found.isEmpty()) {
            found = last(lines, "error");
        }
        if (found.isEmpty()) {
            found = last(lines, "warn");
        }
        if (found.isEmpty()) {
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return Optional.of(summary(lines.get(i)));
                }
            }
        }
        return found;
    }

    private static Optional<String> last(List<String> lines, String... levels) {
        List<String> wanted = List.of(levels);
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (line.stripLeading().startsWith("{") && wanted.contains(level(line))) {
                return Optional.of(summary(line));
            }
        }
        return Optional.empty();
    }

    private static String unescape(String s) {
        return s.replace("\\\"", "\"").replace("\\n", " ").replace("\\t", " ").replace("\\\\", "\\");
    }
}
