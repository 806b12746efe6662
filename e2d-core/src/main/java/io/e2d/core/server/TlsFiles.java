package io.e2d.core.server;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * PEM files for one etcd listener (client or peer): the certificate (chain) and its private key, and
 * optionally the CA that must have signed the other side's certificate. When a CA is given, etcd
 * requires and verifies certificates from the other side (client-cert-auth).
 *
 * <p>{@code new TlsFiles(Path.of("server.crt"), Path.of("server.key"), Optional.of(Path.of("ca.crt")))}
 */
public record TlsFiles(Path cert, Path key, Optional<Path> ca) {
    public TlsFiles {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ca, "ca");
    }

    /** TLS files with a CA: the other side must present a certificate signed by {@code ca}. */
    public static TlsFiles of(Path cert, Path key, Path ca) {
        return new TlsFiles(cert, key, Optional.of(ca));
    }

    /** TLS files without a CA: the other side is not asked for a certificate. */
    public static TlsFiles of(Path cert, Path key) {
        return new TlsFiles(cert, key, Optional.empty());
    }

    /** Whether the other side must present a certificate signed by {@link #ca()}. */
    public boolean isCertAuth() {
        return ca.isPresent();
    }
}
