package io.e2d.pki;

import io.e2d.pki.internal.AtomicFiles;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A certificate issued by a {@link CertificateAuthority} together with its key pair. Immutable and
 * thread-safe. {@link #toString()} never shows the key.
 *
 * <pre>{@code
 * IssuedCertificate client = ca.issue(CertificateProfile.CLIENT, List.of());
 * client.write(dir.resolve("client.crt"), dir.resolve("client.key"));
 * String pkcs8 = client.privateKeyPkcs8Pem(); // for netty / jetcd
 * }</pre>
 */
public final class IssuedCertificate {
    private final CertificateProfile profile;
    private final X509Certificate certificate;
    private final KeyPair keyPair;

    IssuedCertificate(CertificateProfile profile, X509Certificate certificate, KeyPair keyPair) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
    }

    /** The profile the certificate was issued with. */
    public CertificateProfile profile() {
        return profile;
    }

    /** The certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The certificate's key pair. Secret: never log the private key. */
    public KeyPair keyPair() {
        return keyPair;
    }

    /** The private key. Secret: never log it. */
    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    /** The certificate as PEM. */
    public String certificatePem() {
        return Pem.certificatePem(certificate);
    }

    /** The key as PKCS#1 (RSA) or SEC1 (EC) PEM, as Go e2d and etcd read it. */
    public String privateKeyPem() {
        return Pem.privateKeyPem(keyPair);
    }

    /** The key as PKCS#8 PEM ({@code PRIVATE KEY}), the only form netty (and so jetcd) reads. */
    public String privateKeyPkcs8Pem() {
        return Pem.pkcs8PrivateKeyPem(keyPair.getPrivate());
    }

    /**
     * Writes the certificate (0644) and the traditional-format key (0600) atomically, replacing existing
     * files; both or neither.
     *
     * @throws PkiFileException if a file cannot be written (nothing left behind)
     */
    public void write(Path certificateFile, Path keyFile) {
        AtomicFiles.writeAll(List.of(certificateEntry(certificateFile), keyEntry(keyFile)), true);
    }

    AtomicFiles.Entry certificateEntry(Path file) {
        return AtomicFiles.Entry.publicPem(file, certificatePem());
    }

    AtomicFiles.Entry keyEntry(Path file) {
        return AtomicFiles.Entry.secretPem(file, privateKeyPem());
    }

    AtomicFiles.Entry pkcs8KeyEntry(Path file) {
        return AtomicFiles.Entry.secretPem(file, privateKeyPkcs8Pem());
    }

    @Override
    public String toString() {
        return "IssuedCertificate{" + profile.fileName() + ", subject="
                + certificate.getSubjectX500Principal().getName() + ", serial="
                + certificate.getSerialNumber().toString(16) + ", notAfter="
                + certificate.getNotAfter().toInstant()
                + "}";
    }
}
