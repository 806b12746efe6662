package io.e2d.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.e2d.testkit.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code e2d run} in-process against the real etcd binary: the failures a user meets first. */
@Timeout(120)
class RunCommandIT {

    @TempDir
    Path tmp;

    @Test
    void portInUseIsOneLineAndExitCode1() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            CliRunner.Result r = CliRunner.run(
                    env(),
                    "run",
                    "--data-dir",
                    tmp.resolve("data").toString(),
                    "--client-addr",
                    "127.0.0.1:" + port,
                    "--peer-addr",
                    "127.0.0.1:" + FreePorts.tcp());
            assertThat(r.exitCode()).isEqualTo(ExitCodes.RUNTIME_ERROR);
            assertThat(r.errLines()).hasSize(1);
            assertThat(r.err())
                    .startsWith("e2d: ")
                    .contains(String.valueOf(port))
                    .containsIgnoringCase("in use");
        }
    }

    @Test
    void unusableDataDirIsOneLineAndNonZero() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        Path dataDir = file.resolve("data");
        CliRunner.Result r = CliRunner.run(
                env(),
                "run",
                "--data-dir",
                dataDir.toString(),
                "--client-addr",
                "127.0.0.1:" + FreePorts.tcp(),
                "--peer-addr",
                "127.0.0.1:" + FreePorts.tcp());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("e2d: ").contains(dataDir.toString());
    }

    @Test
    void missingEtcdBinaryFromVariableIsExitCode3() {
        Map<String, String> env = env();
        env.put("E2D_ETCD_BINARY", tmp.resolve("no-etcd").toString());
        CliRunner.Result r =
                CliRunner.run(env, "run", "--data-dir", tmp.resolve("data").toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.ETCD_NOT_FOUND);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err())
                .startsWith("e2d: etcd binary " + tmp.resolve("no-etcd"))
                .contains("E2D_ETCD_BINARY")
                .contains("apt-get install -y etcd-server etcd-client");
        assertThat(tmp.resolve("data")).doesNotExist();
    }

    @Test
    void noEtcdOnAnEmptyPathIsExitCode3() {
        CliRunner.Result r = CliRunner.run(
                Map.of("PATH", ""), "run", "--data-dir", tmp.resolve("data").toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.ETCD_NOT_FOUND);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("e2d: etcd binary not found").contains("install etcd");
    }

    @Test
    void missingExplicitBinaryNamesTheFlag() {
        CliRunner.Result r = CliRunner.run(
                env(),
                "run",
                "--etcd-binary",
                tmp.resolve("etcd").toString(),
                "--data-dir",
                tmp.resolve("d").toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.ETCD_NOT_FOUND);
        assertThat(r.err())
                .contains("--etcd-binary")
                .contains(tmp.resolve("etcd").toString());
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return env;
    }
}
