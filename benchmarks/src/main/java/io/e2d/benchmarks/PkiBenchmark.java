package io.e2d.benchmarks;

import io.e2d.pki.CertificateAuthority;
import io.e2d.pki.CertificateProfile;
import io.e2d.pki.IssuedCertificate;
import io.e2d.pki.KeyType;
import io.e2d.pki.PkiConfig;
import io.e2d.pki.SecretKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * e2d-pki costs: generating a CA, issuing a peer certificate with a fresh key, deriving the snapshot key
 * from a CA key file. Run: see e2d-pki/README.md ("Figures").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PkiBenchmark {

    /** The key type of the CA and of issued certificates. */
    @Param({"RSA_2048", "ECDSA_P256"})
    public KeyType keyType = KeyType.RSA_2048;

    private PkiConfig config = PkiConfig.defaults();
    private CertificateAuthority ca = CertificateAuthority.generate(
            PkiConfig.builder().keyType(KeyType.ECDSA_P256).build());
    private Path dir = Path.of(".");

    /** Creates the CA and writes its files into a temporary directory. */
    @Setup
    public void setUp() throws IOException {
        config = PkiConfig.builder().keyType(keyType).build();
        ca = CertificateAuthority.generate(config);
        dir = Files.createTempDirectory("e2d-pki-bench");
        ca.write(dir.resolve("ca.crt"), dir.resolve("ca.key"), false);
    }

    /** Removes the temporary files. */
    @TearDown
    public void tearDown() throws IOException {
        Files.deleteIfExists(dir.resolve("ca.crt"));
        Files.deleteIfExists(dir.resolve("ca.key"));
        Files.deleteIfExists(dir);
    }

    /** A new CA: key generation and a self-signed certificate. */
    @Benchmark
    public CertificateAuthority generateCa() {
        return CertificateAuthority.generate(config);
    }

    /** A peer certificate for a fresh key, with three SANs. */
    @Benchmark
    public IssuedCertificate issuePeer() {
        return ca.issue(CertificateProfile.PEER, List.of("etcd-0.example.com", "10.0.0.5", "127.0.0.1"));
    }

    /** The snapshot key from the CA key file (read, parse, SHA-512/256). */
    @Benchmark
    public byte[] deriveSnapshotKey() {
        return SecretKeys.fromCaKey(dir.resolve("ca.key"));
    }
}
