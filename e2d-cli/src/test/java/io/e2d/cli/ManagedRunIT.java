package io.e2d.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.e2d.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code e2d run --snapshot-backup-url} goes through the cluster manager. */
@Timeout(120)
class ManagedRunIT {
    @TempDir
    Path tmp;

    @Test
    void storeWithOnlyUnreadableSnapshots_isRefusedInOneLine() throws Exception {
        Path backups = Files.createDirectories(tmp.resolve("backups"));
        Files.writeString(backups.resolve("etcd.snapshot"), "garbage, not a snapshot");
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        CliRunner.Result r = CliRunner.run(
                env,
                "run",
                "--data-dir",
                tmp.resolve("data").toString(),
                "--client-addr",
                "127.0.0.1:" + FreePorts.tcp(),
                "--peer-addr",
                "127.0.0.1:" + FreePorts.tcp(),
                "--snapshot-backup-url",
                "file://" + backups.resolve("etcd.snapshot"));
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("e2d: ").contains("refusing to start an empty cluster");
        assertThat(tmp.resolve("data/member")).doesNotExist();
    }
}
