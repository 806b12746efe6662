package io.e2d.cli.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * A one-line progress display (bytes so far, rate) redrawn on a terminal at most 4 times a second;
 * silent when not on a terminal ({@link #isTerminal()}). Call from one thread at a time.
 */
public final class Progress implements LongConsumer, AutoCloseable {
    private static final long REDRAW_NANOS = 250_000_000L;

    private final PrintWriter err;
    private final String label;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long bytes;
    private boolean drawn;

    /** A display on {@code err}, enabled when {@code enabled} (usually: a console is attached). */
    public Progress(PrintWriter err, String label, boolean enabled) {
        this.err = err;
        this.label = label;
        this.enabled = enabled;
    }

    /**
     * Whether the progress line would reach a person: the JVM has a console (stdin and stdout are a
     * terminal) and, where Linux tells ({@code /proc/self/fd/2}), stderr is a terminal too, so that
     * {@code 2>log} or a pipe stays free of progress lines.
     */
    public static boolean isTerminal() {
        return System.console() != null && isTerminalDevice(Path.of("/proc/self/fd/2"));
    }

    /** Whether {@code fd} links to a terminal device; true when that cannot be told (no /proc). */
    static boolean isTerminalDevice(Path fd) {
        String target;
        try {
            target = Files.readSymbolicLink(fd).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return true;
        }
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }

    @Override
    public void accept(long total) {
        bytes = total;
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (!drawn || now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            draw(now);
        }
    }

    private void draw(long now) {
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        err.print(String.format(Locale.ROOT, "\r%s %s  %s/s   ", label, human(bytes), human((long) (bytes / seconds))));
        err.flush();
        drawn = true;
    }

    /** Bytes in binary units, e.g. {@code 12.3 MiB}. */
    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Draws the final figures and ends the line (when enabled). */
    @Override
    public void close() {
        if (enabled) {
            draw(System.nanoTime());
            if (drawn) {
                err.println();
                err.flush();
            }
        }
    }
}
