package io.e2d.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.e2d.testkit.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code e2d run --http-addr} serves {@code /status}, which {@code e2d status} reads. */
@Timeout(120)
class StatusIT {
    @TempDir
    Path tmp;

    @Test
    void statusOfASingleNodeShowsItAsLeader() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        int httpPort = FreePorts.tcp();
        Path dataDir = tmp.resolve("data");
        CompletableFuture<CliRunner.Result> run = CompletableFuture.supplyAsync(() -> CliRunner.run(
                env,
                "run",
                "--name",
                "status-node",
                "--data-dir",
                dataDir.toString(),
                "--client-addr",
                "127.0.0.1:" + FreePorts.tcp(),
                "--peer-addr",
                "127.0.0.1:" + FreePorts.tcp(),
                "--http-addr",
                "127.0.0.1:" + httpPort));
        try {
            String endpoint = "http://127.0.0.1:" + httpPort;
            CliRunner.Result table = await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .failFast("e2d run ended: " + run, run::isDone)
                    .until(
                            () -> CliRunner.run(Map.of(), "status", "--endpoints", endpoint),
                            r -> r.exitCode() == 0
                                    && r.out().contains("status-node")
                                    && r.out().contains("*"));
            String row = table.out()
                    .lines()
                    .filter(l -> l.startsWith("status-node "))
                    .findFirst()
                    .orElseThrow();
            assertThat(row).contains("voter").contains(" * ").contains("healthy");
            assertThat(table.out()).startsWith("node status-node: RUNNING, healthy, cluster size 1");

            CliRunner.Result json = CliRunner.run(Map.of(), "status", "--endpoints", endpoint, "--json");
            assertThat(json.exitCode()).isZero();
            assertThat(json.out().strip())
                    .startsWith("{")
                    .contains("\"name\":\"status-node\"")
                    .contains("\"leader\":\"status-node\"");
        } finally {
            // stop the node: kill its etcd; the manager then ends `e2d run` with exit 1
            ProcessHandle.current()
                    .descendants()
                    .filter(p -> p.info()
                            .arguments()
                            .map(a -> String.join(" ", a).contains(dataDir.toString()))
                            .orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
            CliRunner.Result ended = run.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(ended.out()).contains("status:  http://127.0.0.1:" + httpPort + "/status");
        }
    }
}
