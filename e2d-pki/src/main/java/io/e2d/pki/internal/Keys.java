package io.e2d.pki.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/** Key pair generation and the key/certificate match check, with the JDK's own providers. */
public final class Keys {
    private Keys() {}

    /** An RSA key pair with a modulus of {@code bits} bits. */
    public static KeyPair rsa(int bits, SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits, random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate RSA keys", e);
        }
    }

    /** An EC key pair on the named curve (for example {@code secp256r1}). */
    public static KeyPair ec(String curve, SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate EC keys on " + curve, e);
        }
    }

    /**
     * Whether {@code privateKey} belongs to {@code publicKey}: a random challenge signed with the private key
     * must verify with the public key. Works for every algorithm and key encoding.
     */
    public static boolean matches(PublicKey publicKey, PrivateKey privateKey, String signatureAlgorithm) {
        if (!publicKey.getAlgorithm().equalsIgnoreCase(privateKey.getAlgorithm())) {
            return false;
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(signatureAlgorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
