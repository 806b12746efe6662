package io.e2d.pki;

import io.e2d.pki.internal.AtomicFiles;
import io.e2d.pki.internal.Keys;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * A certificate authority: a self-signed CA certificate and its private key, which issues the server, peer
 * and client certificates of an etcd cluster ({@link CertificateProfile}). Immutable and thread-safe.
 *
 * <p>A generated CA follows Go e2d's cfssl profile: RSA-2048 (or ECDSA P-256), subject {@code O=e2d,
 * CN=e2d-ca}, key usage keyCertSign + cRLSign (critical), basicConstraints CA:TRUE (critical, no path length
 * limit), SKI = SHA-1 of the public key bits, 20-byte random serial, NotBefore = now rounded to the minute
 * minus 5 minutes, validity 43800 h. Issued certificates carry an AKI equal to the CA's SKI, and their issuer
 * name is copied from the CA certificate's encoded subject (so byte-exact chain matching works in Go and
 * OpenSSL).
 *
 * <pre>{@code
 * CertificateAuthority ca = CertificateAuthority.generate();
 * ca.write(Path.of("pki/ca.crt"), Path.of("pki/ca.key"), false);       // key 0600, refuses to overwrite
 * IssuedCertificate server = ca.issue(CertificateProfile.SERVER, Hosts.withDefaults(List.of("etcd-0")));
 * server.write(Path.of("pki/server.crt"), Path.of("pki/server.key"));
 * }</pre>
 */
public final class CertificateAuthority {
    private static final String ORGANIZATION = "e2d";

