package io.e2d.core.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.e2d.core.server.EtcdServer;
import io.e2d.core.server.EtcdServerConfig;
import io.e2d.core.server.TlsFiles;
import io.e2d.pki.KeyType;
import io.e2d.pki.Pki;
import io.e2d.pki.PkiConfig;
import io.e2d.pki.PkiFiles;
import io.e2d.testkit.FreePorts;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manager's jetcd clients under mutual TLS, with the key formats `e2d pki` writes: PKCS#1 (RSA,
 * the default) and SEC1 (ECDSA).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EtcdClientsTlsIT {
    @TempDir
    Path tmp;

    @Test
    void peerCertificateWithAnRsaPkcs1KeyWorksAsClientCertificate() throws Exception {
        roundTrip(Pki.generate(tmp.resolve("pki"), List.of()));
    }

    @Test
    void peerCertificateWithAnEcdsaSec1KeyWorksAsClientCertificate() throws Exception {
        roundTrip(Pki.generate(
                tmp.resolve("pki"),
                List.of(),
                PkiConfig.builder().keyType(KeyType.ECDSA_P256).build()));
    }

    private void roundTrip(PkiFiles pki) throws Exception {
        TlsFiles peer = TlsFiles.of(pki.peerCert(), pki.peerKey(), pki.caCert());
        EtcdServerConfig config = EtcdServerConfig.builder()
                .name("tls-client")
                .dataDir(tmp.resolve("data"))
                .clientUrl(URI.create("https://127.0.0.1:" + FreePorts.tcp()))
                .peerUrl(URI.create("https://127.0.0.1:" + FreePorts.tcp()))
                .clientTls(TlsFiles.of(pki.serverCert(), pki.serverKey(), pki.caCert()))
                .peerTls(peer)
                .healthCheckClientTls(peer)
                .fastElections()
                .startTimeout(Duration.ofSeconds(30))
                .build();
        try (EtcdServer server = EtcdServer.create(config)) {
            server.start();
            URI endpoint = server.clientUrls().get(0);
            try (Client client = EtcdClients.create(endpoint, Optional.of(peer))) {
                EtcdClients.await(client.getKVClient().put(bytes("/tls/k"), bytes("v")), Duration.ofSeconds(30), "put");
                String value = EtcdClients.await(
                                client.getKVClient().get(bytes("/tls/k")), Duration.ofSeconds(30), "get")
                        .getKvs()
                        .get(0)
                        .getValue()
                        .toString(StandardCharsets.UTF_8);
                assertThat(value).isEqualTo("v");
            }
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
