package io.e2d.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.e2d.pki.Pki;
import io.e2d.pki.PkiFiles;
import io.e2d.testing.EtcdExtension;
import io.e2d.testkit.FreePorts;
import io.etcd.jetcd.ByteSequence;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code e2d snapshot save} against an etcd that requires client certificates. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnapshotSaveTlsIT {
    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.single().tls();

    @TempDir
    Path tmp;

    private static CliRunner.Result e2d(String... args) {
        return CliRunner.run(Map.of("PATH", System.getenv("PATH")), args);
    }

    @Test
    void savesThroughMutualTlsAndRefusesWithoutAClientCertificate() throws Exception {
        ETCD.client().getKVClient().put(bytes("/tls/k"), bytes("v")).get(30, TimeUnit.SECONDS);
        PkiFiles pki = ETCD.pki();
        String endpoint = ETCD.endpoints().get(0).toString();
        String url = "file://" + tmp.resolve("backups/etcd.snapshot");

        CliRunner.Result saved = e2d(
                "snapshot",
                "save",
                "--url",
                url,
                "--endpoints",
                endpoint,
                "--ca-cert",
                pki.caCert().toString(),
                "--client-cert",
                pki.clientCert().toString(),
                "--client-key",
                pki.clientKey().toString(),
                "--timeout",
                "1m");
        assertThat(saved.exitCode()).as(saved.err()).isZero();
        assertThat(saved.out()).startsWith("saved etcd.snapshot-");
        CliRunner.Result ls = e2d("snapshot", "ls", "--url", url);
        assertThat(ls.out().lines()).hasSize(2);

        CliRunner.Result noCa = e2d("snapshot", "save", "--url", url, "--endpoints", endpoint);
        assertThat(noCa.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noCa.err()).contains("--ca-cert").hasLineCount(1);

        CliRunner.Result halfPair = e2d(
                "snapshot",
                "save",
                "--url",
                url,
                "--endpoints",
                endpoint,
                "--ca-cert",
                pki.caCert().toString(),
                "--client-cert",
                pki.clientCert().toString());
        assertThat(halfPair.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(halfPair.err()).contains("--client-key");

        CliRunner.Result noClientCert = e2d(
                "snapshot",
                "save",
                "--url",
                url,
                "--endpoints",
                endpoint,
                "--ca-cert",
                pki.caCert().toString(),
                "--timeout",
                "10s");
        assertThat(noClientCert.exitCode()).isNotZero();
        assertThat(e2d("snapshot", "ls", "--url", url).out().lines()).hasSize(2);
    }

    @Test
    void eachConnectionFailureIsOneLineNamingTheEndpointAndTheNextEndpointIsTried() throws Exception {
        ETCD.client().getKVClient().put(bytes("/tls/k2"), bytes("v")).get(30, TimeUnit.SECONDS);
        PkiFiles pki = ETCD.pki();
        URI endpoint = ETCD.endpoints().get(0);
        String url = "file://" + tmp.resolve("backups/etcd.snapshot");
        String[] tls = {
            "--ca-cert", pki.caCert().toString(),
            "--client-cert", pki.clientCert().toString(),
            "--client-key", pki.clientKey().toString()
        };
        String closed = "https://127.0.0.1:" + FreePorts.tcp();

        // the first endpoint refuses connections: the second one takes the snapshot
        CliRunner.Result fallback = e2d(
                concat(new String[] {"snapshot", "save", "--url", url, "--endpoints", closed + "," + endpoint}, tls));
        assertThat(fallback.exitCode()).as(fallback.err()).isZero();
        assertThat(fallback.out()).startsWith("saved etcd.snapshot-");

        CliRunner.Result unreachable =
                e2d(concat(new String[] {"snapshot", "save", "--url", url, "--endpoints", closed}, tls));
        assertThat(unreachable.exitCode()).isNotZero();
        assertThat(unreachable.err())
                .contains("cannot connect to etcd at " + closed)
                .hasLineCount(1);

        // plain http to a TLS port: says to use https
        String http = "http://" + endpoint.getHost() + ":" + endpoint.getPort();
        CliRunner.Result plain = e2d("snapshot", "save", "--url", url, "--endpoints", http, "--timeout", "10s");
        assertThat(plain.exitCode()).isNotZero();
        assertThat(plain.err()).contains(http).contains("https://").hasLineCount(1);

        // a CA that did not sign etcd's certificate: the TLS handshake fails, never silently accepted
        PkiFiles other = Pki.generate(tmp.resolve("other-pki"), List.of("127.0.0.1"));
        CliRunner.Result wrongCa = save(url, endpoint, other.caCert(), pki.clientCert(), pki.clientKey());
        assertThat(wrongCa.exitCode()).isNotZero();
        assertThat(wrongCa.err())
                .contains("TLS handshake with etcd at " + endpoint)
                .hasLineCount(1);

        // a client certificate etcd does not trust: refused by etcd, one line
        CliRunner.Result foreignClient = save(url, endpoint, pki.caCert(), other.clientCert(), other.clientKey());
        assertThat(foreignClient.exitCode()).isNotZero();
        assertThat(foreignClient.err()).contains("etcd at " + endpoint).hasLineCount(1);

        CliRunner.Result badUrl = e2d("snapshot", "save", "--url", url, "--endpoints", "ftp://127.0.0.1:2379");
        assertThat(badUrl.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badUrl.err()).contains("ftp://127.0.0.1:2379").contains("http(s)://host:port");

        assertThat(e2d("snapshot", "ls", "--url", url).out().lines()).hasSize(2); // the one good save
    }

    private static CliRunner.Result save(String url, URI endpoint, Path ca, Path cert, Path key) {
        return e2d(
                "snapshot",
                "save",
                "--url",
                url,
                "--endpoints",
                endpoint.toString(),
                "--ca-cert",
                ca.toString(),
                "--client-cert",
                cert.toString(),
                "--client-key",
                key.toString());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
