package io.e2d.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Process supervision against fake etcd scripts: no real etcd needed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessEtcdServerTest {
    @TempDir
    Path tmp;

    private EtcdServer server(String script, Duration stopTimeout) throws IOException {
        Path fake = tmp.resolve("etcd");
        Files.writeString(fake, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        EtcdServerConfig config = EtcdServerConfig.builder()
                .name("fake")
                .dataDir(tmp.resolve("data"))
                .clientUrl(URI.create("http://127.0.0.1:" + TestConfigs.freePort()))
                .peerUrl(URI.create("http://127.0.0.1:" + TestConfigs.freePort()))
                .startTimeout(Duration.ofSeconds(30))
                .stopTimeout(stopTimeout)
                .build();
        return EtcdServer.create(config, EtcdBinary.of(fake, EtcdVersion.parse("3.4.23")));
    }

    @Test
    void stopSendsSigtermThenSigkillAfterTheBound() throws Exception {
        // The fake ignores SIGTERM (an ignored signal stays ignored across exec) and never gets healthy.
        EtcdServer server = server("trap '' TERM\necho 'fake etcd up'\nexec sleep 600", Duration.ofMillis(500));
        CompletableFuture<Throwable> starting = CompletableFuture.supplyAsync(() -> {
            try {
                server.start();
                return new AssertionError("start() returned");
            } catch (RuntimeException e) {
                return e;
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(server::isRunning);
        long pid = server.pid();

        long t0 = System.nanoTime();
        server.stop();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(took).isBetween(Duration.ofMillis(450), Duration.ofSeconds(10));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
        Throwable startFailure = starting.get(20, TimeUnit.SECONDS);
        assertThat(startFailure).isInstanceOf(EtcdStartException.class).hasMessageContaining("stopped while starting");
        assertThat(server.state()).isEqualTo(EtcdServer.State.STOPPED);
        assertThat(server.recentLog()).contains("fake etcd up");
    }

    @Test
    void aPlainTextCrashIsQuotedWithItsExitCode() throws Exception {
        try (EtcdServer server =
                server("echo 'panic: boom' >&2\necho 'goroutine 1 [running]:' >&2\nexit 2", Duration.ofSeconds(1))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(server::start)
                    .isInstanceOfSatisfying(EtcdStartException.class, e -> {
                        assertThat(e.reason()).isEqualTo(EtcdStartException.Reason.EXITED);
                        assertThat(e.exitCode()).hasValue(2);
                        assertThat(e.lastLogLines()).containsExactly("panic: boom", "goroutine 1 [running]:");
                    })
                    .hasMessageContaining("exited during start-up with code 2: panic: boom");
            assertThat(server.state()).isEqualTo(EtcdServer.State.FAILED);
        }
    }
}
