package io.e2d.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.e2d.core.server.EtcdBinary;
import io.e2d.pki.KeyType;
import io.e2d.pki.Pki;
import io.e2d.pki.PkiConfig;
import io.e2d.pki.PkiFiles;
import io.e2d.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: {@code ./e2d} (the launcher at the repository root, run from another directory) as a
 * separate process, with etcdctl as the client and SIGTERM / kill -9 as the user would send them.
 */
@Timeout(180)
class LauncherIT {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path tmp;

    @Test
    void runServesStopsOnSigtermAndKeepsItsDataAcrossRestarts() throws Exception {
        int client = FreePorts.tcp();
        int peer = FreePorts.tcp();
        // The client address comes from the environment, the peer address from a flag.
        Map<String, String> env = Map.of("E2D_CLIENT_ADDR", "127.0.0.1:" + client);
        List<String> args = List.of("run", "--peer-addr", "127.0.0.1:" + peer);

        Launched first = Launched.start(tmp, "first", env, args);
        first.awaitRunning();
        assertThat(first.out()).contains("clients: http://127.0.0.1:" + client, "peers:   http://127.0.0.1:" + peer);
        assertThat(etcdctl(client, "put", "greeting", "hello")).isEqualTo("OK");
        ProcessHandle etcd = first.etcdChild();

        first.process.destroy(); // SIGTERM
        assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.process.exitValue()).as(first.err()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> !etcd.isAlive());
        assertThat(first.err()).contains("SIGTERM received: stopping etcd");
        Path dataDir = tmp.resolve("data");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                .isEqualTo("rwx------");

        Launched second = Launched.start(tmp, "second", env, args);
        second.awaitRunning();
        assertThat(etcdctl(client, "get", "greeting")).isEqualTo("greeting\nhello");

