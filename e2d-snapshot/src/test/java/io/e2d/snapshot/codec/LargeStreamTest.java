package io.e2d.snapshot.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** 1 GiB through zstd + encryption and back, in a JVM limited to a 64 MiB heap. */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class LargeStreamTest {
    @TempDir
    Path tmp;

    @Test
    void oneGibStreamsThroughEncodeAndDecodeInA64MibHeap() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(
                        java,
                        "-Xmx64m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-De2d.vectors.dir=" + System.getProperty("e2d.vectors.dir"),
                        LargeStreamCheck.class.getName(),
                        "1024",
                        tmp.resolve("large.snapshot").toString()))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(140, TimeUnit.SECONDS)).isTrue();
        System.out.println("1 GiB check: " + out.strip());
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).startsWith("OK " + (1024L * 1024 * 1024) + " ");
        assertThat(tmp.toFile().listFiles()).isEmpty();
    }
}
