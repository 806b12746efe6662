package io.e2d.discovery.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.e2d.discovery.PeerAddress;
import io.e2d.pki.KeyType;
import io.e2d.pki.Pem;
import io.e2d.pki.Pki;
import io.e2d.pki.PkiConfig;
import io.e2d.pki.PkiFiles;
import io.e2d.pki.Tls;
import io.e2d.testkit.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gossip over mutual TLS (certificates from {@link Pki#generate}): members with a certificate from the
 * cluster CA see each other and report a kill -9; a node with another CA's certificate or without TLS cannot
 * even open a connection, although it has the metadata key; a member restarted at its address hears its peers
 * again although a connection to it was cut before its handshake.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GossipTlsIT {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;

    private static PkiFiles cluster;
    private static PkiFiles foreign;

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void pki() {
        PkiConfig fast = PkiConfig.builder().keyType(KeyType.ECDSA_P256).build();
        cluster = Pki.generate(tmp.resolve("cluster"), List.of(), fast);
        foreign = Pki.generate(tmp.resolve("foreign"), List.of(), fast);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private static GossipTls peerTls(PkiFiles p) {
        return new GossipTls(p.peerCert(), p.peerKey(), p.caCert());
    }

    private AtomixMembership node(String name, @Nullable GossipTls tls, Membership... seeds) {
        return node(name, FreePorts.tcpAndUdp(), tls, MembershipConfig.DEFAULT_FAILURE_TIMEOUT, seeds);
    }

    private AtomixMembership node(
            String name, int port, @Nullable GossipTls tls, Duration failureTimeout, Membership... seeds) {
        Membership m = Membership.create(MembershipConfig.builder()
                .name(name)
                .gossipAddress(new PeerAddress("127.0.0.1", port))
                .clientUrl("https://127.0.0.1:" + port + "/client")
                .peerUrl("https://127.0.0.1:" + port + "/peer")
                .requiredClusterSize(3)
                .version("test")
                .seeds(List.of(seeds).stream().map(GossipTlsIT::addr).toList())
                .authenticationKey(KEY)
                .tls(tls)
                // Admission, not detection speed, is tested here: fewer handshakes (atomix opens a connection
                // per probe) and a long silence budget keep five TLS nodes in one JVM steady on a loaded machine.
                .probeInterval(Duration.ofSeconds(1))
                .silenceTimeout(Duration.ofSeconds(30))
                .failureTimeout(failureTimeout)
                .build());
        open.add(m);
        m.start();
        return (AtomixMembership) m;
    }

    private static PeerAddress addr(Membership m) {
        return PeerAddress.parse(m.local().gossipAddress(), 1);
    }

    private static List<String> names(Membership m) {
        return m.members().stream().map(GossipMember::name).toList();
    }

    @Test
    void threeMembersInSeparateJvmsSeeEachOtherAndReportAKill() {
        int[] ports = {FreePorts.tcpAndUdp(), FreePorts.tcpAndUdp(), FreePorts.tcpAndUdp()};
        String seeds = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
        String tls = cluster.peerCert() + "," + cluster.peerKey() + "," + cluster.caCert();
        List<GossipProcess> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            GossipProcess p = new GossipProcess(
                    "tls-" + (i + 1), ports[i], seeds, HexFormat.of().formatHex(KEY), "-", "-", tls);
            open.add(p);
            nodes.add(p);
        }
        nodes.forEach(GossipProcess::awaitStarted);
        for (GossipProcess o : nodes) {
            await(o.name + " sees all three over TLS").atMost(WAIT).until(() -> {
                o.send("members");
                String members = o.members();
                return nodes.stream().allMatch(p -> members.contains(p.name + "=UNKNOWN@http://127.0.0.1:"));
            });
        }

        GossipProcess victim = nodes.get(2);
        long killedAt = System.currentTimeMillis();
        victim.kill();
        List<String> times = new ArrayList<>();
        for (GossipProcess o : nodes.subList(0, 2)) {
            await(o.name + " reports " + victim.name + " gone")
                    .atMost(WAIT)
                    .until(() -> o.eventTime("LEAVE", victim.name, killedAt).isPresent());
            long leave = o.eventTime("LEAVE", victim.name, killedAt).orElseThrow() - killedAt;
            times.add(String.format(Locale.ROOT, "%.2f", leave / 1000.0));
            o.send("members");
            await().atMost(WAIT).until(() -> {
                o.send("members");
                return !o.members().contains(victim.name + "=");
            });
        }
        System.out.println("gossip detection (3 members, mutual TLS, defaults): removed seconds per observer after"
                + " kill -9: " + String.join(" ", times));
    }

    @Test
    void nodesWithoutAClusterCertificateCannotJoinEvenWithTheMetadataKey() {
        AtomixMembership a = node("a", peerTls(cluster));
        AtomixMembership b = node("b", peerTls(cluster), a);
        AtomixMembership c = node("c", peerTls(cluster), b);
        for (AtomixMembership m : List.of(a, b, c)) {
            await().atMost(WAIT).until(() -> names(m).equals(List.of("a", "b", "c")));
        }
        List<String> joins = new CopyOnWriteArrayList<>();
        for (AtomixMembership m : List.of(a, b, c)) {
            m.addListener(new MembershipListener() {
                @Override
                public void onJoin(GossipMember member) {
                    joins.add(m.local().name() + " saw " + member.name());
                }
            });
        }
        // The stores atomix read at start are gone from disk.
        assertThat(a.keyStoreDirectory()).hasValueSatisfying(d -> assertThat(d).doesNotExist());

        // Same metadata key as the cluster: only TLS keeps these two out.
        AtomixMembership otherCa = node("other-ca", peerTls(foreign), a, b);
        node("plain", null, a, c);

        // Several probe and heartbeat rounds: neither side ever counts the other.
        await().during(Duration.ofSeconds(4))
                .atMost(WAIT)
                .until(() -> List.of(a, b, c).stream().allMatch(m -> names(m).equals(List.of("a", "b", "c")))
                        && names(otherCa).equals(List.of("other-ca")));
        assertThat(joins).isEmpty();
        // Refused at the TLS handshake, not for their metadata (which verifies).
        assertThat(a.rejectedIds()).isEmpty();
    }

    @Test
    void aMemberRestartedAtTheSameAddressHearsUsAgainAfterAConnectionToItWasCutBeforeItsHandshake() throws Exception {
        // a keeps b, once suspected, as a SWIM member for a minute, and so keeps sending it heartbeats
        AtomixMembership a = node("a", FreePorts.tcpAndUdp(), peerTls(cluster), Duration.ofSeconds(60));
        int port = FreePorts.tcpAndUdp();
        AtomixMembership b = node("b", port, peerTls(cluster), MembershipConfig.DEFAULT_FAILURE_TIMEOUT, a);
        for (AtomixMembership m : List.of(a, b)) {
            await().atMost(WAIT).until(() -> names(m).equals(List.of("a", "b")));
        }
        b.close();
        // Meanwhile b's port accepts connections and closes them before answering the TLS handshake (as a
        // node closing its gossip can): a's next heartbeat to b opens one of them, and atomix 3.1.12 then waits
        // for that pooled connection for good (CaRotationIT failed so once).
        AtomicInteger cut = new AtomicInteger();
        try (ServerSocket closing = new ServerSocket()) {
            closing.setReuseAddress(true);
            closing.bind(new InetSocketAddress("127.0.0.1", port));
            Thread acceptor = new Thread(() -> {
                while (!closing.isClosed()) {
                    try (Socket s = closing.accept()) {
                        s.setSoTimeout(3_000);
                        s.shutdownOutput();
                        s.getInputStream().readAllBytes(); // until the dialler closes too: no reset, a clean close
                        cut.incrementAndGet();
                    } catch (IOException e) {
                        // closed, or the dialler did not close in time
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            // a probe and a heartbeat per second
            await().atMost(WAIT).until(() -> cut.get() >= 4);
        }
        // b again, same name and address: it counts a once a heartbeat of a arrives over TLS
        AtomixMembership again = node("b", port, peerTls(cluster), MembershipConfig.DEFAULT_FAILURE_TIMEOUT, a);
        await("b, restarted, sees a").atMost(Duration.ofSeconds(20)).until(() -> names(again)
                .equals(List.of("a", "b")));
        await("a sees b again").atMost(WAIT).until(() -> a.members().stream()
                .anyMatch(p -> p.name().equals("b") && p.reachable()));
    }

    @Test
    void theGossipPortRefusesConnectionsWithoutAClusterCertificate() throws Exception {
        AtomixMembership a = node("a", peerTls(cluster));
        PeerAddress at = addr(a);

        // Control: a cluster certificate completes the handshake, and the server presents the peer certificate.
        try (SSLSocket s = connect(Tls.clientContext(cluster.peerCert(), cluster.peerKey(), cluster.caCert()), at)) {
            s.startHandshake();
            Certificate[] server = s.getSession().getPeerCertificates();
            assertThat(server[0]).isEqualTo(Pem.readCertificate(cluster.peerCert()));
        }
        // Another CA's certificate, and no certificate at all: the server ends the handshake.
        SSLContext foreignCert = Tls.clientContext(foreign.peerCert(), foreign.peerKey(), cluster.caCert());
        SSLContext noCert = SSLContext.getInstance("TLS");
        noCert.init(null, Tls.trustManagers(cluster.caCert()).getTrustManagers(), null);
        for (SSLContext refused : List.of(foreignCert, noCert)) {
            try (SSLSocket s = connect(refused, at)) {
                assertThatThrownBy(() -> {
                            s.startHandshake();
                            // TLS 1.3 reports a refused client certificate after the client's Finished message.
                            s.getOutputStream().write(1);
                            s.getOutputStream().flush();
                            s.getInputStream().read();
                        })
                        // an alert (SSLException), or a reset when the alert races the client's write
                        .isInstanceOf(IOException.class)
                        .isNotInstanceOf(SocketTimeoutException.class);
            }
        }
        // Plain TCP (what a node without TLS sends): the connection is closed without an answer.
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(at.host(), at.port()), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("not a TLS record, an atomix preamble".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(readOrClosed(s.getInputStream())).isEqualTo(-1);
        }
    }

    private static SSLSocket connect(SSLContext ctx, PeerAddress at) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress(at.host(), at.port()), 5_000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** The first byte answered, -1 when the peer closed or reset the connection, -2 when it kept silent. */
    private static int readOrClosed(InputStream in) {
        try {
            return in.read();
        } catch (SocketTimeoutException silent) {
            return -2;
        } catch (IOException closed) {
            return -1;
        }
    }
}