        second.etcdChild().destroyForcibly(); // kill -9 behind e2d's back
        assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.process.exitValue()).isEqualTo(ExitCodes.RUNTIME_ERROR);
        List<String> errLines = second.err().lines().toList();
        assertThat(errLines.get(errLines.size() - 1)).startsWith("e2d: etcd exited unexpectedly");
    }

    @Test
    void tlsFlagsServeHttpsAndRequireClientCertificates() throws Exception {
        PkiFiles pki = Pki.generate(
                tmp.resolve("pki"),
                List.of(),
                PkiConfig.builder().keyType(KeyType.ECDSA_P256).build());
        int client = FreePorts.tcp();
        Map<String, String> env = Map.of("E2D_CA_CERT", pki.caCert().toString());
        Launched run = Launched.start(
                tmp,
                "tls",
                env,
                List.of(
                        "run",
                        "--client-addr",
                        "127.0.0.1:" + client,
                        "--peer-addr",
                        "127.0.0.1:" + FreePorts.tcp(),
                        "--server-cert",
                        pki.serverCert().toString(),
                        "--server-key",
                        pki.serverKey().toString(),
                        "--peer-cert",
                        pki.peerCert().toString(),
                        "--peer-key",
                        pki.peerKey().toString()));
        run.awaitRunning();
        assertThat(run.out()).contains("clients: https://127.0.0.1:" + client);
        List<String> tls = List.of(
                "--cacert=" + pki.caCert(),
                "--cert=" + pki.leaves().clientCert(),
                "--key=" + pki.leaves().clientKey());
        assertThat(etcdctl("https", client, tls, "put", "secure", "yes")).isEqualTo("OK");
        assertThat(etcdctl("https", client, tls, "get", "secure")).isEqualTo("secure\nyes");
        // Without a client certificate the CA-enforcing listener refuses the request.
        Result anonymous = etcdctlResult("https", client, List.of("--cacert=" + pki.caCert()), "get", "secure");
        assertThat(anonymous.exitCode()).as(anonymous.output()).isNotZero();

        run.process.destroy();
        assertThat(run.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(run.process.exitValue()).as(run.err()).isZero();
    }

    @Test
    void missingEtcdBinaryIsOneLineAndExitCode3() throws Exception {
        Path missing = tmp.resolve("bin/etcd");
        Launched run = Launched.start(tmp, "missing", Map.of("E2D_ETCD_BINARY", missing.toString()), List.of("run"));
        assertThat(run.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.process.exitValue()).isEqualTo(ExitCodes.ETCD_NOT_FOUND);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).startsWith("e2d: etcd binary " + missing + " (from E2D_ETCD_BINARY) does not exist");
        assertThat(tmp.resolve("data")).doesNotExist();
    }

    @Test
    void versionAndCompletionRunThroughTheLauncher() throws Exception {
        Launched version = Launched.start(tmp, "version", Map.of(), List.of("version", "--json"));
        assertThat(version.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(version.process.exitValue()).isZero();
        // The jar's manifest carries the version.
        assertThat(version.out())
                .matches(
                        "(?s)\\{\"e2d\":\\{\"version\":\"\\d+\\.\\d+\\.\\d+[^\"]*\"\\},\"etcd\":\\{\"version\":\"3\\..*");
    }

    @Test
    void oneShotCommandsWriteAClassDataArchiveOnceThenStartFromIt() throws Exception {
        Path archive = ROOT.resolve("e2d-cli/target/cds/version.jsa");
        Files.deleteIfExists(archive);

        Launched first = Launched.start(tmp, "cds-first", Map.of(), List.of("version", "--json"));
        assertThat(first.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(first.process.exitValue()).isZero();
        assertThat(archive).isNotEmptyFile();
        assertThat(Files.readString(first.errFile)).isEmpty(); // the JVM's archive warnings stay off

        Path classes = tmp.resolve("classes.log");
        Launched second = Launched.start(
                tmp,
                "cds-second",
                Map.of("E2D_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes),
                List.of("version", "--json"));
        assertThat(second.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.process.exitValue()).isZero();
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(Files.readString(second.errFile)).isEmpty();
        // e2d's own classes came from the archive, not from the jars, and so did picocli's (class file
        // version 49, which only a static archive holds)
        assertThat(Files.readString(classes))
                .contains("io.e2d.cli.Main source: shared objects file")
                .contains("picocli.CommandLine source: shared objects file");
        assertThat(archive.resolveSibling("version.jsa." + first.process.pid() + ".classes"))
                .doesNotExist();
    }

    private static String etcdctl(int clientPort, String... command) throws IOException, InterruptedException {
        return etcdctl("http", clientPort, List.of(), command);
    }

    private static String etcdctl(String scheme, int clientPort, List<String> flags, String... command)
            throws IOException, InterruptedException {
        Result r = etcdctlResult(scheme, clientPort, flags, command);
        assertThat(r.exitCode()).as(r.output()).isZero();
        return r.output();
    }

    private record Result(int exitCode, String output) {}

    private static Result etcdctlResult(String scheme, int clientPort, List<String> flags, String... command)
            throws IOException, InterruptedException {
        Path etcdctl = EtcdBinary.resolve().etcdctl().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(
                etcdctl.toString(), "--endpoints=" + scheme + "://127.0.0.1:" + clientPort, "--dial-timeout=5s"));
        cmd.addAll(flags);
        cmd.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    /** One {@code ./e2d} process, started in {@code dir}, with stdout and stderr in files. */
    private record Launched(Process process, Path outFile, Path errFile) {

        static Launched start(Path dir, String label, Map<String, String> env, List<String> args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(ROOT.resolve("e2d").toString());
            cmd.addAll(args);
            Path out = dir.resolve(label + ".out");
            Path err = dir.resolve(label + ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            // The build under test is the one Maven just packaged: the launcher must not rebuild it.
            pb.environment().put("E2D_NO_BUILD", "1");
            pb.environment().keySet().removeIf(k -> k.startsWith("E2D_") && !k.equals("E2D_NO_BUILD"));
            pb.environment().putAll(env);
            return new Launched(pb.start(), out, err);
        }

        void awaitRunning() {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .failFast("e2d exited: " + this, () -> !process.isAlive())
                    .until(() -> out().contains("is running"));
        }

        ProcessHandle etcdChild() {
            return process.descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("etcd")).orElse(false))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no etcd child process of " + process.pid()));
        }

        String out() {
            return read(outFile);
        }

        String err() {
            return read(errFile);
        }

        private static String read(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return "stdout:\n" + out() + "\nstderr:\n" + err();
        }
    }
}
