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
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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
    final PkiFiles files;
    private final CertificateAuthority ca;

    private TestPki(PkiFiles files) {
        this.files = files;
        // leaf keys on P-256: issuing RSA keys for every node and renewal costs seconds on a loaded machine
        this.ca = CertificateAuthority.load(
                files.caCert(),
                files.caKey(),
                PkiConfig.builder().keyType(KeyType.ECDSA_P256).build());
    }

    static TestPki generate(Path dir) {
        return new TestPki(Pki.generate(dir, List.of()));
    }

    /** Issues (or renews, replacing the files atomically) the certificates of {@code node}. */
    LeafFiles issue(String node) {
        return Pki.issueAll(ca, files.caCert().getParent(), node, List.of());
    }

    /** The files of {@code node}'s client listener (client-cert-auth against the CA). */
    TlsFiles server(LeafFiles leaves) {
        return TlsFiles.of(leaves.serverCert(), leaves.serverKey(), files.caCert());
    }

    /** The files of {@code node}'s peer listener; also the manager's client certificate. */
    TlsFiles peer(LeafFiles leaves) {
        return TlsFiles.of(leaves.peerCert(), leaves.peerKey(), files.caCert());
    }

    /** Makes {@code b} a test client presenting the CA's client certificate. */
    ClientBuilder clientTls(ClientBuilder b) throws IOException {
        return b.sslContext((SslContextBuilder ssl) -> ssl.trustManager(Tls.trustManagers(files.caCert()))
                .keyManager(Tls.keyManagers(files.clientCert(), files.clientKey())));
    }

    /** The serial number of the certificate {@code url}'s listener serves now (a fresh TLS handshake). */
    BigInteger servedSerial(URI url) throws IOException {
        var context = Tls.clientContext(files.clientCert(), files.clientKey(), files.caCert());
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(url.getHost(), url.getPort())) {
            s.setSoTimeout(5_000);
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
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
