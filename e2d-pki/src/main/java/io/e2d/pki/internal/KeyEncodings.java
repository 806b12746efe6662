package io.e2d.pki.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Map;
import java.util.Optional;

/**
 * Private keys between their three DER formats with the JDK alone: PKCS#8 {@code PrivateKeyInfo} (what the
 * JDK's {@link KeyFactory} reads and {@link PrivateKey#getEncoded()} writes), PKCS#1 {@code RSAPrivateKey}
 * and SEC1 {@code ECPrivateKey} (the traditional OpenSSL formats e2d writes). Every reader checks the
 * structure and throws {@link EncodingException} for anything malformed; the numbers inside are the
 * KeyFactory's to check. Stateless and thread-safe.
 */
public final class KeyEncodings {
    /** rsaEncryption (PKCS#1). */
    public static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
    /** id-ecPublicKey (X9.62). */
    public static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";

    private static final Map<String, String> JCA_NAMES = Map.of(RSA_ENCRYPTION, "RSA", EC_PUBLIC_KEY, "EC");
    private static final Map<String, String> OTHER_NAMES = Map.of(
            "1.2.840.113549.1.1.10", "RSASSA-PSS",
            "1.2.840.10040.4.1", "DSA",
            "1.2.840.113549.1.3.1", "DH",
            "1.3.101.110", "X25519",
            "1.3.101.111", "X448",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448");
    private static final int PKCS8_ATTRIBUTES = 0xa0;
    private static final int PKCS8_PUBLIC_KEY = 0x81;
    private static final int SEC1_PARAMETERS = Der.explicit(0);
    private static final int SEC1_PUBLIC_KEY = Der.explicit(1);

    private KeyEncodings() {}

    /** The JCA name ({@code RSA}, {@code EC}) of a key algorithm OID e2d reads, if it is one. */
    public static Optional<String> jcaAlgorithm(String oid) {
        return Optional.ofNullable(JCA_NAMES.get(oid));
    }

    /** A readable name for a key algorithm OID: {@code Ed25519 (OID 1.3.101.112)}, or the OID alone. */
    public static String describeAlgorithm(String oid) {
        String name = OTHER_NAMES.getOrDefault(oid, JCA_NAMES.get(oid));
        return name == null ? "OID " + oid : name + " (OID " + oid + ")";
    }

    /**
     * Checks the structure of a PKCS#8 {@code PrivateKeyInfo} (RFC 5208 / 5958) and returns its key
     * algorithm OID.
     *
     * @throws EncodingException if it is not a well-formed PrivateKeyInfo
     */
    public static String pkcs8Algorithm(byte[] pkcs8) {
        Der.Reader r =
                Der.single(pkcs8, Der.SEQUENCE, "the PKCS#8 PrivateKeyInfo").children();
        BigInteger version = r.next(Der.INTEGER, "the PKCS#8 version").integer("the PKCS#8 version");
        if (version.signum() < 0 || version.compareTo(BigInteger.ONE) > 0) {
            throw new EncodingException("the PKCS#8 version must be 0 or 1, found " + version);
        }
        String oid = r.next(Der.SEQUENCE, "the PKCS#8 AlgorithmIdentifier")
                .children()
                .next(Der.OBJECT_IDENTIFIER, "the key algorithm OID")
                .oid("the key algorithm OID");
        r.next(Der.OCTET_STRING, "the PKCS#8 privateKey OCTET STRING");
        if (r.peekTag() == PKCS8_ATTRIBUTES) {
            r.nextAny("the PKCS#8 attributes");
        }
        if (r.peekTag() == PKCS8_PUBLIC_KEY) {
            r.nextAny("the PKCS#8 public key");
        }
        r.end("the PKCS#8 PrivateKeyInfo");
        return oid;
    }

    /**
     * Wraps a PKCS#1 {@code RSAPrivateKey} into PKCS#8: {@code SEQUENCE {INTEGER 0, SEQUENCE {rsaEncryption,
     * NULL}, OCTET STRING pkcs1}}.
     *
     * @throws EncodingException if {@code pkcs1} is not one DER SEQUENCE starting with an INTEGER
     */
    public static byte[] pkcs8FromPkcs1(byte[] pkcs1) {
        Der.single(pkcs1, Der.SEQUENCE, "the PKCS#1 RSAPrivateKey").children().next(Der.INTEGER, "the PKCS#1 version");
        return Der.sequence(
                Der.integer(BigInteger.ZERO),
                Der.sequence(Der.oid(RSA_ENCRYPTION), Der.nullElement()),
                Der.octetString(pkcs1));
    }

    /**
     * The encoded curve parameters (the named-curve OID, normally) of a SEC1 {@code ECPrivateKey} (RFC 5915),
     * after checking its structure; empty if the key names no curve.
     *
     * @throws EncodingException if it is not a well-formed ECPrivateKey
     */
    public static Optional<byte[]> sec1Parameters(byte[] sec1) {
        Der.Reader r = Der.single(sec1, Der.SEQUENCE, "the SEC1 ECPrivateKey").children();
        BigInteger version = r.next(Der.INTEGER, "the SEC1 version").integer("the SEC1 version");
        if (!version.equals(BigInteger.ONE)) {
            throw new EncodingException("the SEC1 version must be 1, found " + version);
        }
        r.next(Der.OCTET_STRING, "the SEC1 privateKey OCTET STRING");
        Optional<byte[]> parameters = Optional.empty();
        if (r.peekTag() == SEC1_PARAMETERS) {
            Der.Reader p = r.nextAny("the SEC1 [0] parameters").children();
            parameters = Optional.of(p.nextAny("the SEC1 curve parameters").encoded());
            p.end("the SEC1 [0] parameters");
        }
        if (r.peekTag() == SEC1_PUBLIC_KEY) {
            Der.Reader p = r.nextAny("the SEC1 [1] public key").children();
            p.next(Der.BIT_STRING, "the SEC1 public key BIT STRING");
            p.end("the SEC1 [1] public key");
        }
        r.end("the SEC1 ECPrivateKey");
        return parameters;
    }

    /**
     * Wraps a SEC1 {@code ECPrivateKey} into PKCS#8: {@code SEQUENCE {INTEGER 0, SEQUENCE {id-ecPublicKey,
     * parameters}, OCTET STRING sec1}}.
     */
    public static byte[] pkcs8FromSec1(byte[] sec1, byte[] parameters) {
        return Der.sequence(
                Der.integer(BigInteger.ZERO), Der.sequence(Der.oid(EC_PUBLIC_KEY), parameters), Der.octetString(sec1));
    }

    /**
     * The JDK private key of a PKCS#8 encoding.
     *
     * @throws GeneralSecurityException if the JDK has no such algorithm or the key material is invalid
     */
    public static PrivateKey privateKey(String jcaAlgorithm, byte[] pkcs8) throws GeneralSecurityException {
        return KeyFactory.getInstance(jcaAlgorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    /**
     * The PKCS#1 {@code RSAPrivateKey} inside a PKCS#8 RSA key (the content of its privateKey OCTET STRING).
     *
     * @throws EncodingException if {@code pkcs8} is not a PKCS#8 RSA key
     */
    public static byte[] pkcs1FromPkcs8(byte[] pkcs8) {
        byte[] pkcs1 = parts(pkcs8, RSA_ENCRYPTION, "an RSA").privateKey().content();
        Der.single(pkcs1, Der.SEQUENCE, "the PKCS#1 RSAPrivateKey");
        return pkcs1;
    }

    /**
     * The SEC1 {@code ECPrivateKey} of an EC key pair as OpenSSL writes it: {@code SEQUENCE {INTEGER 1, OCTET
     * STRING d (as many bytes as the curve order), [0] the curve of the PKCS#8 encoding, [1] the public key
     * BIT STRING}}.
     *
     * @throws EncodingException if the encodings of the keys are not what the JDK writes for EC keys
     */
    public static byte[] sec1(ECPrivateKey privateKey, PublicKey publicKey) {
        Der.Reader algorithm = parts(privateKey.getEncoded(), EC_PUBLIC_KEY, "an EC")
                .algorithm()
                .children();
        algorithm.next(Der.OBJECT_IDENTIFIER, "the key algorithm OID");
        byte[] curve = algorithm.nextAny("the EC curve parameters").encoded();

        Der.Reader spki = Der.single(publicKey.getEncoded(), Der.SEQUENCE, "the SubjectPublicKeyInfo")
                .children();
        spki.next(Der.SEQUENCE, "the public key AlgorithmIdentifier");
        byte[] point = spki.next(Der.BIT_STRING, "the public key BIT STRING").encoded();

        int length = (privateKey.getParams().getOrder().bitLength() + 7) / 8;
        return Der.sequence(
                Der.integer(BigInteger.ONE),
                Der.octetString(unsigned(privateKey.getS(), length)),
                Der.element(SEC1_PARAMETERS, curve),
                Der.element(SEC1_PUBLIC_KEY, point));
    }

    /** The AlgorithmIdentifier and the privateKey OCTET STRING of a PKCS#8 encoding. */
    private record Pkcs8Parts(Der.Element algorithm, Der.Element privateKey) {}

    /** The parts of {@code pkcs8}, which must be a well-formed PKCS#8 key of algorithm {@code oid}. */
    private static Pkcs8Parts parts(byte[] pkcs8, String oid, String expected) {
        String found = pkcs8Algorithm(pkcs8);
        if (!found.equals(oid)) {
            throw new EncodingException("expected " + expected + " key, found " + describeAlgorithm(found));
        }
        Der.Reader r =
                Der.single(pkcs8, Der.SEQUENCE, "the PKCS#8 PrivateKeyInfo").children();
        r.next(Der.INTEGER, "the PKCS#8 version");
        Der.Element algorithm = r.next(Der.SEQUENCE, "the PKCS#8 AlgorithmIdentifier");
        return new Pkcs8Parts(algorithm, r.next(Der.OCTET_STRING, "the PKCS#8 privateKey OCTET STRING"));
    }

    /** {@code value} as exactly {@code length} big-endian bytes, zero-padded on the left. */
    static byte[] unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        int significant = bytes.length - skip;
        if (value.signum() < 0 || significant > length) {
            throw new EncodingException("the EC private value does not fit in " + length + " bytes");
        }
        byte[] out = new byte[length];
        System.arraycopy(bytes, skip, out, length - significant, significant);
        return out;
    }
}
