package io.e2d.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a one-shot command loads in a new JVM, where every class and jar is start-up time (the issue's
 * {@code e2d snapshot save} is measured against etcdctl, JVM start included).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OneShotStartupTest {
    @TempDir
    Path tmp;

    @Test
    void aSnapshotCommandDoesNotStartJavaUtilLogging() throws IOException, InterruptedException {
        // Starting java.util.logging looks for a System.LoggerFinder in every jar of the class path (the
        // launcher's has ~110). Only `run` uses gRPC, which logs through it.
        Files.createDirectories(tmp.resolve("backups"));
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xlog:class+load=info",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "snapshot",
                        "ls",
                        "--url",
                        "file://" + tmp.resolve("backups/etcd.snapshot"))
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        // the log lists the classes used, so the absence below means something
        assertThat(output).contains("io.e2d.snapshot.SnapshotArchive source:");
        List<String> logging = output.lines()
                .filter(l -> l.contains("java.util.logging.LogManager "))
                .toList();
        assertThat(logging).as("java.util.logging started by `snapshot ls`").isEmpty();
    }
}
