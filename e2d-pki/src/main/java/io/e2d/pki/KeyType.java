package io.e2d.pki;

import java.util.Locale;

/**
 * The kind of key pair e2d generates. {@link #RSA_2048} is the default and the only one Go e2d reads: its
 * snapshot and gossip keys derive from a PKCS#1 RSA CA key (see {@link SecretKeys}).
 */
public enum KeyType {
    /** RSA, 2048-bit modulus, signatures SHA256withRSA; written as PKCS#1 ("RSA PRIVATE KEY"). */
    RSA_2048("rsa", "RSA", "SHA256withRSA"),
    /** ECDSA on NIST P-256 (secp256r1), signatures SHA256withECDSA; written as SEC1 ("EC PRIVATE KEY"). */
    ECDSA_P256("ecdsa", "EC", "SHA256withECDSA");

    private final String cliName;
    private final String jcaAlgorithm;
    private final String signatureAlgorithm;

    KeyType(String cliName, String jcaAlgorithm, String signatureAlgorithm) {
        this.cliName = cliName;
        this.jcaAlgorithm = jcaAlgorithm;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The short name used on the command line: {@code rsa} or {@code ecdsa}. */
    public String cliName() {
        return cliName;
    }

    /** The JCA key algorithm name ({@code RSA} or {@code EC}). */
    public String jcaAlgorithm() {
        return jcaAlgorithm;
    }

    /** The JCA signature algorithm a CA of this type signs with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /**
     * Parses a CLI name ({@code rsa}, {@code ecdsa}; case-insensitive).
     *
     * @throws PkiException if the name is neither
     */
    public static KeyType fromCliName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (KeyType t : values()) {
            if (t.cliName.equals(n)) {
                return t;
            }
        }
        throw new PkiException("key type must be 'rsa' or 'ecdsa', got '" + name + "'");
    }

    /**
     * The type of an existing key, from its JCA algorithm name.
     *
     * @throws PkiException for algorithms e2d does not use (DSA, Ed25519...)
     */
    static KeyType ofAlgorithm(String jcaAlgorithm) {
        for (KeyType t : values()) {
            if (t.jcaAlgorithm.equalsIgnoreCase(jcaAlgorithm)) {
                return t;
            }
        }
        throw new PkiException(
                "key algorithm must be RSA or EC (ECDSA), found " + jcaAlgorithm + "; generate an RSA or ECDSA key");
    }
}
