package io.e2d.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code e2d pki init|gencerts|show} in-process: files, modes, output, one-line errors, exit codes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PkiCommandTest {

    @TempDir
    Path tmp;

    @Test
    void initWritesTheCaOnceAndOnlyReplacesItWithForce() throws IOException {
        Path crt = tmp.resolve("etc/e2d/ca.crt");
        Path key = tmp.resolve("etc/e2d/ca.key");
        CliRunner.Result r = init(crt, key);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote CA certificate " + crt).contains("key RSA 2048");
        assertThat(mode(key)).isEqualTo("rw-------");
        assertThat(mode(crt)).isEqualTo("rw-r--r--");
        assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        String keyBefore = Files.readString(key);

        CliRunner.Result again = init(crt, key);
        assertThat(again.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(again.errLines())
                .containsExactly("e2d: refusing to overwrite existing file " + crt
                        + "; remove it, choose another path, or pass --force to replace it");
        assertThat(Files.readString(key)).isEqualTo(keyBefore);

        CliRunner.Result forced = init(crt, key, "--force", "--key-type", "ecdsa");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(Files.readString(key)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(mode(key)).isEqualTo("rw-------");
        assertThat(list(tmp.resolve("etc/e2d"))).containsExactly("ca.crt", "ca.key");
    }

    @Test
    void gencertsIssuesOneNodesCertificatesThatOpensslVerifies() throws IOException {
        Path crt = tmp.resolve("ca.crt");
        Path key = tmp.resolve("ca.key");
        assertThat(init(crt, key, "--key-type", "ecdsa").exitCode()).isZero();
        Path out = tmp.resolve("certs");
        CliRunner.Result r =
                gencerts(crt, key, out, "--hosts", "etcd-1.example.com,10.0.0.7,127.0.0.1", "--name", "node1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("generated certificates successfully.");
        assertThat(list(out))
                .containsExactly(
                        "node1-client.crt",
                        "node1-client.key",
                        "node1-client.pkcs8.key",
                        "node1-peer.crt",
                        "node1-peer.key",
                        "node1-server.crt",
                        "node1-server.key");
        for (String k : List.of("node1-client.key", "node1-client.pkcs8.key", "node1-peer.key", "node1-server.key")) {
            assertThat(mode(out.resolve(k))).as(k).isEqualTo("rw-------");
        }
        for (String c : List.of("node1-server.crt", "node1-peer.crt", "node1-client.crt")) {
            Run v = exec(
                    "openssl",
                    "verify",
                    "-CAfile",
                    crt.toString(),
                    out.resolve(c).toString());
            assertThat(v.exitCode()).as(v.output()).isZero();
        }

        CliRunner.Result show = pki("show", out.resolve("node1-peer.crt").toString());
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out())
                .contains("subject:            O=e2d,CN=etcd peer")
                .contains("issuer:             O=e2d,CN=e2d-ca")
                .contains("extended key usage: serverAuth, clientAuth")
                .contains("key usage:          digitalSignature")
                .contains("SANs:               DNS:etcd-1.example.com, IP:10.0.0.7, IP:127.0.0.1, DNS:localhost")
                .containsPattern("status: +valid, 18\\d\\d days left");
        CliRunner.Result client = pki("show", out.resolve("node1-client.crt").toString());
        assertThat(client.out()).contains("SANs:               none").contains("extended key usage: clientAuth\n");
    }

    @Test
    void showFlagsCertificatesExpiringWithin30Days() throws IOException {
        Path crt = tmp.resolve("ca.crt");
        CliRunner.Result init = init(crt, tmp.resolve("ca.key"), "--key-type", "ecdsa", "--validity", "240h");
        assertThat(init.exitCode()).as(init.err()).isZero();
        CliRunner.Result show = pki("show", crt.toString());
        assertThat(show.exitCode()).isZero();
        assertThat(show.out())
                .containsPattern("status: +EXPIRES SOON: (9|10) days left \\(under 30\\)")
                .contains("CA:                 yes")
                .contains("key usage:          keyCertSign, cRLSign");
    }

    @Test
    void missingCaFilesAreOneClearErrorAndWriteNothing() throws IOException {
        Path out = tmp.resolve("out");
        CliRunner.Result r = gencerts(tmp.resolve("nope.crt"), tmp.resolve("nope.key"), out);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err())
                .startsWith("e2d: cannot load the CA: certificate file " + tmp.resolve("nope.crt") + " does not exist")
                .contains("e2d pki init --ca-cert");
        assertThat(out).doesNotExist();

        CliRunner.Result noFlags = pki("gencerts");
        assertThat(noFlags.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noFlags.err()).contains("--ca-cert").contains("--ca-key");
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateIsRefused() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        initEcdsa(a);
        initEcdsa(b);
        Path out = tmp.resolve("out");
        CliRunner.Result r = gencerts(a.resolve("ca.crt"), b.resolve("ca.key"), out);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err())
                .contains("the private key " + b.resolve("ca.key") + " does not match the certificate "
                        + a.resolve("ca.crt"));
        assertThat(out).doesNotExist();
    }

    @Test
    void corruptPemIsRefusedAndWritesNothing() throws IOException {
        Path a = tmp.resolve("a");
        initEcdsa(a);
        String pem = Files.readString(a.resolve("ca.key"));
        Files.writeString(a.resolve("ca.key"), pem.substring(0, pem.length() / 2), StandardCharsets.US_ASCII);
        Path out = tmp.resolve("out");
        CliRunner.Result r = gencerts(a.resolve("ca.crt"), a.resolve("ca.key"), out);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains(a.resolve("ca.key") + " is not valid PEM").contains("corrupt or truncated");
        assertThat(out).doesNotExist();

        CliRunner.Result show = pki("show", a.resolve("ca.key").toString());
        assertThat(show.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(show.errLines()).hasSize(1);
    }

    @Test
    void anUnwritableOutputDirectoryIsAnErrorAndLeavesNoFiles() throws IOException {
        Path a = tmp.resolve("a");
        initEcdsa(a);
        Path blocker = tmp.resolve("blocker");
        Files.writeString(blocker, "a file, not a directory");
        CliRunner.Result r = gencerts(a.resolve("ca.crt"), a.resolve("ca.key"), blocker.resolve("certs"));
        assertThat(r.exitCode()).isEqualTo(ExitCodes.RUNTIME_ERROR);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("e2d: cannot create directory " + blocker.resolve("certs"));
        assertThat(list(tmp)).containsExactly("a", "a/ca.crt", "a/ca.key", "blocker");

        CliRunner.Result init = init(blocker.resolve("ca.crt"), blocker.resolve("ca.key"), "--key-type", "ecdsa");
        assertThat(init.exitCode()).isEqualTo(ExitCodes.RUNTIME_ERROR);
        assertThat(init.errLines()).hasSize(1);
        assertThat(list(tmp)).containsExactly("a", "a/ca.crt", "a/ca.key", "blocker");
    }

    @Test
    void badValuesAreUsageErrors() throws IOException {
        Path a = tmp.resolve("a");
        initEcdsa(a);
        CliRunner.Result host = gencerts(
                a.resolve("ca.crt"), a.resolve("ca.key"), tmp.resolve("out"), "--hosts", "good.example,bad host");
        assertThat(host.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(host.err()).contains("host 'bad host' is neither an IP address nor a valid DNS name");
        assertThat(tmp.resolve("out")).doesNotExist();

        CliRunner.Result type = init(tmp.resolve("x.crt"), tmp.resolve("x.key"), "--key-type", "dsa");
        assertThat(type.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(type.errLines()).containsExactly("e2d: key type must be 'rsa' or 'ecdsa', got 'dsa'");

        CliRunner.Result validity = init(tmp.resolve("x.crt"), tmp.resolve("x.key"), "--validity", "10s");
        assertThat(validity.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(validity.err()).contains("--validity must be at least 1m, got 10s");
        assertThat(tmp.resolve("x.crt")).doesNotExist();
    }

    private void initEcdsa(Path dir) {
        CliRunner.Result r = init(dir.resolve("ca.crt"), dir.resolve("ca.key"), "--key-type", "ecdsa");
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    private static CliRunner.Result init(Path caCert, Path caKey, String... extra) {
        List<String> args =
                new ArrayList<>(List.of("init", "--ca-cert", caCert.toString(), "--ca-key", caKey.toString()));
        args.addAll(List.of(extra));
        return pki(args.toArray(String[]::new));
    }

    private static CliRunner.Result gencerts(Path caCert, Path caKey, Path outputDir, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "gencerts",
                "--ca-cert",
                caCert.toString(),
                "--ca-key",
                caKey.toString(),
                "--output-dir",
                outputDir.toString()));
        args.addAll(List.of(extra));
        return pki(args.toArray(String[]::new));
    }

    private static CliRunner.Result pki(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "pki";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRunner.run(Map.of(), all);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir))
                    .map(p -> dir.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    record Run(int exitCode, String output) {}

    private static Run exec(String... cmd) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd)))
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Run(p.exitValue(), output);
    }
}
