package io.e2d.discovery.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.discovery.PeerAddress;
import io.e2d.pki.KeyType;
import io.e2d.pki.Pki;
import io.e2d.pki.PkiConfig;
import io.e2d.pki.PkiFiles;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Gossip TLS files: what is written for atomix, and one clear error per kind of bad file. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GossipKeyStoresTest {
    @TempDir
    static Path tmp;

    private static PkiFiles cluster;
    private static PkiFiles foreign;

    @BeforeAll
    static void pki() {
        PkiConfig fast = PkiConfig.builder().keyType(KeyType.ECDSA_P256).build();
        cluster = Pki.generate(tmp.resolve("cluster"), List.of(), fast);
        foreign = Pki.generate(tmp.resolve("foreign"), List.of(), fast);
    }

    private static GossipTls peer(PkiFiles p) {
        return new GossipTls(p.peerCert(), p.peerKey(), p.caCert());
    }

    private static MembershipConfig config(GossipTls tls, String host) {
        return MembershipConfig.builder()
                .name("n1")
                .gossipAddress(new PeerAddress(host, 7980))
                .tls(tls)
                .build();
    }

    @Test
    void storesArePrivateHoldThePeerCertificateAndTheCaAndAreDeletedOnClose() throws Exception {
        GossipKeyStores stores = GossipKeyStores.write(peer(cluster), "127.0.0.1");
        Path dir = stores.keyStore().getParent();
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                    .isEqualTo("rwx------");
            for (Path f : List.of(stores.keyStore(), stores.trustStore())) {
                assertThat(f.getParent()).isEqualTo(dir);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                        .isEqualTo("rw-------");
            }
            assertThat(stores.password()).hasSizeGreaterThanOrEqualTo(32);
            assertThat(stores.toString()).doesNotContain(stores.password());

            KeyStore ks = load(stores.keyStore(), stores.password());
            X509Certificate presented = (X509Certificate) ks.getCertificate("e2d-gossip");
            assertThat(presented).isEqualTo(io.e2d.pki.Pem.readCertificate(cluster.peerCert()));
            assertThat(ks.getKey("e2d-gossip", stores.password().toCharArray())).isNotNull();
            KeyStore ts = load(stores.trustStore(), stores.password());
            assertThat(ts.getCertificate("e2d-ca-0")).isEqualTo(io.e2d.pki.Pem.readCertificate(cluster.caCert()));
            assertThat(ts.isKeyEntry("e2d-ca-0")).isFalse();
        } finally {
            stores.close();
        }
        assertThat(dir).doesNotExist();
        stores.close(); // idempotent
    }

    private static KeyStore load(Path file, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = tmp.resolve("nope/peer.crt");
        GossipTls tls = new GossipTls(missing, cluster.peerKey(), cluster.caCert());

        assertThatThrownBy(() -> Membership.create(config(tls, "127.0.0.1")))
                .isExactlyInstanceOf(MembershipException.class)
                .hasMessageStartingWith("gossip TLS: ")
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void aKeyOfAnotherCertificateIsNamed() {
        GossipTls tls = new GossipTls(cluster.peerCert(), cluster.clientKey(), cluster.caCert());

        assertThatThrownBy(() -> Membership.create(config(tls, "127.0.0.1")))
                .isExactlyInstanceOf(MembershipException.class)
                .hasMessageContaining("does not match")
                .hasMessageContaining(cluster.clientKey().toString())
                .hasMessageContaining(cluster.peerCert().toString());
    }

    @Test
    void aCaFileWithoutCertificateIsNamed() {
        GossipTls tls = new GossipTls(cluster.peerCert(), cluster.peerKey(), cluster.peerKey());

        assertThatThrownBy(() -> Membership.create(config(tls, "127.0.0.1")))
                .isExactlyInstanceOf(MembershipException.class)
                .hasMessageContaining(cluster.peerKey().toString());
    }

    @Test
    void aCertificateOfAnotherCaIsRefusedUpFront() {
        GossipTls tls = new GossipTls(foreign.peerCert(), foreign.peerKey(), cluster.caCert());

        assertThatThrownBy(() -> Membership.create(config(tls, "127.0.0.1")))
                .isExactlyInstanceOf(MembershipException.class)
                .hasMessageContaining(foreign.peerCert().toString())
                .hasMessageContaining("is not signed by the CA in " + cluster.caCert());
    }

    @Test
    void aServerOnlyCertificateIsRefused() {
        GossipTls tls = new GossipTls(cluster.serverCert(), cluster.serverKey(), cluster.caCert());

        assertThatThrownBy(() -> Membership.create(config(tls, "127.0.0.1")))
                .isExactlyInstanceOf(MembershipException.class)
                .hasMessageContaining(cluster.serverCert().toString())
                .hasMessageContaining("both TLS server and client authentication");
    }

    @Test
    void aCertificateThatDoesNotNameTheGossipHostIsRefused() {
        assertThatThrownBy(() -> Membership.create(config(peer(cluster), "192.0.2.77")))
                .isExactlyInstanceOf(MembershipException.class)
                .hasMessageContaining(cluster.peerCert().toString())
                .hasMessageContaining("does not name this node's gossip host 192.0.2.77")
                .hasMessageContaining("127.0.0.1");
    }

    @Test
    void membershipClosedBeforeStartDeletesItsStores() {
        Membership m = Membership.create(config(peer(cluster), "127.0.0.1"));
        Path dir = ((AtomixMembership) m).keyStoreDirectory().orElseThrow();
        assertThat(dir).isDirectory();

        m.close();

        assertThat(dir).doesNotExist();
    }
}
