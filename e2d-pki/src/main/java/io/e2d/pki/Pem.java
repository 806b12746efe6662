package io.e2d.pki;

import io.e2d.pki.internal.EncodingException;
import io.e2d.pki.internal.KeyEncodings;
import io.e2d.pki.internal.PemCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * PEM in and out for certificates and private keys, without registering a security provider.
 *
 * <p>Keys are read from PKCS#1 ({@code RSA PRIVATE KEY}), PKCS#8 ({@code PRIVATE KEY}) and SEC1 ({@code EC
 * PRIVATE KEY}, with or without a leading {@code EC PARAMETERS} block, as {@code openssl ecparam -genkey}
 * writes it). Encrypted keys are rejected with a message that says how to decrypt them. Every failure is an
 * {@link InvalidPemException} (bad content) or a {@link PkiFileException} (missing or unreadable file).
 * Reading and writing use the JDK alone and load no BouncyCastle class (a signed jar, slow to open), so
 * one-shot commands that only read keys and certificates start faster. Stateless and thread-safe.
 *
 * <pre>{@code
 * X509Certificate cert = Pem.readCertificate(Path.of("peer.crt"));
 * PrivateKey key = Pem.readPrivateKey(Path.of("peer.key"));   // any of the three formats
 * String pkcs8 = Pem.pkcs8PrivateKeyPem(key);                    // what netty wants
 * }</pre>
 */
public final class Pem {
    static final String CERTIFICATE = "CERTIFICATE";
    static final String RSA_PRIVATE_KEY = "RSA PRIVATE KEY";
    static final String EC_PRIVATE_KEY = "EC PRIVATE KEY";
    static final String PRIVATE_KEY = "PRIVATE KEY";
    static final String EC_PARAMETERS = "EC PARAMETERS";
    static final String ENCRYPTED_PRIVATE_KEY = "ENCRYPTED PRIVATE KEY";

    private Pem() {}

    /** A raw PEM block: its type label and DER content. */
    record Block(String type, byte[] der, boolean encrypted) {}

    /**
     * Reads the first certificate of a PEM file.
     *
     * @throws PkiFileException if the file is missing or unreadable
     * @throws InvalidPemException if it holds no valid certificate
     */
    public static X509Certificate readCertificate(Path file) {
        return readCertificates(file).get(0);
    }

    /**
     * Reads every certificate of a PEM file, in file order (at least one).
     *
     * @throws PkiFileException if the file is missing or unreadable
     * @throws InvalidPemException if it holds no certificate, or a block is not valid
     */
    public static List<X509Certificate> readCertificates(Path file) {
        return parseCertificates(file, readFile(file, "certificate"));
    }

