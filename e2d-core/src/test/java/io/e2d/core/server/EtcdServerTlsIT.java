package io.e2d.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.core.internal.HealthProbe;
import io.e2d.pki.KeyType;
import io.e2d.pki.Pki;
import io.e2d.pki.PkiConfig;
import io.e2d.pki.PkiFiles;
import io.e2d.pki.Tls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EtcdServerTlsIT {
    // ECDSA keys are much faster to generate than RSA-2048.
    private static final PkiConfig ECDSA =
            PkiConfig.builder().keyType(KeyType.ECDSA_P256).build();

    @TempDir
    static Path pkiDir;

    static PkiFiles pki;

    @TempDir
    Path tmp;

    @BeforeAll
    static void generatePki() {
        pki = Pki.generate(pkiDir, List.of(), ECDSA); // keys in SEC1 files
    }

    private EtcdServerConfig.Builder tlsConfig() {
        return TestConfigs.single("tls", tmp.resolve("data"))
                .clientUrl(URI.create("https://127.0.0.1:" + TestConfigs.freePort()))
                .peerUrl(URI.create("https://127.0.0.1:" + TestConfigs.freePort()))
                .clientTls(TlsFiles.of(pki.serverCert(), pki.serverKey(), pki.caCert()))
                .peerTls(TlsFiles.of(pki.peerCert(), pki.peerKey(), pki.caCert()))
                .healthCheckClientTls(TlsFiles.of(pki.clientCert(), pki.clientKey(), pki.caCert()));
    }

    @Test
    void startsWithClientCertAuthAndRefusesAnonymousClients() throws Exception {
        try (EtcdServer server = EtcdServer.create(tlsConfig().build())) {
            server.start(); // /health polled over https with the client certificate
            assertThat(server.command()).contains("--client-cert-auth=true", "--peer-client-cert-auth=true");

            URI url = server.clientUrls().get(0);
            HealthProbe.Result withCert = new HealthProbe(
                            url,
                            Tls.clientContext(pki.clientCert(), pki.clientKey(), pki.caCert()),
                            Duration.ofSeconds(5))
                    .probe();
            assertThat(withCert.healthy()).as(withCert.detail()).isTrue();

            // A client that trusts the CA but has no certificate of its own gets no HTTP answer.
            javax.net.ssl.SSLContext anonymous = javax.net.ssl.SSLContext.getInstance("TLS");
            anonymous.init(null, Tls.trustManagers(pki.caCert()).getTrustManagers(), null);
            HealthProbe.Result without = new HealthProbe(url, anonymous, Duration.ofSeconds(5)).probe();
            assertThat(without.healthy()).isFalse();
            assertThat(without.detail()).doesNotStartWith("HTTP");
        }
    }

    @Test
    void aMissingKeyFileIsATlsError() throws Exception {
        EtcdServerConfig config = tlsConfig()
                .clientTls(TlsFiles.of(pki.serverCert(), tmp.resolve("missing.key"), pki.caCert()))
                .build();
        try (EtcdServer server = EtcdServer.create(config)) {
            assertThatThrownBy(server::start)
                    .isInstanceOfSatisfying(EtcdStartException.class, e -> assertThat(e.reason())
                            .isEqualTo(EtcdStartException.Reason.TLS))
                    .hasMessageContaining("missing.key does not exist or is not readable");
        }
    }
}
