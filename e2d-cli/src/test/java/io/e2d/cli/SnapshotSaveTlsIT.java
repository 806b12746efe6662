package io.e2d.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.e2d.pki.PkiFiles;
import io.e2d.testing.EtcdExtension;
import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
