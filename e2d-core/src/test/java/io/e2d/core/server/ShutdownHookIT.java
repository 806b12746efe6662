package io.e2d.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The etcd child never outlives its JVM: a SIGTERM to the JVM runs the hook that stops etcd. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShutdownHookIT {
    @TempDir
    Path tmp;

    /** Started in a child JVM: runs etcd, writes its pid, then waits to be terminated. */
    public static void main(String[] args) throws Exception {
        EtcdServer server =
                EtcdServer.create(TestConfigs.single("orphan", Path.of(args[0])).build());
        server.start();
        Path pidFile = Path.of(args[1]);
        Files.writeString(pidFile.resolveSibling("pid.tmp"), Long.toString(server.pid()));
        Files.move(pidFile.resolveSibling("pid.tmp"), pidFile);
        new java.util.concurrent.CountDownLatch(1).await(); // blocks until the test sends SIGTERM
    }

    @Test
    void sigtermToTheJvmStopsEtcd() throws Exception {
        Path pidFile = tmp.resolve("etcd.pid");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process jvm = new ProcessBuilder(List.of(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        ShutdownHookIT.class.getName(),
                        tmp.resolve("data").toString(),
                        pidFile.toString()))
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("jvm.log").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(pidFile) || !jvm.isAlive());
            assertThat(pidFile)
                    .as(() -> "child JVM output: " + read(tmp.resolve("jvm.log")))
                    .exists();
            long etcdPid = Long.parseLong(Files.readString(pidFile).strip());
            assertThat(ProcessHandle.of(etcdPid))
                    .hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());

            jvm.destroy(); // SIGTERM to the JVM, as systemd or Ctrl-C would
            assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();

            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            ProcessHandle.of(etcdPid).map(h -> !h.isAlive()).orElse(true));
        } finally {
            jvm.destroyForcibly();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
