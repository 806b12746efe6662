package io.e2d.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.cli.internal.HostPort;
import io.e2d.cli.internal.RunSettings;
import io.e2d.cli.internal.SnapshotCompression;
import io.e2d.pki.KeyType;
import io.e2d.pki.Pki;
import io.e2d.pki.PkiConfig;
import io.e2d.pki.PkiFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line without etcd: parsing, environment variables, validation, messages, exit codes. */
@Timeout(30)
class E2dCommandTest {

    @TempDir
    Path tmp;

    @Test
    void defaultsAreLoopbackAndGoE2dValues() {
        RunSettings s = CliRunner.settings(Map.of());
        assertThat(s.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(s.client().listenUrl()).isEqualTo("http://127.0.0.1:2379");
        assertThat(s.client().advertisedUrl()).isEqualTo("http://127.0.0.1:2379");
        assertThat(s.peer().listenUrl()).isEqualTo("http://127.0.0.1:2380");
        assertThat(s.gossip()).isEqualTo(new HostPort("127.0.0.1", 7980));
        assertThat(s.clusterSize()).isEqualTo(1);
        assertThat(s.healthCheckInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.healthCheckTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.snapshotInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.snapshotCompression()).isEqualTo(SnapshotCompression.NONE);
        assertThat(s.snapshotEncryption()).isFalse();
        assertThat(s.etcdBinary()).isEmpty();
        assertThat(s.name()).isEmpty();
    }

    @Test
    void flagBeatsEnvironmentBeatsDefault() {
        Map<String, String> env = Map.of(
                "E2D_DATA_DIR", tmp.resolve("from-env").toString(),
                "E2D_CLIENT_ADDR", "127.0.0.1:12379",
                "E2D_SNAPSHOT_INTERVAL", "1h30m",
                "E2D_NAME", "env-name");
        RunSettings fromEnv = CliRunner.settings(env);
        assertThat(fromEnv.dataDir()).isEqualTo(tmp.resolve("from-env"));
        assertThat(fromEnv.client().listenUrl()).isEqualTo("http://127.0.0.1:12379");
        assertThat(fromEnv.snapshotInterval()).isEqualTo(Duration.ofMinutes(90));
        assertThat(fromEnv.name()).isEqualTo("env-name");
        assertThat(fromEnv.peer().listenUrl()).isEqualTo("http://127.0.0.1:2380");

        RunSettings fromFlags = CliRunner.settings(
                env,
                "--data-dir",
                tmp.resolve("from-flag").toString(),
                "--client-addr",
                "127.0.0.1:22379",
                "--snapshot-interval",
                "30s",
                "--name",
                "flag-name");
        assertThat(fromFlags.dataDir()).isEqualTo(tmp.resolve("from-flag"));
        assertThat(fromFlags.client().listenUrl()).isEqualTo("http://127.0.0.1:22379");
        assertThat(fromFlags.snapshotInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(fromFlags.name()).isEqualTo("flag-name");
    }

    @Test
    void everyRunFlagHasItsVariable() {
        Map<String, String> env = Map.ofEntries(
                Map.entry("E2D_HOST", "10.1.2.3"),
                Map.entry("E2D_CLIENT_ADDR", "0.0.0.0:2479"),
                Map.entry("E2D_PEER_ADDR", "0.0.0.0"),
                Map.entry("E2D_GOSSIP_ADDR", ":7981"),
                Map.entry("E2D_BOOTSTRAP_ADDRS", "10.0.2.15,10.0.2.17:7999"),
                Map.entry("E2D_REQUIRED_CLUSTER_SIZE", "3"),
                Map.entry("E2D_HEALTH_CHECK_INTERVAL", "10s"),
                Map.entry("E2D_HEALTH_CHECK_TIMEOUT", "2m"),
                Map.entry("E2D_PEER_DISCOVERY", "ec2-tags:app=etcd,env=prod"),
                Map.entry("E2D_SNAPSHOT_BACKUP_URL", "file:///var/backups/etcd"),
                Map.entry("E2D_SNAPSHOT_COMPRESSION", "true"),
                Map.entry("E2D_SNAPSHOT_ENCRYPTION", "false"));
        RunSettings s = CliRunner.settings(env);
        assertThat(s.client().listenUrl()).isEqualTo("http://0.0.0.0:2479");
        assertThat(s.client().advertisedUrl()).isEqualTo("http://10.1.2.3:2479");
        assertThat(s.peer().listenUrl()).isEqualTo("http://0.0.0.0:2380");
        assertThat(s.peer().advertisedUrl()).isEqualTo("http://10.1.2.3:2380");
        assertThat(s.gossip()).isEqualTo(new HostPort("127.0.0.1", 7981));
        assertThat(s.bootstrapAddrs())
                .containsExactly(new HostPort("10.0.2.15", 7980), new HostPort("10.0.2.17", 7999));
        assertThat(s.clusterSize()).isEqualTo(3);
        assertThat(s.healthCheckInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.healthCheckTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.peerDiscovery()).isEqualTo("ec2-tags:app=etcd,env=prod");
        assertThat(s.snapshotBackupUrl()).isEqualTo("file:///var/backups/etcd");
        assertThat(s.snapshotCompression()).isEqualTo(SnapshotCompression.GZIP);
    }

    @Test
    void snapshotCompressionBareFlagMeansGzip() {
        assertThat(CliRunner.settings(Map.of(), "--snapshot-compression").snapshotCompression())
                .isEqualTo(SnapshotCompression.GZIP);
        assertThat(CliRunner.settings(Map.of(), "--snapshot-compression=zstd").snapshotCompression())
                .isEqualTo(SnapshotCompression.ZSTD);
        assertThat(CliRunner.settings(Map.of("E2D_SNAPSHOT_COMPRESSION", "zstd"))
                        .snapshotCompression())
                .isEqualTo(SnapshotCompression.ZSTD);
        assertThat(CliRunner.settings(Map.of("E2D_SNAPSHOT_COMPRESSION", "false"))
                        .snapshotCompression())
                .isEqualTo(SnapshotCompression.NONE);
    }

    @Test
    void clusterSizeZeroMeansOne() {
        assertThat(CliRunner.settings(Map.of(), "-n", "0").clusterSize()).isEqualTo(1);
        assertThat(CliRunner.settings(Map.of(), "--required-cluster-size", "5").clusterSize())
                .isEqualTo(5);
    }

    @Test
    void badEnvironmentValueIsAnErrorNamingTheVariable() {
        CliRunner.Result r = CliRunner.run(Map.of("E2D_SNAPSHOT_INTERVAL", "soon"), "run");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err())
                .startsWith(
                        "e2d: environment variable E2D_SNAPSHOT_INTERVAL=\"soon\" is not a valid --snapshot-interval")
                .contains("invalid duration \"soon\"");

        CliRunner.Result size = CliRunner.run(Map.of("E2D_REQUIRED_CLUSTER_SIZE", "three"), "run");
        assertThat(size.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(size.err()).contains("E2D_REQUIRED_CLUSTER_SIZE=\"three\"");

        CliRunner.Result bool = CliRunner.run(Map.of("E2D_SNAPSHOT_ENCRYPTION", "yes"), "run");
        assertThat(bool.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bool.err()).contains("E2D_SNAPSHOT_ENCRYPTION=\"yes\"").contains("expected true or false");

        CliRunner.Result addr = CliRunner.run(Map.of("E2D_CLIENT_ADDR", "localhost:notaport"), "run");
        assertThat(addr.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(addr.err())
                .contains("E2D_CLIENT_ADDR=\"localhost:notaport\"")
                .contains("not a number");
    }

    @Test
    void badFlagValueIsOneLineWithExitCode2() {
        CliRunner.Result r = CliRunner.run(Map.of(), "run", "--health-check-timeout", "5");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err())
                .startsWith("e2d: ")
                .contains("the number 5 has no unit")
                .contains("e2d run --help");

        CliRunner.Result unknown = CliRunner.run(Map.of(), "run", "--client-cert", "x");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.errLines()).hasSize(1);
        assertThat(unknown.err()).contains("unknown option '--client-cert' for 'e2d run'");
    }

    @Test
    void validationMessagesSayWhatToChange() {
        assertUsageError(new String[] {"run", "-n", "4"}, "-n/--required-cluster-size must be 1, 3 or 5, got 4");
        assertUsageError(new String[] {"run", "-n", "3"}, "-n 3 needs gossip seeds: set --bootstrap-addrs");
        assertUsageError(
                new String[] {"run", "--snapshot-interval", "0"}, "--snapshot-interval must be greater than 0");
        assertUsageError(new String[] {"run", "--server-cert", "a.crt"}, "--server-cert needs --server-key");
        assertUsageError(
                new String[] {
                    "run", "--ca-cert", tmp.resolve("none.crt").toString(), "--peer-cert", "x", "--peer-key", "y"
                },
                "does not exist");
        assertUsageError(new String[] {"run", "--snapshot-encryption"}, "--snapshot-encryption needs --ca-key");
        assertUsageError(new String[] {"run", "--peer-discovery", "k8s-labels:app=etcd"}, "not implemented");
        assertUsageError(new String[] {"run", "--peer-discovery", "consul"}, "method \"consul\" is unknown");
        assertUsageError(new String[] {"run", "--name", "a,b"}, "--name must be");
        assertUsageError(new String[] {"run", "--client-addr", ":2380"}, "must differ");
        assertUsageError(new String[] {"run", "--host", "0.0.0.0"}, "--host must be an address");
    }

    @Test
    void missingTlsFileNamesTheFlagAndPath() throws IOException {
        Path cert = Files.writeString(tmp.resolve("server.crt"), "x");
        Path missing = tmp.resolve("server.key");
        CliRunner.Result r =
                CliRunner.run(Map.of(), "run", "--server-cert", cert.toString(), "--server-key", missing.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines())
                .containsExactly("e2d: --server-key " + missing + " does not exist: give the path of a PEM file");
    }

    @Test
    void tlsFilesMakeHttpsListeners() {
        PkiFiles pki = Pki.generate(
                tmp, List.of(), PkiConfig.builder().keyType(KeyType.ECDSA_P256).build());
        Path ca = pki.caCert();
        Path cert = pki.serverCert();
        Path key = pki.serverKey();
        RunSettings s = CliRunner.settings(
                Map.of("E2D_CA_CERT", ca.toString()), "--server-cert", cert.toString(), "--server-key", key.toString());
        assertThat(s.client().listenUrl()).isEqualTo("https://127.0.0.1:2379");
        assertThat(s.peer().listenUrl()).isEqualTo("http://127.0.0.1:2380");
        assertThat(s.tls().caCert()).contains(ca);
        assertThat(s.tls().serverKey()).contains(key);
    }

    @Test
    void noSubcommandIsAUsageError() {
        CliRunner.Result r = CliRunner.run(Map.of());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("a subcommand is required").contains("run", "pki", "snapshot", "version");
        CliRunner.Result pki = CliRunner.run(Map.of(), "pki");
        assertThat(pki.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(pki.err()).contains("a subcommand is required: init, gencerts, show");
    }

    @Test
    void verboseAddsTheStackTrace() {
        CliRunner.Result quiet = CliRunner.run(Map.of(), "run", "-n", "4");
        CliRunner.Result verbose = CliRunner.run(Map.of(), "run", "-n", "4", "--verbose");
        CliRunner.Result verboseFirst = CliRunner.run(Map.of(), "-v", "run", "-n", "4");
        assertThat(quiet.errLines()).hasSize(1);
        assertThat(verbose.err()).contains("InvalidConfigurationException").contains("\tat ");
        assertThat(verboseFirst.err()).contains("\tat ");
    }

    @Test
    void completionIsABashScriptForEveryCommand() {
        CliRunner.Result r = CliRunner.run(Map.of(), "completion");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("complete -F").contains("_picocli_e2d_run").contains("--snapshot-interval");
    }

    @Test
    void versionReportsEtcdOrWhyNot() {
        CliRunner.Result missing =
                CliRunner.run(Map.of("E2D_ETCD_BINARY", tmp.resolve("etcd").toString()), "version");
        assertThat(missing.exitCode()).isZero();
        assertThat(missing.out())
                .startsWith("e2d: ")
                .contains("etcd: not found (")
                .contains(tmp.resolve("etcd").toString());

        CliRunner.Result json = CliRunner.run(Map.of("PATH", ""), "version", "--json");
        assertThat(json.exitCode()).isZero();
        assertThat(json.out().strip())
                .startsWith("{\"e2d\":{\"version\":")
                .contains("\"etcd\":{\"error\":\"etcd binary not found");
    }

    @Test
    void helpListsEveryFlagWithoutSecrets() {
        CliRunner.Result r = CliRunner.run(Map.of("E2D_DO_ACCESS_TOKEN", "s3cr3t-token"), "run", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--snapshot-compression", "--etcd-binary", "E2D_DATA_DIR", "Default: 1m");
        assertThat(r.out()).doesNotContain("s3cr3t-token");
    }

    @Test
    void variableNamesFollowLongFlagNames() {
        CommandLine run = E2dCommand.commandLine(
                        Map.of(),
                        new java.io.PrintWriter(new java.io.StringWriter()),
                        new java.io.PrintWriter(new java.io.StringWriter()))
                .getSubcommands()
                .get("run");
        List<String> vars = run.getCommandSpec().options().stream()
                .map(io.e2d.cli.internal.EnvironmentDefaults::variableFor)
                .flatMap(java.util.Optional::stream)
                .toList();
        assertThat(vars)
                .contains("E2D_REQUIRED_CLUSTER_SIZE", "E2D_DATA_DIR", "E2D_ETCD_BINARY", "E2D_DO_SPACES_SECRET")
                .doesNotContain("E2D_VERBOSE", "E2D_HELP");
    }

    private static void assertUsageError(String[] args, String expected) {
        CliRunner.Result r = CliRunner.run(Map.of(), args);
        assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).as(String.join(" ", args)).hasSize(1);
        assertThat(r.err()).as(String.join(" ", args)).startsWith("e2d: ").contains(expected);
    }

    @Test
    void settingsRefuseUnknownAddressForms() {
        assertThatThrownBy(() -> CliRunner.settings(Map.of(), "--client-addr", "::1:2379"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("write IPv6 addresses in brackets");
    }
}
