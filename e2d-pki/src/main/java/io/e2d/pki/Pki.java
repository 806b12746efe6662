package io.e2d.pki;

import io.e2d.pki.internal.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * One-call operations on whole sets of files: what {@code e2d pki init} and {@code e2d pki gencerts} do, and
 * a complete PKI for tests. Every call writes all of its files or none (atomic temp-file + rename; keys
 * 0600, certificates 0644). Stateless and thread-safe.
 *
 * <pre>{@code
 * // tests: a CA plus server/peer/client certificates for 127.0.0.1, localhost and the host address
 * PkiFiles pki = Pki.generate(tempDir, List.of());
 * // faster (ECDSA keys), for tests that do not care about RSA:
 * PkiFiles fast = Pki.generate(tempDir, List.of(), PkiConfig.builder().keyType(KeyType.ECDSA_P256).build());
 * }</pre>
 */
public final class Pki {
    /** File name of the CA certificate in {@link #generate}. */
    public static final String CA_CERT_FILE = "ca.crt";
    /** File name of the CA key in {@link #generate}. */
    public static final String CA_KEY_FILE = "ca.key";

    private Pki() {}

    /**
     * Generates a CA (defaults: RSA-2048) and issues server, peer and client certificates into {@code dir}
     * ({@code ca.crt}, {@code ca.key}, {@code server.crt} ... see {@link PkiFiles}). Server and peer
     * certificates name {@link Hosts#withDefaults(Collection) hosts + 127.0.0.1 + localhost + the host
     * address}. Blocks while 4 keys are generated (RSA: about 0.5-3 s in total).
     *
     * @throws OverwriteRefusedException if one of the files already exists (nothing written)
     * @throws PkiFileException if {@code dir} cannot be created or written (nothing left behind)
     */
    public static PkiFiles generate(Path dir, Collection<String> hosts) {
        return generate(dir, hosts, PkiConfig.defaults());
    }

    /** {@link #generate(Path, Collection)} with explicit settings (key type, validity, clock). */
    public static PkiFiles generate(Path dir, Collection<String> hosts, PkiConfig config) {
        Objects.requireNonNull(dir, "dir");
        CertificateAuthority ca = CertificateAuthority.generate(config);
        PkiFiles files = new PkiFiles(dir.resolve(CA_CERT_FILE), dir.resolve(CA_KEY_FILE), LeafFiles.in(dir, ""));
        List<AtomicFiles.Entry> entries = new ArrayList<>();
        entries.add(ca.certificateEntry(files.caCert()));
        entries.add(ca.keyEntry(files.caKey()));
        entries.addAll(leafEntries(ca, files.leaves(), hosts));
        AtomicFiles.writeAll(entries, false);
        return files;
    }

    /**
     * Generates a CA and writes it ({@code e2d pki init}): certificate 0644, key 0600, creating missing
     * directories.
     *
     * @param overwrite whether existing files may be replaced ({@code --force})
     * @throws OverwriteRefusedException if a file exists and {@code overwrite} is false (nothing written)
     * @throws PkiFileException if a file cannot be written (nothing left behind)
     */
    public static CertificateAuthority initCa(Path certificateFile, Path keyFile, PkiConfig config, boolean overwrite) {
        Objects.requireNonNull(certificateFile, "certificateFile");
        Objects.requireNonNull(keyFile, "keyFile");
        checkDistinct(certificateFile, keyFile);
        CertificateAuthority ca = CertificateAuthority.generate(config);
        ca.write(certificateFile, keyFile, overwrite);
        return ca;
    }

    /**
     * Issues server, peer and client certificates from {@code ca} into {@code outputDir} ({@code e2d pki
     * gencerts}); existing files are replaced atomically (renewal). Server and peer certificates name
     * {@link Hosts#withDefaults(Collection) hosts + 127.0.0.1 + localhost + the host address}.
     *
     * @param namePrefix prefix for the file names ({@code node1} gives {@code node1-server.crt}), or empty
     * @throws PkiException if a host or the prefix is invalid
     * @throws PkiFileException if {@code outputDir} cannot be created or written (nothing left behind)
     */
    public static LeafFiles issueAll(
            CertificateAuthority ca, Path outputDir, String namePrefix, Collection<String> hosts) {
        Objects.requireNonNull(ca, "ca");
        LeafFiles files = LeafFiles.in(outputDir, namePrefix);
        AtomicFiles.writeAll(leafEntries(ca, files, hosts), true);
        return files;
    }

    private static List<AtomicFiles.Entry> leafEntries(
            CertificateAuthority ca, LeafFiles files, Collection<String> hosts) {
        List<String> sans = Hosts.withDefaults(hosts);
        IssuedCertificate server = ca.issue(CertificateProfile.SERVER, sans);
        IssuedCertificate peer = ca.issue(CertificateProfile.PEER, sans);
        IssuedCertificate client = ca.issue(CertificateProfile.CLIENT, List.of());
        return List.of(
                server.certificateEntry(files.serverCert()),
                server.keyEntry(files.serverKey()),
                peer.certificateEntry(files.peerCert()),
                peer.keyEntry(files.peerKey()),
                client.certificateEntry(files.clientCert()),
                client.keyEntry(files.clientKey()),
                client.pkcs8KeyEntry(files.clientKeyPkcs8()));
    }

    private static void checkDistinct(Path certificateFile, Path keyFile) {
        if (certificateFile
                .toAbsolutePath()
                .normalize()
                .equals(keyFile.toAbsolutePath().normalize())) {
            throw new PkiException("the CA certificate and key must be different files, both are " + certificateFile
                    + "; pass e.g. --ca-cert ca.crt --ca-key ca.key");
        }
    }
}
