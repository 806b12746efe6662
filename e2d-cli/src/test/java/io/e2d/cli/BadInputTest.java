package io.e2d.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.e2d.pki.KeyType;
import io.e2d.pki.Pki;
import io.e2d.pki.PkiConfig;
import io.e2d.pki.PkiFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to every command, without etcd: each is one line on stderr starting with {@code e2d: } that says
 * what to fix, a non-zero exit code, no stack trace, and nothing written.
 */
@Timeout(30)
class BadInputTest {

    @TempDir
    Path tmp;

    private static final PkiConfig FAST =
            PkiConfig.builder().keyType(KeyType.ECDSA_P256).build();

    private static CliRunner.Result usageError(Map<String, String> env, String... args) {
        CliRunner.Result r = CliRunner.run(env, args);
        String command = String.join(" ", args);
        assertThat(r.exitCode()).as(command).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).as(command).hasSize(1);
        assertThat(r.err())
                .as(command)
                .startsWith("e2d: ")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        return r;
    }

    private static CliRunner.Result usageError(String... args) {
        return usageError(Map.of(), args);
    }

    @Test
    void unknownCommandNamesTheCommandsThatExist() {
        assertThat(usageError("bogus").err())
                .contains("unknown command 'bogus' for 'e2d'; expected one of run, snapshot, status, version");
        assertThat(usageError("pki", "bogus").err())
                .contains("unknown command 'bogus' for 'e2d pki'; expected one of init, gencerts, show");
        assertThat(usageError("snapshot", "sav").err())
                .contains("unknown command 'sav' for 'e2d snapshot'")
                .contains("did you mean save?");
    }

    @Test
    void picocliMessagesReadLikeE2ds() {
        assertThat(usageError("help", "bogus").err())
                .startsWith("e2d: unknown command 'bogus' for 'e2d'; expected one of run, snapshot, status");
        assertThat(usageError("snapshot", "ls").err())
                .isEqualTo("e2d: missing required option: '--url=<url>' (see 'e2d snapshot ls --help')\n");
        assertThat(usageError("run", "--snapshot-interval", "5").err())
                .startsWith("e2d: invalid value for option '--snapshot-interval': invalid duration \"5\"");
    }

    @Test
    void aStatusEndpointWithoutSchemeSaysSo() {
        assertThat(usageError("status", "--endpoints", "127.0.0.1:8080").err())
                .isEqualTo("e2d: --endpoints \"127.0.0.1:8080\" must start with http:// or https://; give the URL of"
                        + " a node's --http-addr, e.g. http://127.0.0.1:8080\n");
    }

    @Test
    void unknownOptionSuggestsTheCloseOne() {
        assertThat(usageError("run", "--data-dri", "x").err())
                .isEqualTo("e2d: unknown option '--data-dri' for 'e2d run'; did you mean --data-dir? (see 'e2d run"
                        + " --help')\n");
    }

    @Test
    void aValueAfterABooleanFlagIsExplained() {
        assertThat(usageError("run", "--snapshot-encryption", "maybe").err())
                .contains("unexpected argument 'maybe': 'e2d run' takes only options")
                .contains("--flag=value");
    }

    @Test
    void pkiHasAHelpCommandAndEveryCommandAVersion() {
        CliRunner.Result help = CliRunner.run(Map.of(), "pki", "help", "init");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("Usage: e2d pki init");
        for (String[] args : List.of(
                new String[] {"pki", "init", "-V"},
                new String[] {"snapshot", "save", "--version"},
                new String[] {"pki", "-V"})) {
            CliRunner.Result version = CliRunner.run(Map.of(), args);
            assertThat(version.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(version.out()).as(String.join(" ", args)).startsWith("e2d ");
        }
    }

    @Test
    void badSnapshotBackupUrlIsAUsageErrorBeforeAnythingStarts() {
        for (String url : List.of("s3://", "ftp://host/etcd.snapshot", "not-a-url", "file://")) {
            assertThat(usageError(
                                    "run",
                                    "--snapshot-backup-url",
                                    url,
                                    "--data-dir",
                                    tmp.resolve("data").toString())
                            .err())
                    .as(url)
                    .startsWith("e2d: --snapshot-backup-url: ")
                    .contains(url)
                    .containsAnyOf("file:///", "e.g. s3://");
        }
        assertThat(usageError(Map.of("E2D_SNAPSHOT_BACKUP_URL", "s3://"), "run").err())
                .startsWith("e2d: environment variable E2D_SNAPSHOT_BACKUP_URL (--snapshot-backup-url): ");
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void aSpacesUrlWithoutItsKeysIsAUsageErrorAtStart() {
        String url = "https://nyc3.digitaloceanspaces.com/my-space/etcd.snapshot";
        assertThat(usageError("run", "--snapshot-backup-url", url).err())
                .isEqualTo("e2d: --snapshot-backup-url " + url + " is DigitalOcean Spaces: it needs --do-spaces-key"
                        + " and --do-spaces-secret (or E2D_DO_SPACES_KEY and E2D_DO_SPACES_SECRET)\n");
    }

    @Test
    void aSnapshotStoreThatCannotBeOpenedStopsTheNodeInOneLine() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        String url = "file://" + file + "/etcd.snapshot";
        CliRunner.Result r = CliRunner.run(
                Map.of(),
                "run",
                "--snapshot-backup-url",
                url,
                "--data-dir",
                tmp.resolve("data").toString(),
                "--etcd-binary",
                tmp.resolve("no-etcd").toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.RUNTIME_ERROR);
        assertThat(r.errLines())
                .containsExactly("e2d: --snapshot-backup-url " + url + ": cannot create the snapshot directory " + file
                        + ": " + file + " is a file, not a directory; fix the file:// URL");
    }

    @Test
    void validationOfAVariableNamesTheVariable() {
        assertThat(usageError(Map.of("E2D_SNAPSHOT_RETENTION", "-3"), "run").err())
                .isEqualTo("e2d: environment variable E2D_SNAPSHOT_RETENTION (--snapshot-retention) must be at"
                        + " least 1 (snapshots kept), got -3\n");
        assertThat(usageError(Map.of("E2D_SNAPSHOT_RETENTION", "-3"), "run", "--snapshot-retention", "0")
                        .err())
                .startsWith("e2d: --snapshot-retention must be at least 1");
        assertThat(usageError(Map.of("E2D_REQUIRED_CLUSTER_SIZE", "4"), "run").err())
                .contains("E2D_REQUIRED_CLUSTER_SIZE (-n/--required-cluster-size) must be 1, 3 or 5, got 4");
    }

    @Test
    void aPeerDiscoveryArgumentIsCheckedAtStartEvenForOneNode() {
        assertThat(usageError("run", "--peer-discovery", "ec2-tags").err())
                .isEqualTo(
                        "e2d: --peer-discovery ec2-tags needs at least one key=value pair, e.g. ec2-tags:role=etcd\n");
        assertThat(usageError("run", "--peer-discovery", "dns:").err()).contains("dns needs one name");
        assertThat(usageError(Map.of("E2D_PEER_DISCOVERY", "do-tags"), "run").err())
                .startsWith("e2d: environment variable E2D_PEER_DISCOVERY (--peer-discovery): ")
                .contains("do-tags needs at least one tag");
    }

    @Test
    void pkiValidityUnderAMinuteIsAGoDurationInTheMessage() {
        assertThat(usageError(
                                "pki",
                                "init",
                                "--ca-cert",
                                tmp.resolve("ca.crt").toString(),
                                "--ca-key",
                                tmp.resolve("ca.key").toString(),
                                "--validity",
                                "30s")
                        .err())
                .startsWith("e2d: --validity must be at least 1m, got 30s; ");
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void aBadHttpAddrGivesOneExample() {
        assertThat(usageError("run", "--http-addr", "127.0.0.1:99999").err())
                .isEqualTo("e2d: --http-addr: invalid address \"127.0.0.1:99999\": the port must be 0 to 65535;"
                        + " expected host:port, e.g. 127.0.0.1:8080\n");
    }

    @Test
    void aMistypedVariableIsReportedNotSilentlyIgnored() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        // the run stops at the data dir check, after the warning
        CliRunner.Result r = CliRunner.run(
                Map.of("E2D_DATA_DRI", "/srv/etcd", "E2D_JAVA_OPTS", "-Xmx256m", "E2D_DATA_DIR", file.toString()),
                "run");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1).allMatch(l -> l.contains("E2D_DATA_DIR"));

        CliRunner.Result typo = CliRunner.run(
                Map.of("E2D_DATA_DRI", "/srv/etcd", "E2D_JAVA_OPTS", "-Xmx256m"),
                "run",
                "--etcd-binary",
                tmp.resolve("no-etcd").toString(),
                "--data-dir",
                tmp.resolve("data").toString());
        assertThat(typo.exitCode()).isEqualTo(ExitCodes.ETCD_NOT_FOUND);
        assertThat(typo.errLines())
                .hasSize(2)
                .startsWith("e2d: warning: ignoring E2D_DATA_DRI: e2d run has no such variable (flag --x-y reads"
                        + " E2D_X_Y; see 'e2d run --help')");
    }

    @Test
    void anAwsKeyWithoutItsSecretIsAUsageError() {
        assertThat(usageError("run", "--aws-access-key", "AKIAEXAMPLE").err())
                .isEqualTo("e2d: --aws-access-key and --aws-secret-key go together: give both or neither\n");
    }

    @Test
    void aDataDirThatIsAFileIsAUsageError() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThat(usageError("run", "--data-dir", file.toString()).err())
                .isEqualTo("e2d: --data-dir " + file + ": " + file
                        + " is a file, not a directory; give a directory path (created with mode 0700 if missing)\n");
        assertThat(usageError("run", "--data-dir", file.resolve("data").toString())
                        .err())
                .contains(file + " is a file, not a directory");
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void tlsFilesThatAreNotPemOrDoNotMatchNameTheFlags() throws IOException {
        PkiFiles pki = Pki.generate(tmp.resolve("pki"), List.of(), FAST);
        Path notPem = Files.writeString(tmp.resolve("server.key"), "not a key");
        assertThat(usageError("run", "--server-cert", pki.serverCert().toString(), "--server-key", notPem.toString())
                        .err())
                .startsWith("e2d: --server-key " + notPem + ": ")
                .contains("no PEM block");
        assertThat(usageError(
                                "run",
                                "--peer-cert",
                                pki.peerCert().toString(),
                                "--peer-key",
                                pki.clientKey().toString())
                        .err())
                .startsWith("e2d: --peer-cert and --peer-key do not match: ");
        assertThat(usageError("run", "--ca-key", notPem.toString()).err()).startsWith("e2d: --ca-key " + notPem);
        assertThat(usageError(
                                "run",
                                "--ca-cert",
                                pki.caKey().toString(),
                                "--server-cert",
                                pki.serverCert().toString(),
                                "--server-key",
                                pki.serverKey().toString())
                        .err())
                .startsWith("e2d: --ca-cert " + pki.caKey());
    }

    @Test
    void snapshotStoreBehindAFileIsOneLineNamingIt() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        String url = "file://" + file + "/etcd.snapshot";
        CliRunner.Result save =
                CliRunner.run(Map.of(), "snapshot", "save", "--url", url, "--endpoints", "http://127.0.0.1:1");
        assertThat(save.exitCode()).isEqualTo(ExitCodes.RUNTIME_ERROR);
        assertThat(save.errLines())
                .containsExactly("e2d: cannot create the snapshot directory " + file + ": " + file
                        + " is a file, not a directory; fix the file:// URL");
        CliRunner.Result ls = CliRunner.run(Map.of(), "snapshot", "ls", "--url", url);
        assertThat(ls.exitCode()).isEqualTo(ExitCodes.RUNTIME_ERROR);
        assertThat(ls.errLines())
                .containsExactly("e2d: no snapshots at " + url + ": the directory " + file
                        + " is a file; check the path (e2d snapshot save creates it)");
    }

    @Test
    void aMistypedDirectoryIsMadeOnlyBySavingASnapshot() {
        Path missing = tmp.resolve("typo/snapshots");
        String url = "file://" + missing + "/etcd.snapshot";
        for (String command : List.of("ls", "verify")) {
            CliRunner.Result r = CliRunner.run(Map.of(), "snapshot", command, "--url", url);
            assertThat(r.exitCode()).as(command).isEqualTo(ExitCodes.RUNTIME_ERROR);
            assertThat(r.errLines())
                    .as(command)
                    .containsExactly("e2d: no snapshots at " + url + ": the directory " + missing
                            + " does not exist; check the path (e2d snapshot save creates it)");
        }
        assertThat(tmp).isEmptyDirectory();
        // nor does a save that cannot reach etcd
        CliRunner.Result save =
                CliRunner.run(Map.of(), "snapshot", "save", "--url", url, "--endpoints", "http://127.0.0.1:1");
        assertThat(save.exitCode()).isEqualTo(ExitCodes.RUNTIME_ERROR);
        assertThat(save.errLines()).hasSize(1).allMatch(l -> l.contains("127.0.0.1:1"));
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void snapshotSaveChecksRetentionAndEndpointsBeforeConnecting() {
        String url = "file://" + tmp.resolve("snaps/etcd.snapshot");
        assertThat(usageError("snapshot", "save", "--url", url, "--retention", "-1")
                        .err())
                .isEqualTo("e2d: --retention must be at least 1 (snapshots kept), got -1\n");
        for (String endpoint : List.of("127.0.0.1:2379", "ftp://127.0.0.1:2379", "http://", "http://etcd")) {
            assertThat(usageError("snapshot", "save", "--url", url, "--endpoints", endpoint)
                            .err())
                    .as(endpoint)
                    .isEqualTo("e2d: --endpoints needs http(s)://host:port URLs, got \"" + endpoint
                            + "\"; e.g. http://127.0.0.1:2379\n");
        }
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void snapshotRestoreChecksItsFlagsBeforeFetchingAndNeverMovesAFileAside() throws IOException {
        // the store is empty: a check that ran after fetching would fail with "no snapshot found" (exit 1)
        String url = "file://" + Files.createDirectories(tmp.resolve("snaps")).resolve("etcd.snapshot");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThat(usageError("snapshot", "restore", "--url", url, "--data-dir", file.toString())
                        .err())
                .isEqualTo("e2d: --data-dir " + file
                        + " is a file, not a directory; give the path of the etcd data dir to create\n");
        assertThat(Files.readString(file)).isEqualTo("x");
        assertThat(usageError("snapshot", "restore", "--url", url, "--data-dir", file.toString(), "--force")
                        .err())
                .contains("is a file, not a directory");
        assertThat(Files.readString(file)).isEqualTo("x");

        String dataDir = tmp.resolve("data").toString();
        Map<String, String> expected = Map.of(
                "--initial-advertise-peer-urls=::bad",
                "e2d: --initial-advertise-peer-urls needs http(s)://host:port URLs, got \"::bad\"",
                "--initial-cluster=a=10.0.0.5",
                "e2d: --initial-cluster needs http(s)://host:port URLs, got \"10.0.0.5\"",
                "--name=bad name",
                "e2d: --name must be 1-63 letters");
        expected.forEach((flag, message) -> assertThat(
                        usageError("snapshot", "restore", "--url", url, "--data-dir", dataDir, flag)
                                .err())
                .as(flag)
                .startsWith(message));
        CliRunner.Result noEtcd = CliRunner.run(
                Map.of(),
                "snapshot",
                "restore",
                "--url",
                url,
                "--data-dir",
                dataDir,
                "--etcd-binary",
                tmp.resolve("no-etcd").toString());
        assertThat(noEtcd.exitCode()).isEqualTo(ExitCodes.ETCD_NOT_FOUND);
        assertThat(noEtcd.errLines())
                .hasSize(1)
                .allMatch(l -> l.contains(tmp.resolve("no-etcd") + " (from --etcd-binary)"));
        assertThat(tmp.resolve("data")).doesNotExist();
        assertThat(tmp.resolve("snaps")).isEmptyDirectory();
    }

    @Test
    void grpcInfoLogsStayOffStderrUnlessVerbose() {
        CliRunner.run(Map.of(), "run", "--etcd-binary", tmp.resolve("none").toString());
        assertThat(E2dCommand.grpcLogLevel()).isEqualTo(Level.WARNING);
        CliRunner.run(
                Map.of(), "-v", "run", "--etcd-binary", tmp.resolve("none").toString());
        assertThat(E2dCommand.grpcLogLevel()).isEqualTo(Level.INFO);
    }

    /** {@code path --help} for every command under {@code cli} (picocli's own help command aside). */
    private static void collect(picocli.CommandLine cli, List<String> path, List<String[]> out) {
        List<String> args = new java.util.ArrayList<>(path);
        args.add("--help");
        out.add(args.toArray(String[]::new));
        cli.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> next = new java.util.ArrayList<>(path);
                next.add(name);
                collect(sub, next, out);
            }
        });
    }

    @Test
    void helpHasNoEmptyDefaultsAndNoLineOverEightyColumns() {
        List<String[]> commands = new java.util.ArrayList<>();
        collect(
                E2dCommand.commandLine(
                        Map.of(),
                        new java.io.PrintWriter(new java.io.StringWriter()),
                        new java.io.PrintWriter(new java.io.StringWriter())),
                List.of(),
                commands);
        assertThat(commands).hasSizeGreaterThan(12);
        for (String[] args : commands) {
            CliRunner.Result r = CliRunner.run(Map.of(), args);
            assertThat(r.exitCode()).isZero();
            assertThat(r.out().lines())
                    .as(String.join(" ", args))
                    .noneMatch(l -> l.strip().equals("Default:") || l.contains("Default: []"))
                    .allMatch(l -> l.length() <= 80);
        }
        assertThat(CliRunner.run(Map.of(), "snapshot", "save", "--help").out())
                .contains("Default: http://127.0.0.1:2379", "Default: none", "Default: 5");
        assertThat(CliRunner.run(Map.of(), "version", "--help").out()).contains("--etcd-binary=<file>");
    }
}
