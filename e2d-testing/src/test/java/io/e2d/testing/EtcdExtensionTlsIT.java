package io.e2d.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.core.internal.HealthProbe;
import io.e2d.pki.KeyType;
import io.e2d.pki.Pki;
import io.e2d.pki.PkiConfig;
import io.e2d.pki.PkiFiles;
import io.e2d.pki.Tls;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EtcdExtensionTlsIT {
    @RegisterExtension
    static final EtcdExtension etcd = EtcdExtension.single().tls();

    static final ByteSequence KEY = ByteSequence.from("/tls/key", UTF_8);

    @Test
    void servesOverMutualTls() throws Exception {
        assertThat(etcd.endpoints()).allSatisfy(u -> assertThat(u.getScheme()).isEqualTo("https"));
        assertThat(etcd.config(0).clientTls()).get().satisfies(t -> assertThat(t.isCertAuth())
                .isTrue());
        assertThat(etcd.server(0).command()).contains("--client-cert-auth=true", "--peer-client-cert-auth=true");

        etcd.client().getKVClient().put(KEY, ByteSequence.from("secret", UTF_8)).get(30, TimeUnit.SECONDS);
        assertThat(etcd.client()
                        .getKVClient()
                        .get(KEY)
                        .get(30, TimeUnit.SECONDS)
                        .getKvs()
                        .get(0)
                        .getValue()
                        .toString(UTF_8))
                .isEqualTo("secret");
    }

    @Test
    void refusesAClientWithoutACertificate() throws Exception {
        try (Client anonymous = Client.builder()
                .endpoints(etcd.endpoints().toArray(URI[]::new))
                .sslContext(b -> b.trustManager(etcd.pki().caCert().toFile()))
                .waitForReady(false) // fail the call instead of waiting for a connection that never comes
                .retryMaxAttempts(0)
                .build()) {
            assertThatThrownBy(() -> anonymous.getKVClient().get(KEY).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("UNAVAILABLE");
        }
    }

    @Test
    void refusesAClientCertificateFromAnotherCa(@TempDir Path other) throws Exception {
        PkiFiles foreign = Pki.generate(
                other,
                List.of(),
                PkiConfig.builder().keyType(KeyType.ECDSA_P256).build());
        URI endpoint = etcd.endpoints().get(0);

        HealthProbe.Result own = new HealthProbe(
                        endpoint,
                        Tls.clientContext(
                                etcd.pki().clientCert(),
                                etcd.pki().clientKey(),
                                etcd.pki().caCert()),
                        Duration.ofSeconds(5))
                .probe();
        HealthProbe.Result stranger = new HealthProbe(
                        endpoint,
                        Tls.clientContext(
                                foreign.clientCert(),
                                foreign.clientKey(),
                                etcd.pki().caCert()),
                        Duration.ofSeconds(5))
                .probe();

        assertThat(own.healthy()).as(own.detail()).isTrue();
        assertThat(stranger.healthy()).isFalse();
        // The TLS handshake is refused: no HTTP answer at all. Depending on timing the client sees an
        // alert, a reset, or a failed write of its request (IOException "Error writing to server").
        assertThat(stranger.detail()).doesNotStartWith("HTTP").containsPattern("SSL|Socket|IOException");
    }
}
