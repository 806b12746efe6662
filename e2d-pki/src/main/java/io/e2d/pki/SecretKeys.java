package io.e2d.pki;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The symmetric keys e2d derives from the CA key, so that every node holding the CA key shares them without
 * any extra secret to distribute. Stateless and thread-safe.
 *
 * <ul>
 *   <li>{@link #fromCaKey(Path) snapshot key} = SHA-512/256 of the DER bytes of the first private-key PEM
 *       block of the CA key file (32 bytes). This is Go e2d's derivation (spec §2.1), so snapshots encrypted
 *       by Go e2d decrypt here and the other way round, provided the CA key is the PKCS#1 RSA key Go e2d
 *       writes. Go e2d used the same key for memberlist gossip.
 *   <li>{@link #gossipKey(byte[]) gossip key} = HMAC-SHA-256(snapshot key, "e2d-gossip") (32 bytes). The
 *       Java gossip layer cannot talk to Go memberlist anyway, so it gets its own key: a leaked gossip key
 *       does not decrypt snapshots.
 * </ul>
 *
 * <p>The derivation works on the bytes of the key as stored: re-encoding the same key in another format
 * (PKCS#8 instead of PKCS#1) gives another derived key. Keep the CA key file as written.
 *
 * <pre>{@code
 * byte[] snapshotKey = SecretKeys.fromCaKey(Path.of("/etc/e2d/ca.key"));
 * byte[] gossipKey = SecretKeys.gossipKey(snapshotKey);
 * }</pre>
 */
public final class SecretKeys {
    /** Length of every derived key, in bytes. */
    public static final int KEY_LENGTH = 32;

    /** The HMAC message that separates the gossip key from the snapshot key. */
    static final String GOSSIP_LABEL = "e2d-gossip";

    private SecretKeys() {}

    /**
     * The snapshot key: SHA-512/256 of the DER bytes of the first private-key block of {@code caKeyFile}
     * (a leading {@code EC PARAMETERS} block is skipped). Returns a new 32-byte array.
     *
     * @throws PkiFileException if the file is missing or unreadable
     * @throws InvalidPemException if its first block is not a valid unencrypted private key
     */
    public static byte[] fromCaKey(Path caKeyFile) {
        return derive(caKeyFile, Pem.readFile(caKeyFile, "CA key"));
    }

    /**
     * The snapshot key from the PEM text of a CA key; see {@link #fromCaKey(Path)}.
     *
     * @throws InvalidPemException if its first block is not a valid unencrypted private key
     */
    public static byte[] fromCaKeyPem(String pem) {
        return derive(null, pem.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * The gossip key: HMAC-SHA-256 keyed with the snapshot key over the ASCII bytes of {@code "e2d-gossip"}.
     * Returns a new 32-byte array.
     *
     * @throws IllegalArgumentException if {@code snapshotKey} is not 32 bytes
     */
    public static byte[] gossipKey(byte[] snapshotKey) {
        Objects.requireNonNull(snapshotKey, "snapshotKey");
        if (snapshotKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("snapshotKey must be " + KEY_LENGTH + " bytes, got " + snapshotKey.length
                    + "; pass the result of SecretKeys.fromCaKey");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(snapshotKey, "HmacSHA256"));
            return mac.doFinal(GOSSIP_LABEL.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new PkiException("the JDK has no HmacSHA256", e);
        }
    }

    private static byte[] derive(@org.jspecify.annotations.Nullable Path file, byte[] content) {
        Pem.Block block = Pem.firstKeyBlock(file, content);
        Pem.toPrivateKey(file, block); // refuse to derive a key from garbage
        try {
            return MessageDigest.getInstance("SHA-512/256").digest(block.der());
        } catch (GeneralSecurityException e) {
            throw new PkiException("the JDK has no SHA-512/256 digest", e);
        }
    }
}
