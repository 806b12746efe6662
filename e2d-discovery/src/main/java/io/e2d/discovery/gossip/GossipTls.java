package io.e2d.discovery.gossip;

import java.nio.file.Path;
import java.util.Objects;

/**
 * PEM files that turn on mutual TLS for the gossip TCP channel: this node's certificate (chain) and private
 * key, and the cluster CA. Every node presents its certificate and accepts only peers whose certificate the
 * CA signed; a node without one cannot open a connection (see the module README for what still travels
 * unencrypted). e2d uses the etcd peer certificate ({@code --peer-cert}, {@code --peer-key}) and {@code
 * --ca-cert}, as written by {@code e2d pki gencerts}.
 *
 * <p>The certificate must be usable for both TLS server and client authentication (e2d's peer certificates
 * are) and must name the host of this node's advertised gossip address: peers verify it as a server name.
 *
 * @param certificateFile PEM certificate, leaf first
 * @param keyFile PEM private key of the leaf (PKCS#1, PKCS#8 or SEC1, unencrypted)
 * @param caFile PEM certificate(s) of the CA that signs every node's certificate
 */
public record GossipTls(Path certificateFile, Path keyFile, Path caFile) {
    /** Validates that no path is null. */
    public GossipTls {
        Objects.requireNonNull(certificateFile, "certificateFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(caFile, "caFile");
    }
}
