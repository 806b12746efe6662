package io.e2d.core.manager;

import io.e2d.core.server.TlsFiles;
import io.e2d.pki.CertificateAuthority;
import io.e2d.pki.KeyType;
import io.e2d.pki.LeafFiles;
import io.e2d.pki.Pki;
import io.e2d.pki.PkiConfig;
import io.e2d.pki.PkiFiles;
import io.e2d.pki.Tls;
import io.etcd.jetcd.ClientBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * The TLS material of a test cluster, from e2d-pki: one RSA CA ({@link Pki#generate}, as {@code e2d pki}
 * writes it: the snapshot key derives from its key) and server, peer and client certificates per node,
 * issued again on {@link #issue} (renewal).
 */
final class TestPki {
    /** Leaf keys on P-256: issuing RSA keys for every node and renewal costs seconds on a loaded machine. */
    private static final PkiConfig LEAVES =
            PkiConfig.builder().keyType(KeyType.ECDSA_P256).build();

    final PkiFiles files;
    /** The CA that {@link #issue} uses; {@link #issueFrom} switches it (CA rotation). */
    private volatile CertificateAuthority ca;

    private TestPki(PkiFiles files) {
        this.files = files;
        this.ca = CertificateAuthority.load(files.caCert(), files.caKey(), LEAVES);
    }

    static TestPki generate(Path dir) {
        return new TestPki(Pki.generate(dir, List.of()));
    }

    /**
     * Issues (or renews, replacing the files atomically) the certificates of {@code node}; its own CA file
     * ({@link #caFile}) starts as a copy of the test clients' CA file.
     */
    LeafFiles issue(String node) {
        Path nodeCa = caFile(node);
        if (!Files.exists(nodeCa)) {
            try {
                Files.copy(files.caCert(), nodeCa);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Pki.issueAll(ca, files.caCert().getParent(), node, List.of());
    }

    /** The CA file (trusted certificates) of {@code node}'s listeners, gossip and manager clients. */
    Path caFile(String node) {
        return files.caCert().resolveSibling(node + "-ca.crt");
    }

    /** The files of {@code node}'s client listener (client-cert-auth against its CA file). */
    TlsFiles server(String node, LeafFiles leaves) {
        return TlsFiles.of(leaves.serverCert(), leaves.serverKey(), caFile(node));
    }

    /** The files of {@code node}'s peer listener; also the manager's client certificate. */
    TlsFiles peer(String node, LeafFiles leaves) {
        return TlsFiles.of(leaves.peerCert(), leaves.peerKey(), caFile(node));
    }

    /** The CA in use now. */
    CertificateAuthority ca() {
        return ca;
    }

    /** A new RSA CA written to {@code dir} as {@code e2d pki init} does ({@code ca.crt}, {@code ca.key}). */
    static CertificateAuthority newCa(Path dir) {
        return Pki.initCa(dir.resolve(Pki.CA_CERT_FILE), dir.resolve(Pki.CA_KEY_FILE), PkiConfig.defaults(), false)
                .withConfig(LEAVES);
    }

    /** Replaces {@code file} atomically with the certificates of {@code cas}, in that order (a CA bundle). */
    static void writeTrust(Path file, CertificateAuthority... cas) {
        StringBuilder pem = new StringBuilder();
        for (CertificateAuthority c : cas) {
            pem.append(c.certificatePem());
        }
        try {
            Path tmp = Files.createTempFile(file.getParent(), ".ca-", ".tmp");
            Files.writeString(tmp, pem);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** From now on {@link #issue} uses {@code next}; the test clients' certificate is issued again by it. */
    void issueFrom(CertificateAuthority next) {
        ca = next;
        Pki.issueAll(next, files.caCert().getParent(), "", List.of());
    }

    /** Makes {@code b} a test client presenting the CA's client certificate. */
    ClientBuilder clientTls(ClientBuilder b) throws IOException {
        return b.sslContext((SslContextBuilder ssl) -> ssl.trustManager(Tls.trustManagers(files.caCert()))
                .keyManager(Tls.keyManagers(files.clientCert(), files.clientKey())));
    }

    /** The serial number of the certificate {@code url}'s listener serves now (a fresh TLS handshake). */
    BigInteger servedSerial(URI url) throws IOException {
        return served(url).getSerialNumber();
    }

    /** The certificate {@code url}'s listener serves now, to the test client certificate. */
    X509Certificate served(URI url) throws IOException {
        return handshake(url, files.clientCert(), files.clientKey(), files.caCert(), "TLSv1.3");
    }

    /**
     * A TLS handshake with {@code url} presenting {@code cert}/{@code key} and trusting {@code trust};
     * returns the server's certificate. With TLS 1.2 a refused client certificate fails the handshake
     * itself.
     */
    static X509Certificate handshake(URI url, Path cert, Path key, Path trust, String protocol) throws IOException {
        var context = Tls.clientContext(cert, key, trust);
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(url.getHost(), url.getPort())) {
            s.setSoTimeout(5_000);
            s.setEnabledProtocols(new String[] {protocol});
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    static BigInteger serial(Path certificateFile) throws IOException {
        try (InputStream in = Files.newInputStream(certificateFile)) {
            return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in))
                    .getSerialNumber();
        } catch (CertificateException e) {
            throw new IOException("cannot read " + certificateFile + ": " + e.getMessage(), e);
        }
    }
}
