package io.e2d.pki;

import java.nio.file.Path;
import java.util.HexFormat;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Run in a fresh JVM by {@link ReadPathLoadsNoBouncyCastleTest}: the read paths of a one-shot CLI command
 * (snapshot key, TLS client managers, {@code e2d pki show}) on the files named by the arguments: CA certificate, CA key, then pairs
 * of certificate and key files.
 */
public final class ReadPathMain {
    private ReadPathMain() {}

    public static void main(String[] args) {
        byte[] snapshotKey = SecretKeys.fromCaKey(Path.of(args[1]));
        TrustManagerFactory trust = Tls.trustManagers(Path.of(args[0]));
        int keyManagers = 0;
        for (int i = 2; i + 1 < args.length; i += 2) {
            KeyManagerFactory keys = Tls.keyManagers(Path.of(args[i]), Path.of(args[i + 1]));
            keyManagers += keys.getKeyManagers().length;
        }
        CertificateInfo ca = CertificateInfo.of(Pem.readCertificate(Path.of(args[0])));
        System.out.println("read-path-ok " + HexFormat.of().formatHex(snapshotKey) + " key-managers=" + keyManagers
                + " trust-managers=" + trust.getTrustManagers().length + " ca-subject=" + ca.subject());
    }
}
