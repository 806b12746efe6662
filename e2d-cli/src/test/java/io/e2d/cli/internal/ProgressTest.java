package io.e2d.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ProgressTest {
    @TempDir
    Path tmp;

    @Test
    void onATerminalItRedrawsOneLineWithBytesAndRateAndEndsIt() {
        StringWriter err = new StringWriter();
        try (Progress progress = new Progress(new PrintWriter(err), "saving", true)) {
            progress.accept(3 * 1024 * 1024);
            assertThat(err.toString())
                    .startsWith("\rsaving 3.0 MiB  ")
                    .contains("/s")
                    .doesNotContain("\n");
            progress.accept(5 * 1024 * 1024);
        }
        String shown = err.toString();
        assertThat(shown).endsWith(System.lineSeparator());
        String last = shown.substring(shown.lastIndexOf('\r'));
        assertThat(last).startsWith("\rsaving 5.0 MiB  ").contains("/s");
        assertThat(shown.chars().filter(ch -> ch == '\n').count()).isEqualTo(1); // one line, redrawn
    }

    @Test
    void offATerminalItPrintsNothing() {
        StringWriter err = new StringWriter();
        try (Progress progress = new Progress(new PrintWriter(err), "saving", false)) {
            progress.accept(1024);
            progress.accept(1 << 30);
        }
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void stderrRedirectedToAFileOrPipeIsNotATerminal() throws Exception {
        Path fd = tmp.resolve("fd2");
        Files.createSymbolicLink(fd, tmp.resolve("save.log"));
        assertThat(Progress.isTerminalDevice(fd)).isFalse();
        Path pipe = tmp.resolve("fd2-pipe");
        Files.createSymbolicLink(pipe, Path.of("pipe:[12345]"));
        assertThat(Progress.isTerminalDevice(pipe)).isFalse();
        Path pts = tmp.resolve("fd2-pts");
        Files.createSymbolicLink(pts, Path.of("/dev/pts/3"));
        assertThat(Progress.isTerminalDevice(pts)).isTrue();
        // Under surefire stderr is a pipe or a file: never a terminal.
        assertThat(Progress.isTerminal()).isFalse();
    }

    @Test
    void humanSizesUseBinaryUnits() {
        assertThat(Progress.human(512)).isEqualTo("512 B");
        assertThat(Progress.human(1536)).isEqualTo("1.5 KiB");
        assertThat(Progress.human(3L << 30)).isEqualTo("3.0 GiB");
    }
}