    private final X509Certificate certificate;
    private final KeyPair keyPair;
    private final KeyType keyType;
    private final PkiConfig config;

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, PkiConfig config) {
        this.certificate = certificate;
        this.keyPair = new KeyPair(certificate.getPublicKey(), privateKey);
        this.keyType = KeyType.ofAlgorithm(privateKey.getAlgorithm());
        this.config = config;
    }

    /** Generates a new CA with the defaults (RSA-2048, 43800 h). Blocks while the key is generated. */
    public static CertificateAuthority generate() {
        return generate(PkiConfig.defaults());
    }

    /** Generates a new CA: a fresh key of {@code config.keyType()} and a self-signed certificate. */
    public static CertificateAuthority generate(PkiConfig config) {
        Objects.requireNonNull(config, "config");
        KeyPair keyPair = newKeyPair(config.keyType(), config);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, ORGANIZATION)
                .addRDN(BCStyle.CN, config.caCommonName())
                .build();
        Instant now = config.clock().instant();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                subject,
                newSerial(config),
                notBefore(now, config),
                notAfter(now, config),
                subject,
                keyPair.getPublic());
        try {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(
                    Extension.subjectKeyIdentifier,
                    false,
                    extensionUtils().createSubjectKeyIdentifier(keyPair.getPublic()));
        } catch (CertIOException e) {
            throw new PkiException("cannot encode the CA certificate's extensions", e);
        }
        X509Certificate cert = sign(builder, keyPair.getPrivate(), config.keyType());
        return new CertificateAuthority(cert, keyPair.getPrivate(), config);
    }

    /**
     * Loads a CA from PEM files with the default config, except that issued certificates get keys of the CA's
     * own type (RSA-2048 for an RSA CA, P-256 for an EC CA).
     *
     * @throws PkiFileException if a file is missing or unreadable
     * @throws InvalidPemException if a file does not hold a valid certificate / key, or the certificate is not
     *     a CA certificate
     * @throws KeyMismatchException if the key does not belong to the certificate
     */
    public static CertificateAuthority load(Path certificateFile, Path keyFile) {
        X509Certificate cert = Pem.readCertificate(certificateFile);
        PrivateKey key = Pem.readPrivateKey(keyFile);
        PkiConfig config = PkiConfig.builder()
                .keyType(KeyType.ofAlgorithm(key.getAlgorithm()))
                .build();
        return of(cert, key, config, certificateFile, keyFile);
    }

    /**
     * Loads a CA from PEM files: the first certificate of {@code certificateFile} and the key of {@code
     * keyFile} (PKCS#1, PKCS#8 or SEC1).
     *
     * @throws PkiFileException if a file is missing or unreadable
     * @throws InvalidPemException if a file does not hold a valid certificate / key, or the certificate is not
     *     a CA certificate
     * @throws KeyMismatchException if the key does not belong to the certificate
     */
    public static CertificateAuthority load(Path certificateFile, Path keyFile, PkiConfig config) {
        X509Certificate cert = Pem.readCertificate(certificateFile);
        PrivateKey key = Pem.readPrivateKey(keyFile);
        return of(cert, key, config, certificateFile, keyFile);
    }

    /**
     * A CA from a certificate and its key already in memory.
     *
     * @throws InvalidPemException if the certificate is not a CA certificate
     * @throws KeyMismatchException if the key does not belong to the certificate
     */
    public static CertificateAuthority of(X509Certificate certificate, PrivateKey privateKey, PkiConfig config) {
        return of(certificate, privateKey, config, null, null);
    }

    private static CertificateAuthority of(
            X509Certificate cert,
            PrivateKey key,
            PkiConfig config,
            @Nullable Path certificateFile,
            @Nullable Path keyFile) {
        Objects.requireNonNull(cert, "certificate");
        Objects.requireNonNull(key, "privateKey");
        Objects.requireNonNull(config, "config");
        String certSource = certificateFile == null ? "the certificate" : certificateFile.toString();
        if (cert.getBasicConstraints() < 0) {
            throw new InvalidPemException(
                    certificateFile,
                    certSource + " is not a CA certificate (basicConstraints CA:FALSE, subject "
                            + cert.getSubjectX500Principal().getName() + "); pass the CA certificate (ca.crt),"
                            + " not a server/peer/client certificate");
        }
        boolean[] usage = cert.getKeyUsage();
        if (usage != null && !usage[5]) {
            throw new InvalidPemException(
                    certificateFile,
                    certSource + " may not sign certificates (key usage lacks keyCertSign); pass a CA certificate");
        }
        Tls.checkKeyPair(cert, key, certificateFile, keyFile);
        return new CertificateAuthority(cert, key, config);
    }

    /** The CA certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The type of the CA key. */
    public KeyType keyType() {
        return keyType;
    }

    /** The settings used to issue certificates. */
    public PkiConfig config() {
        return config;
    }

    /** This CA with other issuing settings (validity, key type of new leaves, clock). */
    public CertificateAuthority withConfig(PkiConfig newConfig) {
        return new CertificateAuthority(certificate, keyPair.getPrivate(), Objects.requireNonNull(newConfig));
    }

    /** The CA certificate as PEM. */
    public String certificatePem() {
        return Pem.certificatePem(certificate);
    }

    /**
     * The CA key in its traditional PEM format (PKCS#1 for RSA, as Go e2d writes it; SEC1 for EC). Secret:
     * never log it.
     */
    public String privateKeyPem() {
        return Pem.privateKeyPem(keyPair);
    }

    /**
     * Writes the certificate (mode 0644) and key (mode 0600) atomically, creating missing directories. Either
     * both files are written or neither.
     *
     * @param overwrite whether existing files may be replaced
     * @throws OverwriteRefusedException if a file exists and {@code overwrite} is false (nothing written)
     * @throws PkiFileException if a file cannot be written (nothing left behind)
     */
    public void write(Path certificateFile, Path keyFile, boolean overwrite) {
        AtomicFiles.writeAll(List.of(certificateEntry(certificateFile), keyEntry(keyFile)), overwrite);
    }

    AtomicFiles.Entry certificateEntry(Path file) {
        return AtomicFiles.Entry.publicPem(file, certificatePem());
    }

    AtomicFiles.Entry keyEntry(Path file) {
        return AtomicFiles.Entry.secretPem(file, privateKeyPem());
    }

    /**
     * Issues a certificate of {@code profile} for a fresh key of {@code config().keyType()}. The hosts are used
     * as given (normalised, de-duplicated); use {@link Hosts#withDefaults} to add loopback and the host
     * address. CLIENT certificates ignore the hosts. Blocks while the key is generated (RSA: ~0.1-1 s).
     *
     * @throws PkiException if a host is neither an IP address nor a DNS name
     */
    public IssuedCertificate issue(CertificateProfile profile, Collection<String> hosts) {
        return issue(profile, hosts, newKeyPair(config.keyType(), config));
    }

    /**
     * Issues a certificate of {@code profile} for an existing key pair (for example to renew a certificate
     * without changing its key).
     *
     * @throws PkiException if a host is neither an IP address nor a DNS name, or the key is not RSA or EC
     */
    public IssuedCertificate issue(CertificateProfile profile, Collection<String> hosts, KeyPair leafKeyPair) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(hosts, "hosts");
        Objects.requireNonNull(leafKeyPair, "leafKeyPair");
        KeyType leafType = KeyType.ofAlgorithm(leafKeyPair.getPublic().getAlgorithm());
        List<String> names = profile.hasSubjectAltNames() ? Hosts.normalize(hosts) : List.of();
        X500Name issuer =
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, ORGANIZATION)
                .addRDN(BCStyle.CN, profile.commonName())
                .build();
        Instant now = config.clock().instant();
        Date notAfter = notAfter(now, config);
        if (notAfter.after(certificate.getNotAfter())) {
            notAfter = certificate.getNotAfter();
        }
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                issuer, newSerial(config), notBefore(now, config), notAfter, subject, leafKeyPair.getPublic());
        int keyUsage = KeyUsage.digitalSignature | (leafType == KeyType.RSA_2048 ? KeyUsage.keyEncipherment : 0);
        List<KeyPurposeId> purposes = new ArrayList<>();
        for (CertificateProfile.ExtendedUsage u : profile.extendedUsages()) {
            purposes.add(
                    u == CertificateProfile.ExtendedUsage.SERVER_AUTH
                            ? KeyPurposeId.id_kp_serverAuth
                            : KeyPurposeId.id_kp_clientAuth);
        }
        try {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            builder.addExtension(
                    Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(
                    Extension.subjectKeyIdentifier,
                    false,
                    extensionUtils().createSubjectKeyIdentifier(leafKeyPair.getPublic()));
            builder.addExtension(
                    Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(caKeyIdentifier()));
            if (!names.isEmpty()) {
                GeneralName[] sans = names.stream()
                        .map(h -> Hosts.isIpAddress(h)
                                ? new GeneralName(GeneralName.iPAddress, h)
                                : new GeneralName(GeneralName.dNSName, h))
                        .toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            }
        } catch (CertIOException e) {
            throw new PkiException("cannot encode the extensions of the " + profile.fileName() + " certificate", e);
        }
        X509Certificate cert = sign(builder, keyPair.getPrivate(), keyType);
        return new IssuedCertificate(profile, cert, leafKeyPair);
    }

    private byte[] caKeyIdentifier() {
        byte[] ext = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ext != null) {
            return SubjectKeyIdentifier.getInstance(
                            ASN1OctetString.getInstance(ext).getOctets())
                    .getKeyIdentifier();
        }
        return extensionUtils()
                .createSubjectKeyIdentifier(certificate.getPublicKey())
                .getKeyIdentifier();
    }

    static KeyPair newKeyPair(KeyType type, PkiConfig config) {
        return switch (type) {
            case RSA_2048 -> Keys.rsa(2048, config.random());
            case ECDSA_P256 -> Keys.ec("secp256r1", config.random());
        };
    }

    /** 20 random bytes with the top bit cleared (positive, at most 159 bits), as cfssl. */
    private static BigInteger newSerial(PkiConfig config) {
        byte[] bytes = new byte[20];
        BigInteger serial;
        do {
            config.random().nextBytes(bytes);
            bytes[0] &= 0x7f;
            serial = new BigInteger(1, bytes);
        } while (serial.signum() == 0);
        return serial;
    }

    private static Instant roundedToMinute(Instant now) {
        return now.plusSeconds(30).truncatedTo(ChronoUnit.MINUTES);
    }

    private static Date notBefore(Instant now, PkiConfig config) {
        return Date.from(roundedToMinute(now).minus(config.backdate()));
    }

    private static Date notAfter(Instant now, PkiConfig config) {
        Duration validity = config.validity();
        return Date.from(roundedToMinute(now).plus(validity));
    }

    private static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (GeneralSecurityException e) {
            throw new PkiException("the JDK has no SHA-1 digest, needed for key identifiers", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey, KeyType type) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(type.signatureAlgorithm()).build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new PkiException("cannot sign a certificate with the " + type.cliName() + " CA key", e);
        }
    }

    /** The CA's public key (same as {@code certificate().getPublicKey()}). */
    public PublicKey publicKey() {
        return keyPair.getPublic();
    }
}
