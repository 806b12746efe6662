package io.e2d.pki;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where {@link Pki#issueAll} wrote the server, peer and client certificates and keys of one node. Keys are
 * PKCS#1 (RSA) or SEC1 (EC) PEM, mode 0600; certificates PEM, mode 0644; {@link #clientKeyPkcs8} holds the
 * client key again as PKCS#8 for netty/jetcd.
 *
 * @param serverCert {@code [prefix-]server.crt}
 * @param serverKey {@code [prefix-]server.key}
 * @param peerCert {@code [prefix-]peer.crt}
 * @param peerKey {@code [prefix-]peer.key}
 * @param clientCert {@code [prefix-]client.crt}
 * @param clientKey {@code [prefix-]client.key}
 * @param clientKeyPkcs8 {@code [prefix-]client.pkcs8.key}
 */
public record LeafFiles(
        Path serverCert,
        Path serverKey,
        Path peerCert,
        Path peerKey,
        Path clientCert,
        Path clientKey,
        Path clientKeyPkcs8) {

    /** Validates. */
    public LeafFiles {
        Objects.requireNonNull(serverCert, "serverCert");
        Objects.requireNonNull(serverKey, "serverKey");
        Objects.requireNonNull(peerCert, "peerCert");
        Objects.requireNonNull(peerKey, "peerKey");
        Objects.requireNonNull(clientCert, "clientCert");
        Objects.requireNonNull(clientKey, "clientKey");
        Objects.requireNonNull(clientKeyPkcs8, "clientKeyPkcs8");
    }

    /**
     * The standard file names in {@code dir}, each prefixed with {@code prefix + "-"} unless the prefix is
     * empty.
     *
     * @throws PkiException if the prefix contains a path separator or is otherwise unusable in a file name
     */
    public static LeafFiles in(Path dir, String prefix) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(prefix, "prefix");
        String p = prefix.strip();
        if (!p.isEmpty() && !p.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new PkiException("name prefix must be letters, digits, '.', '_' or '-' (starting with a letter or"
                    + " digit), got '" + prefix + "'; for example --name node1");
        }
        String pre = p.isEmpty() ? "" : p + "-";
        return new LeafFiles(
                dir.resolve(pre + "server.crt"),
                dir.resolve(pre + "server.key"),
                dir.resolve(pre + "peer.crt"),
                dir.resolve(pre + "peer.key"),
                dir.resolve(pre + "client.crt"),
                dir.resolve(pre + "client.key"),
                dir.resolve(pre + "client.pkcs8.key"));
    }

    /** Every path, certificates and keys, in declaration order. */
    public List<Path> all() {
        return List.of(serverCert, serverKey, peerCert, peerKey, clientCert, clientKey, clientKeyPkcs8);
    }
}
