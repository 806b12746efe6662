package io.e2d.pki;

import io.e2d.pki.internal.DistinguishedNames;
import io.e2d.pki.internal.EncodingException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;

/**
 * What a certificate says, in readable form: what {@code e2d pki show} prints. Immutable.
 *
 * <pre>{@code
 * CertificateInfo info = CertificateInfo.of(Pem.readCertificate(Path.of("server.crt")));
 * if (info.expiresWithin(CertificateInfo.EXPIRY_WARNING, Clock.systemUTC())) { ... }
 * }</pre>
 *
 * @param subject the subject DN in encoded order, e.g. {@code O=e2d,CN=etcd server}
 * @param issuer the issuer DN in encoded order
 * @param serialNumber the serial number in lower-case hex
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param subjectAltNames SANs as {@code DNS:name} / {@code IP:address} (others as {@code type:value})
 * @param keyUsages key usages by their RFC 5280 names (digitalSignature, keyEncipherment, keyCertSign...)
 * @param extendedKeyUsages extended key usages (serverAuth, clientAuth, or the OID)
 * @param isCa whether basicConstraints says CA:TRUE
 * @param publicKey the key algorithm and size, e.g. {@code RSA 2048} or {@code EC 256}
 * @param sha256Fingerprint SHA-256 of the DER certificate, colon-separated upper-case hex
 */
public record CertificateInfo(
        String subject,
        String issuer,
        String serialNumber,
        Instant notBefore,
        Instant notAfter,
        List<String> subjectAltNames,
        List<String> keyUsages,
        List<String> extendedKeyUsages,
        boolean isCa,
        String publicKey,
        String sha256Fingerprint) {

    /** Certificates expiring within this time are flagged: 30 days. */
    public static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private static final String[] KEY_USAGE_NAMES = {
        "digitalSignature",
        "nonRepudiation",
        "keyEncipherment",
        "dataEncipherment",
        "keyAgreement",
        "keyCertSign",
        "cRLSign",
        "encipherOnly",
        "decipherOnly"
    };

    /** Validates and copies the lists. */
    public CertificateInfo {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        subjectAltNames = List.copyOf(subjectAltNames);
        keyUsages = List.copyOf(keyUsages);
        extendedKeyUsages = List.copyOf(extendedKeyUsages);
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(sha256Fingerprint, "sha256Fingerprint");
    }

    /** Describes {@code certificate}. */
    public static CertificateInfo of(X509Certificate certificate) {
        List<String> sans = new ArrayList<>();
        try {
            Collection<List<?>> alt = certificate.getSubjectAlternativeNames();
            if (alt != null) {
                for (List<?> entry : alt) {
                    sans.add(describeSan((Integer) entry.get(0), entry.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            sans.add("(unparseable: " + e.getMessage() + ")");
        }
        List<String> usages = new ArrayList<>();
        boolean[] ku = certificate.getKeyUsage();
        if (ku != null) {
            for (int i = 0; i < ku.length && i < KEY_USAGE_NAMES.length; i++) {
                if (ku[i]) {
                    usages.add(KEY_USAGE_NAMES[i]);
                }
            }
        }
        List<String> eku = new ArrayList<>();
        try {
            List<String> oids = certificate.getExtendedKeyUsage();
            if (oids != null) {
                for (String oid : oids) {
                    eku.add(
                            switch (oid) {
                                case "1.3.6.1.5.5.7.3.1" -> "serverAuth";
                                case "1.3.6.1.5.5.7.3.2" -> "clientAuth";
                                default -> oid;
                            });
                }
            }
        } catch (CertificateParsingException e) {
            eku.add("(unparseable: " + e.getMessage() + ")");
        }
        String key = certificate.getPublicKey().getAlgorithm();
        if (certificate.getPublicKey() instanceof RSAKey rsa) {
            key += " " + rsa.getModulus().bitLength();
        } else if (certificate.getPublicKey() instanceof ECKey ec) {
            key += " " + ec.getParams().getOrder().bitLength();
        }
        return new CertificateInfo(
                name(certificate.getSubjectX500Principal()),
                name(certificate.getIssuerX500Principal()),
                certificate.getSerialNumber().toString(16),
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(),
                sans,
                usages,
                eku,
                certificate.getBasicConstraints() >= 0,
                key,
                fingerprint(certificate));
    }

    /** Whole days from now until {@link #notAfter} (negative once expired). */
    public long daysLeft(Clock clock) {
        return Duration.between(clock.instant(), notAfter).toDays();
    }

    /** Whether the certificate has expired or expires within {@code window}. */
    public boolean expiresWithin(Duration window, Clock clock) {
        return !clock.instant().plus(window).isBefore(notAfter);
    }

    /** Whether the certificate is valid at the clock's current instant. */
    public boolean isValidAt(Clock clock) {
        Instant now = clock.instant();
        return !now.isBefore(notBefore) && !now.isAfter(notAfter);
    }

    /** The name in encoded order, as OpenSSL prints it (the JDK's getName() reverses it). */
    private static String name(X500Principal principal) {
        try {
            return DistinguishedNames.format(principal.getEncoded());
        } catch (EncodingException e) {
            return principal.getName(); // the JDK parsed it, so this does not happen
        }
    }

    private static String describeSan(int type, Object value) {
        return switch (type) {
            case 2 -> "DNS:" + value;
            case 7 -> "IP:" + canonicalIp(String.valueOf(value));
            case 1 -> "email:" + value;
            case 6 -> "URI:" + value;
            default -> type + ":" + value;
        };
    }

    private static String canonicalIp(String ip) {
        try {
            return InetAddress.getByName(ip).getHostAddress();
        } catch (UnknownHostException e) {
            return ip;
        }
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new PkiException("cannot fingerprint certificate " + certificate.getSubjectX500Principal(), e);
        }
    }
}
