package io.e2d.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.testkit.FreePorts;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real etcd 3.4 process serving https on both listeners with client certificates required, using a PKI made
 * by {@link Pki#generate}: jetcd and etcdctl with the right certificates read and write; no certificate, a
 * certificate from another CA, or a server-only certificate are refused.
 */
// Generous bounds: CI machines can be heavily loaded (RSA key generation, etcd start).
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MutualTlsEtcdIT {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path tmp;

    private static PkiFiles pki;
    private static PkiFiles otherPki;
    private static Process etcd;
    private static Path etcdLog;
    private static String endpoint;

    @BeforeAll
    static void startEtcd() throws Exception {
        pki = Pki.generate(tmp.resolve("pki"), List.of()); // the default: RSA-2048, as e2d pki writes it
        otherPki = Pki.generate(
                tmp.resolve("other"),
                List.of(),
                PkiConfig.builder().keyType(KeyType.ECDSA_P256).build());
        int clientPort = FreePorts.tcp();
        int peerPort = FreePorts.tcp();
        endpoint = "https://127.0.0.1:" + clientPort;
        String peerUrl = "https://127.0.0.1:" + peerPort;
        etcdLog = tmp.resolve("etcd.log");
        List<String> cmd = List.of(
                "etcd",
                "--name=pki-it",
                "--data-dir=" + tmp.resolve("data"),
                "--listen-client-urls=" + endpoint,
                "--advertise-client-urls=" + endpoint,
                "--listen-peer-urls=" + peerUrl,
                "--initial-advertise-peer-urls=" + peerUrl,
                "--initial-cluster=pki-it=" + peerUrl,
                "--initial-cluster-state=new",
                "--heartbeat-interval=10",
                "--election-timeout=100",
                "--cert-file=" + pki.serverCert(),
                "--key-file=" + pki.serverKey(),
                "--trusted-ca-file=" + pki.caCert(),
                "--client-cert-auth",
                "--peer-cert-file=" + pki.peerCert(),
                "--peer-key-file=" + pki.peerKey(),
                "--peer-trusted-ca-file=" + pki.caCert(),
                "--peer-client-cert-auth");
        etcd = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(etcdLog.toFile())
                .start();
        HttpClient health = HttpClient.newBuilder()
                .sslContext(Tls.clientContext(pki.clientCert(), pki.clientKey(), pki.caCert()))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        try {
            Awaitility.await("etcd /health over mutual TLS")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions()
                    .until(() -> {
                        assertThat(etcd.isAlive()).as("etcd is running").isTrue();
                        return get(health, "/health").contains("\"health\":\"true\"");
                    });
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("etcd did not become healthy; its log:\n" + Files.readString(etcdLog), e);
        }
    }

    @AfterAll
    static void stopEtcd() throws InterruptedException {
        if (etcd != null) {
            etcd.destroy();
            if (!etcd.waitFor(10, TimeUnit.SECONDS)) {
                etcd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void jetcdWithTheClientCertificateWritesAndEtcdctlReadsBack() throws Exception {
        try (Client client = Client.builder()
                .endpoints(endpoint)
                .sslContext(b -> b.keyManager(
                                pki.clientCert().toFile(), pki.clientKeyPkcs8().toFile())
                        .trustManager(pki.caCert().toFile()))
                .build()) {
            KV kv = client.getKVClient();
            kv.put(bytes("/pki-it/from-jetcd"), bytes("hello over mTLS"))
                    .get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            TestPki.Result get = etcdctl(pki.clientCert(), pki.clientKey(), pki.caCert(), "get", "/pki-it/from-jetcd");
            assertThat(get.exitCode()).as(get.output()).isZero();
            assertThat(get.output()).isEqualTo("/pki-it/from-jetcd\nhello over mTLS\n");

            TestPki.Result put =
                    etcdctl(pki.clientCert(), pki.clientKey(), pki.caCert(), "put", "/pki-it/from-etcdctl", "v2");
            assertThat(put.exitCode()).as(put.output()).isZero();
            GetResponse read = kv.get(bytes("/pki-it/from-etcdctl")).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(read.getKvs()).hasSize(1);
            assertThat(read.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8))
                    .isEqualTo("v2");
        }
    }

    @Test
    void thePeerCertificateAndItsPkcs1KeyServeAsAClientCertificateThroughTls() throws Exception {
        // e2d's own clients use the peer certificate; netty cannot read PKCS#1, Tls.keyManagers can.
        try (Client client = Client.builder()
                .endpoints(endpoint)
                .sslContext(b -> b.keyManager(Tls.keyManagers(pki.peerCert(), pki.peerKey()))
                        .trustManager(Tls.trustManagers(pki.caCert())))
                .build()) {
            client.getKVClient()
                    .put(bytes("/pki-it/peer"), bytes("as client"))
                    .get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        TestPki.Result get =
                etcdctl(pki.peerCert(), pki.peerKey(), pki.caCert(), "get", "--print-value-only", "/pki-it/peer");
        assertThat(get.exitCode()).as(get.output()).isZero();
        assertThat(get.output()).isEqualTo("as client\n");
    }

    @Test
    void withoutAClientCertificateTheConnectionIsRefused() throws Exception {
        TestPki.Result r = etcdctl(null, null, pki.caCert(), "put", "/pki-it/anonymous", "x");
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        awaitRejectionLogged("didn't provide a certificate");

        HttpClient anonymous =
                HttpClient.newBuilder().sslContext(trustOnly(pki.caCert())).build();
        assertThatThrownBy(() -> get(anonymous, "/health")).isInstanceOf(IOException.class);

        try (Client client = Client.builder()
                .endpoints(endpoint)
                .sslContext(b -> b.trustManager(pki.caCert().toFile()))
                .build()) {
            assertThatThrownBy(() -> client.getKVClient()
                            .put(bytes("/pki-it/anonymous"), bytes("x"))
                            .get(5, TimeUnit.SECONDS))
                    .isInstanceOfAny(ExecutionException.class, TimeoutException.class);
        }
        assertNotWritten("/pki-it/anonymous");
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefused() throws Exception {
        TestPki.Result r =
                etcdctl(otherPki.clientCert(), otherPki.clientKey(), pki.caCert(), "put", "/pki-it/other-ca", "x");
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        awaitRejectionLogged("certificate signed by unknown authority");
        assertThat(r.output()).containsAnyOf("bad certificate", "certificate", "deadline exceeded");

        HttpClient other = HttpClient.newBuilder()
                .sslContext(Tls.clientContext(otherPki.clientCert(), otherPki.clientKey(), pki.caCert()))
                .build();
        assertThatThrownBy(() -> get(other, "/health")).isInstanceOf(IOException.class);
        assertNotWritten("/pki-it/other-ca");
    }

    @Test
    void aServerOnlyCertificateIsNotAcceptedAsAClientCertificate() throws Exception {
        TestPki.Result r =
                etcdctl(pki.serverCert(), pki.serverKey(), pki.caCert(), "put", "/pki-it/server-as-client", "x");
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        awaitRejectionLogged("incompatible key usage");
        assertNotWritten("/pki-it/server-as-client");
    }

    @Test
    void clientsRefuseAnEtcdWhoseCertificateIsFromAnotherCa() {
        HttpClient distrustful = HttpClient.newBuilder()
                .sslContext(Tls.clientContext(pki.clientCert(), pki.clientKey(), otherPki.caCert()))
                .build();
        assertThatThrownBy(() -> get(distrustful, "/health"))
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(causes(e)).anyMatch(c -> c instanceof javax.net.ssl.SSLHandshakeException));
    }

    /** etcd logs every refused TLS handshake: "rejected connection from ... (error ..." */
    private static void awaitRejectionLogged(String errorFragment) {
        Awaitility.await("etcd logs a rejected connection: " + errorFragment)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(Files.readString(etcdLog))
                        .contains("rejected connection from")
                        .contains(errorFragment));
    }

    private static void assertNotWritten(String key) {
        TestPki.Result check = etcdctl(pki.clientCert(), pki.clientKey(), pki.caCert(), "get", "-w", "fields", key);
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("\"Count\" : 0");
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> all = new ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.add(c);
        }
        return all;
    }

    private static String get(HttpClient http, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(endpoint + path))
                        .timeout(Duration.ofSeconds(15))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static SSLContext trustOnly(Path caFile) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, Tls.trustManagers(caFile).getTrustManagers(), null);
        return ctx;
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static TestPki.Result etcdctl(
            @org.jspecify.annotations.Nullable Path cert,
            @org.jspecify.annotations.Nullable Path key,
            Path ca,
            String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                "etcdctl", "--endpoints=" + endpoint, "--dial-timeout=2s", "--command-timeout=3s", "--cacert=" + ca));
        if (cert != null && key != null) {
            cmd.add("--cert=" + cert);
            cmd.add("--key=" + key);
        }
        cmd.addAll(List.of(args));
        return TestPki.run(cmd, Map.of("ETCDCTL_API", "3"));
    }
}
