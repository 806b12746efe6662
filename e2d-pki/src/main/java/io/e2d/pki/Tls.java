package io.e2d.pki;

import io.e2d.pki.internal.Keys;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * JDK TLS objects from PEM files, for clients of a mutual-TLS etcd: key managers that present a certificate,
 * trust managers that trust only the e2d CA. Hostname verification is left to the caller's TLS stack and is
 * never turned off here. Stateless and thread-safe.
 *
 * <pre>{@code
 * // JDK HttpClient
 * SSLContext ctx = Tls.clientContext(Path.of("client.crt"), Path.of("client.key"), Path.of("ca.crt"));
 * // netty / jetcd: SslContextBuilder.forClient().keyManager(Tls.keyManagers(cert, key))
 * //                                              .trustManager(Tls.trustManagers(ca))
 * }</pre>
 */
public final class Tls {
    private static final char[] NO_PASSWORD = new char[0];

    private Tls() {}

    /**
     * Checks that {@code keyFile} holds the private key of the first certificate of {@code certificateFile}.
     *
     * @throws PkiFileException if a file is missing or unreadable
     * @throws InvalidPemException if a file does not hold a valid certificate / key
     * @throws KeyMismatchException if the key belongs to another certificate
     */
    public static void checkKeyPair(Path certificateFile, Path keyFile) {
        X509Certificate cert = Pem.readCertificate(certificateFile);
        checkKeyPair(cert, Pem.readPrivateKey(keyFile), certificateFile, keyFile);
    }

    /**
     * Key managers presenting the certificate chain of {@code certificateFile} with the key of {@code keyFile}
     * (PKCS#1, PKCS#8 or SEC1).
     *
     * @throws PkiFileException if a file is missing or unreadable
     * @throws InvalidPemException if a file does not hold a valid certificate / key
     * @throws KeyMismatchException if the key belongs to another certificate
     */
    public static KeyManagerFactory keyManagers(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain = Pem.readCertificates(certificateFile);
        PrivateKey key = Pem.readPrivateKey(keyFile);
        checkKeyPair(chain.get(0), key, certificateFile, keyFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("e2d", key, NO_PASSWORD, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, NO_PASSWORD);
            return kmf;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new PkiException("cannot build key managers from " + certificateFile + " and " + keyFile, e);
        }
    }

    /**
     * Trust managers that trust exactly the certificates of {@code caFile} (not the JDK's default CAs).
     *
     * @throws PkiFileException if the file is missing or unreadable
     * @throws InvalidPemException if it holds no valid certificate
     */
    public static TrustManagerFactory trustManagers(Path caFile) {
        List<X509Certificate> cas = Pem.readCertificates(caFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new PkiException("cannot build trust managers from " + caFile, e);
        }
    }

    /**
     * A TLS client context presenting {@code certificateFile}/{@code keyFile} and trusting only {@code caFile}.
     *
     * @throws PkiException for any of the reasons of {@link #keyManagers} and {@link #trustManagers}
     */
    public static SSLContext clientContext(Path certificateFile, Path keyFile, Path caFile) {
        return clientContext(Optional.of(keyManagers(certificateFile, keyFile)), Optional.of(trustManagers(caFile)));
    }

    /**
     * A TLS client context from key and trust managers: no client certificate when {@code keys} is empty,
     * the JDK's default CAs when {@code trust} is empty (verification is never turned off).
     *
     * @throws PkiException if the JDK has no TLS context
     */
    public static SSLContext clientContext(Optional<KeyManagerFactory> keys, Optional<TrustManagerFactory> trust) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(
                    keys.map(KeyManagerFactory::getKeyManagers).orElse(null),
                    trust.map(TrustManagerFactory::getTrustManagers).orElse(null),
                    null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot build a TLS context", e);
        }
    }

    /** Throws {@link KeyMismatchException} unless {@code key} belongs to {@code cert}; paths may be null. */
    static void checkKeyPair(
            X509Certificate cert, PrivateKey key, @Nullable Path certificateFile, @Nullable Path keyFile) {
        String algorithm;
        try {
            algorithm = KeyType.ofAlgorithm(key.getAlgorithm()).signatureAlgorithm();
        } catch (PkiException e) {
            throw new InvalidPemException(keyFile, Pem.source(keyFile) + ": " + e.getMessage(), e);
        }
        if (!Keys.matches(cert.getPublicKey(), key, algorithm)) {
            throw new KeyMismatchException(
                    certificateFile,
                    keyFile,
                    "the private key " + (keyFile == null ? "" : keyFile + " ") + "does not match the certificate "
                            + (certificateFile == null ? "" : certificateFile + " ") + "(subject "
                            + cert.getSubjectX500Principal().getName()
                            + "): expected the key the certificate was made for; pass the matching pair");
        }
    }
}