    /**
     * Parses every certificate of a PEM string (at least one).
     *
     * @throws InvalidPemException if it holds no certificate, or a block is not valid
     */
    public static List<X509Certificate> parseCertificates(String pem) {
        return parseCertificates(null, pem.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Reads the private key of a PEM file: the first key block (a leading {@code EC PARAMETERS} block is
     * skipped).
     *
     * @throws PkiFileException if the file is missing or unreadable
     * @throws InvalidPemException if the first block is not an unencrypted RSA or EC private key
     */
    public static PrivateKey readPrivateKey(Path file) {
        return toPrivateKey(file, firstKeyBlock(file, readFile(file, "private key")));
    }

    /**
     * Parses the private key of a PEM string.
     *
     * @throws InvalidPemException if the first block is not an unencrypted RSA or EC private key
     */
    public static PrivateKey parsePrivateKey(String pem) {
        return toPrivateKey(null, firstKeyBlock(null, pem.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** A certificate as a PEM {@code CERTIFICATE} block. */
    public static String certificatePem(X509Certificate certificate) {
        try {
            return encode(CERTIFICATE, certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new PkiException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    /**
     * A private key in the traditional OpenSSL format of its type: PKCS#1 {@code RSA PRIVATE KEY} for RSA,
     * SEC1 {@code EC PRIVATE KEY} (with the named curve and the public key) for EC. This is what Go e2d
     * writes and reads, and the format from which {@link SecretKeys} derive keys.
     *
     * @throws PkiException for key algorithms other than RSA and EC
     */
    public static String privateKeyPem(KeyPair keyPair) {
        PrivateKey key = keyPair.getPrivate();
        KeyType type = KeyType.ofAlgorithm(key.getAlgorithm());
        try {
            if (type == KeyType.RSA_2048) {
                return encode(RSA_PRIVATE_KEY, KeyEncodings.pkcs1FromPkcs8(key.getEncoded()));
            }
            return encode(
                    EC_PRIVATE_KEY,
                    KeyEncodings.sec1((java.security.interfaces.ECPrivateKey) key, keyPair.getPublic()));
        } catch (EncodingException | ClassCastException e) {
            throw new PkiException(
                    "cannot write the " + key.getAlgorithm() + " private key (" + e.getMessage()
                            + "): its provider encodes it unlike the JDK's; use a key made by the JDK's providers",
                    e);
        }
    }

    /** A private key as PKCS#8 {@code PRIVATE KEY} (what netty and therefore jetcd need). */
    public static String pkcs8PrivateKeyPem(PrivateKey key) {
        return encode(PRIVATE_KEY, key.getEncoded());
    }

    static String encode(String type, byte[] der) {
        return PemCodec.encode(type, der);
    }

    static byte[] readFile(Path file, String what) {
        Objects.requireNonNull(file, "file");
        try {
            if (Files.isDirectory(file)) {
                throw new PkiFileException(
                        file, what + " file " + file + " is a directory; expected a PEM file, pass the file's path");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PkiFileException(file, what + " file " + file + " does not exist; check the path", e);
        } catch (AccessDeniedException e) {
            throw new PkiFileException(
                    file, "cannot read " + what + " file " + file + ": permission denied; fix its permissions", e);
        } catch (IOException e) {
            throw new PkiFileException(file, "cannot read " + what + " file " + file + ": " + e.getMessage(), e);
        }
    }

    /** All PEM blocks of {@code content}; throws if there is none or one is malformed. */
    static List<Block> blocks(@Nullable Path file, byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        List<Block> blocks = new ArrayList<>();
        try {
            for (PemCodec.Block b : PemCodec.decode(text)) {
                boolean encrypted = b.type().equals(ENCRYPTED_PRIVATE_KEY) || b.hasHeader("Proc-Type", "ENCRYPTED");
                blocks.add(new Block(b.type(), b.content(), encrypted));
            }
        } catch (EncodingException e) {
            throw new InvalidPemException(
                    file,
                    source(file) + " is not valid PEM (" + e.getMessage()
                            + "): expected -----BEGIN ...----- / base64 / -----END ...----- blocks; the file is"
                            + " corrupt or truncated, regenerate or restore it",
                    e);
        }
        if (blocks.isEmpty()) {
            String hint = content.length > 0 && (content[0] & 0xff) == 0x30
                    ? " (it looks like binary DER: convert it with openssl x509/pkey -inform der -outform pem)"
                    : content.length == 0 ? " (the file is empty)" : "";
            throw new InvalidPemException(
                    file, source(file) + " contains no PEM block; expected -----BEGIN ...-----" + hint);
        }
        return blocks;
    }

    /** The first private-key block, skipping leading EC PARAMETERS; validates its type. */
    static Block firstKeyBlock(@Nullable Path file, byte[] content) {
        for (Block b : blocks(file, content)) {
            if (b.type().equals(EC_PARAMETERS)) {
                continue;
            }
            if (b.encrypted()) {
                throw new InvalidPemException(
                        file,
                        source(file) + " holds an encrypted private key; e2d needs an unencrypted key: decrypt it"
                                + " with `openssl pkey -in KEY -out KEY.plain` and keep the result mode 0600");
            }
            if (b.type().equals(RSA_PRIVATE_KEY)
                    || b.type().equals(EC_PRIVATE_KEY)
                    || b.type().equals(PRIVATE_KEY)) {
                return b;
            }
            throw new InvalidPemException(
                    file,
                    source(file) + ": expected a private key (RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY), found "
                            + b.type()
                            + (b.type().contains("CERTIFICATE") ? "; pass the key file, not the certificate" : ""));
        }
        throw new InvalidPemException(file, source(file) + " holds only EC PARAMETERS, no private key");
    }

    static PrivateKey toPrivateKey(@Nullable Path file, Block block) {
        try {
            byte[] pkcs8 =
                    switch (block.type()) {
                        case RSA_PRIVATE_KEY -> KeyEncodings.pkcs8FromPkcs1(block.der());
                        case EC_PRIVATE_KEY -> {
                            byte[] curve = KeyEncodings.sec1Parameters(block.der())
                                    .orElseThrow(() -> new InvalidPemException(
                                            file,
                                            source(file) + ": the EC PRIVATE KEY names no curve; rewrite it with"
                                                    + " `openssl ec -in KEY -out KEY.new -param_enc named_curve`"));
                            yield KeyEncodings.pkcs8FromSec1(block.der(), curve);
                        }
                        default -> block.der();
                    };
            String oid = KeyEncodings.pkcs8Algorithm(pkcs8);
            String algorithm = KeyEncodings.jcaAlgorithm(oid)
                    .orElseThrow(() -> new PkiException("key algorithm must be RSA or EC (ECDSA), found "
                            + KeyEncodings.describeAlgorithm(oid) + "; generate an RSA or ECDSA key"));
            PrivateKey key = KeyEncodings.privateKey(algorithm, pkcs8);
            KeyType.ofAlgorithm(key.getAlgorithm());
            return key;
        } catch (InvalidPemException e) {
            throw e;
        } catch (PkiException e) {
            throw new InvalidPemException(file, source(file) + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new InvalidPemException(
                    file,
                    source(file) + ": the " + block.type() + " block is not a valid key (" + e.getMessage()
                            + "); the file is corrupt, regenerate or restore it",
                    e);
        }
    }

    private static List<X509Certificate> parseCertificates(@Nullable Path file, byte[] content) {
        List<X509Certificate> certs = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new PkiException("the JDK has no X.509 certificate factory", e);
        }
        for (Block b : blocks(file, content)) {
            if (!b.type().equals(CERTIFICATE)) {
                if (certs.isEmpty()) {
                    throw new InvalidPemException(
                            file,
                            source(file) + ": expected a CERTIFICATE, found " + b.type()
                                    + (b.type().contains("PRIVATE KEY")
                                            ? "; pass the certificate file, not the key"
                                            : ""));
                }
                continue;
            }
            try {
                certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
            } catch (CertificateException | RuntimeException e) {
                throw new InvalidPemException(
                        file,
                        source(file) + ": a CERTIFICATE block is not a valid X.509 certificate (" + e.getMessage()
                                + "); the file is corrupt, regenerate or restore it",
                        e);
            }
        }
        return List.copyOf(certs);
    }

    static String source(@Nullable Path file) {
        return file == null ? "PEM input" : file.toString();
    }
}
