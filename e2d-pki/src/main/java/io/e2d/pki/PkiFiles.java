package io.e2d.pki;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where {@link Pki#generate} wrote a whole PKI: the CA and one node's server, peer and client certificates.
 *
 * <pre>{@code
 * PkiFiles pki = Pki.generate(tempDir, List.of());
 * // etcd --trusted-ca-file pki.caCert() --cert-file pki.serverCert() --key-file pki.serverKey() ...
 * }</pre>
 *
 * @param caCert {@code ca.crt} (0644)
 * @param caKey {@code ca.key} (0600, PKCS#1 for RSA)
 * @param leaves the server, peer and client files
 */
public record PkiFiles(Path caCert, Path caKey, LeafFiles leaves) {
    /** Validates. */
    public PkiFiles {
        Objects.requireNonNull(caCert, "caCert");
        Objects.requireNonNull(caKey, "caKey");
        Objects.requireNonNull(leaves, "leaves");
    }

    /** {@code server.crt}. */
    public Path serverCert() {
        return leaves.serverCert();
    }

    /** {@code server.key} (0600). */
    public Path serverKey() {
        return leaves.serverKey();
    }

    /** {@code peer.crt}. */
    public Path peerCert() {
        return leaves.peerCert();
    }

    /** {@code peer.key} (0600). */
    public Path peerKey() {
        return leaves.peerKey();
    }

    /** {@code client.crt}. */
    public Path clientCert() {
        return leaves.clientCert();
    }

    /** {@code client.key} (0600). */
    public Path clientKey() {
        return leaves.clientKey();
    }

    /** {@code client.pkcs8.key} (0600): the client key as PKCS#8, for netty/jetcd. */
    public Path clientKeyPkcs8() {
        return leaves.clientKeyPkcs8();
    }

    /** Every path: the CA's, then the leaves'. */
    public List<Path> all() {
        List<Path> all = new ArrayList<>(List.of(caCert, caKey));
        all.addAll(leaves.all());
        return List.copyOf(all);
    }
}
