package io.e2d.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Flag parsing of {@code e2d snapshot save}, without an etcd. */
@Timeout(30)
class SnapshotCommandTest {
    @TempDir
    Path tmp;

    private static SnapshotCommand.Save parseSave(String... extra) {
        CommandLine cli = E2dCommand.commandLine(
                Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        String[] args = new String[extra.length + 4];
        args[0] = "snapshot";
        args[1] = "save";
        args[2] = "--url";
        args[3] = "file:///tmp/e2d-never-written/etcd.snapshot";
        System.arraycopy(extra, 0, args, 4, extra.length);
        CommandLine.ParseResult parsed = cli.parseArgs(args);
        return (SnapshotCommand.Save)
                parsed.subcommand().subcommand().commandSpec().userObject();
    }

    private CliRunner.Result saveWithTimeout(String timeout) {
        return CliRunner.run(
                Map.of(),
                "snapshot",
                "save",
                "--url",
                "file://" + tmp.resolve("etcd.snapshot"),
                "--endpoints",
                "http://127.0.0.1:1",
                "--timeout",
                timeout);
    }

    @Test
    void timeoutTakesGoDurations() {
        assertThat(parseSave().timeout).isEqualTo(Duration.ofMinutes(10));
        assertThat(parseSave("--timeout", "90s").timeout).isEqualTo(Duration.ofSeconds(90));
        assertThat(parseSave("--timeout", "5m").timeout).isEqualTo(Duration.ofMinutes(5));
        assertThat(parseSave("--timeout", "1m30s").timeout).isEqualTo(Duration.ofSeconds(90));
        assertThat(parseSave("--timeout=1h").timeout).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void plainNumberTimeoutIsAUsageErrorAskingForAUnit() {
        CliRunner.Result r = saveWithTimeout("600");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err())
                .contains("--timeout")
                .contains("600")
                .contains("has no unit")
                .contains("30s");
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void zeroOrNegativeTimeoutIsAUsageError() {
        for (String value : new String[] {"0s", "0", "-5s"}) {
            CliRunner.Result r = saveWithTimeout(value);
            assertThat(r.exitCode()).as(value).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(value).contains("--timeout").hasLineCount(1);
        }
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void helpShowsTheDurationDefault() {
        CliRunner.Result r = CliRunner.run(Map.of(), "snapshot", "save", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--timeout=<duration>").contains("Default: 10m");
    }
}
