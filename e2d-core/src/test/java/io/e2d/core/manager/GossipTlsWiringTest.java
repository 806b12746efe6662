package io.e2d.core.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.core.server.TlsFiles;
import io.e2d.discovery.PeerAddress;
import io.e2d.discovery.gossip.MembershipException;
import io.e2d.pki.KeyType;
import io.e2d.pki.Pki;
import io.e2d.pki.PkiConfig;
import io.e2d.pki.PkiFiles;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Gossip#membership} turns on gossip TLS exactly when the peer listener has TLS with a CA: the
 * gossip layer then checks the peer files (nothing is bound before {@code start()}).
 */
@Timeout(30)
class GossipTlsWiringTest {
    @TempDir
    Path tmp;

    private ManagerConfig config(TlsFiles peer) {
        return ManagerConfig.builder()
                .name("n1")
                .dataDir(tmp.resolve("data"))
                .clientUrl(URI.create("https://127.0.0.1:23790"))
                .peerUrl(URI.create("https://127.0.0.1:23800"))
                // an address the peer certificate does not name
                .gossipAddress(new PeerAddress("192.0.2.77", 7980))
                .peerTls(peer)
                .build();
    }

    @Test
    void peerTlsWithACaTurnsOnGossipTlsWithTheSameFiles() {
        PkiFiles pki = Pki.generate(
                tmp.resolve("pki"),
                List.of(),
                PkiConfig.builder().keyType(KeyType.ECDSA_P256).build());

        // With --ca-cert: gossip TLS checks the peer certificate, which does not name 192.0.2.77.
        assertThatThrownBy(() ->
                        Gossip.membership(config(TlsFiles.of(pki.peerCert(), pki.peerKey(), pki.caCert())), "n1", null))
                .isInstanceOf(MembershipException.class)
                .hasMessageContaining(pki.peerCert().toString())
                .hasMessageContaining("192.0.2.77");
        // Without a CA there is no client-certificate check to build on: plain gossip, files not read.
        try (Gossip plain = Gossip.membership(config(TlsFiles.of(pki.peerCert(), pki.peerKey())), "n1", null)) {
            assertThat(plain.members()).hasSize(1);
        }
    }
}
