package io.e2d.cli;

import io.e2d.cli.internal.Converters;
import io.e2d.cli.internal.GoDurations;
import io.e2d.cli.internal.Subcommands;
import io.e2d.pki.CertificateAuthority;
import io.e2d.pki.CertificateInfo;
import io.e2d.pki.Hosts;
import io.e2d.pki.KeyType;
import io.e2d.pki.LeafFiles;
import io.e2d.pki.OverwriteRefusedException;
import io.e2d.pki.Pem;
import io.e2d.pki.Pki;
import io.e2d.pki.PkiConfig;
import io.e2d.pki.PkiException;
import io.e2d.pki.PkiFileException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code e2d pki}: the cluster's certificates. {@code init} makes a CA, {@code gencerts} issues the server,
 * peer and client certificates of a node, {@code show} describes certificates. The work is done by e2d-pki
 * ({@link Pki}); this class parses, prints and maps errors to {@link ExitCodes}: bad or missing input files,
 * a key that does not match, an existing CA without {@code --force} exit 2; a file that cannot be written
 * exits 1. Nothing is left half-written.
 */
@Command(
        name = "pki",
        mixinStandardHelpOptions = true,
        description = "Create a CA and the certificates etcd needs for mutual TLS, and inspect certificates.",
        subcommands = {PkiCommand.Init.class, PkiCommand.Gencerts.class, PkiCommand.Show.class, HelpCommand.class})
public final class PkiCommand implements Runnable {

    @Spec
    @SuppressWarnings("NullAway.Init")
    private CommandSpec spec;

    /** Created by picocli. */
    public PkiCommand() {}

    @Override
    public void run() {
        throw Subcommands.missing(spec);
    }

    /** The {@code --ca-cert}/{@code --ca-key} pair shared by {@code init} and {@code gencerts}. */
    static final class CaFiles {
        @Option(names = "--ca-cert", required = true, paramLabel = "<file>", description = "CA certificate (PEM).")
        @SuppressWarnings("NullAway.Init")
        Path caCert;

        @Option(
                names = "--ca-key",
                required = true,
                paramLabel = "<file>",
                description = "CA private key (PEM: PKCS#1, PKCS#8 or SEC1); init writes it with mode 0600.")
        @SuppressWarnings("NullAway.Init")
        Path caKey;
    }

    /** {@code --validity}, shared by {@code init} and {@code gencerts}. */
    static final class Validity {
        @Option(
                names = "--validity",
                paramLabel = "<duration>",
                defaultValue = "43800h",
                converter = Converters.GoDuration.class,
                description = "Validity of new certificates, as a Go duration (43800h = 5 years; a leaf never"
                        + " outlives its CA). Default: ${DEFAULT-VALUE}.")
        Duration validity = PkiConfig.DEFAULT_VALIDITY;
    }

    /** {@code e2d pki init}: generates a CA and writes its certificate (0644) and key (0600). */
    @Command(
            name = "init",
            mixinStandardHelpOptions = true,
            description = {
                "Generate a new CA (RSA-2048 by default) and write its certificate and key.",
                "Refuses to replace existing files unless --force is given; creates missing directories."
            })
    static final class Init implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init")
        private CommandSpec spec;

        @Mixin
        private CaFiles files = new CaFiles();

        @Option(names = "--force", description = "Replace an existing CA certificate and key.")
        private boolean force;

        @Option(
                names = "--key-type",
                paramLabel = "rsa|ecdsa",
                defaultValue = "rsa",
                description = "Key type: rsa (RSA-2048, PKCS#1; the only type Go e2d derives its snapshot key"
                        + " from) or ecdsa (P-256). Default: ${DEFAULT-VALUE}.")
        private String keyType = "rsa";

        @Mixin
        private Validity validity = new Validity();

        @Override
        public Integer call() {
            PkiConfig config = config(parseKeyType(keyType), validity.validity);
            CertificateAuthority ca;
            try {
                ca = Pki.initCa(files.caCert, files.caKey, config, force);
            } catch (PkiException e) {
                throw writeFailure(e);
            }
            PrintWriter out = spec.commandLine().getOut();
            CertificateInfo info = CertificateInfo.of(ca.certificate());
            out.println(
                    "wrote CA certificate " + files.caCert + " (mode 0644) and key " + files.caKey + " (mode 0600)");
            out.println(
                    "  subject " + info.subject() + ", key " + info.publicKey() + ", valid until " + info.notAfter());
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code e2d pki gencerts}: issues server, peer and client certificates from a CA. */
    @Command(
            name = "gencerts",
            mixinStandardHelpOptions = true,
            description = {
                "Issue a node's server, peer and client certificates from the CA.",
                "Writes [NAME-]server.crt/.key, [NAME-]peer.crt/.key, [NAME-]client.crt/.key",
                "and [NAME-]client.pkcs8.key (keys mode 0600), NAME being --name.",
                "Server and peer certificates name the --hosts, 127.0.0.1, localhost and",
                "this host's address. Existing files are replaced atomically."
            })
    static final class Gencerts implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init")
        private CommandSpec spec;

        @Mixin
        private CaFiles files = new CaFiles();

        @Option(
                names = "--hosts",
                split = ",",
                paramLabel = "<host>",
                description =
                        "Extra IP addresses and DNS names for the server and peer certificates," + " comma-separated.")
        private List<String> hosts = new ArrayList<>();

        @Option(
                names = "--output-dir",
                paramLabel = "<dir>",
                defaultValue = ".",
                description = "Directory to write into (created if missing). Default: the current directory.")
        private Path outputDir = Path.of(".");

        @Option(
                names = "--name",
                paramLabel = "<prefix>",
                defaultValue = "",
                description = "Prefix for the file names, to issue several nodes' certificates into one"
                        + " directory: --name node1 writes node1-server.crt...")
        private String name = "";

        @Mixin
        private Validity validity = new Validity();

        @Override
        public Integer call() {
            CertificateAuthority ca = loadCa(files);
            List<String> sans;
            try {
                sans = Hosts.withDefaults(hosts);
                LeafFiles.in(outputDir, name);
            } catch (PkiException e) {
                throw new InvalidConfigurationException(e.getMessage());
            }
            LeafFiles written;
            try {
                written = Pki.issueAll(ca.withConfig(config(ca.keyType(), validity.validity)), outputDir, name, hosts);
            } catch (PkiException e) {
                throw writeFailure(e);
            }
            PrintWriter out = spec.commandLine().getOut();
            for (Path p : written.all()) {
                out.println("wrote " + p + (p.getFileName().toString().endsWith(".key") ? " (mode 0600)" : ""));
            }
            out.println("server and peer certificates name: " + String.join(", ", sans));
            out.println("generated certificates successfully.");
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code e2d pki show}: describes the certificates of PEM files. */
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = {
                "Describe certificates: subject, issuer, SANs, key usages, validity and days left.",
                "A certificate that has expired or expires within 30 days is flagged."
            })
    static final class Show implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init")
        private CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "<file>", description = "PEM certificate files.")
        private List<Path> certificateFiles = new ArrayList<>();

        private final Clock clock = Clock.systemUTC();

        @Override
        public Integer call() {
            List<List<X509Certificate>> all = new ArrayList<>();
            for (Path file : certificateFiles) {
                try {
                    all.add(Pem.readCertificates(file));
                } catch (PkiException e) {
                    throw new InvalidConfigurationException(e.getMessage());
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            for (int i = 0; i < all.size(); i++) {
                for (X509Certificate cert : all.get(i)) {
                    print(out, certificateFiles.get(i), CertificateInfo.of(cert));
                }
            }
            out.flush();
            return ExitCodes.OK;
        }

        private void print(PrintWriter out, Path file, CertificateInfo info) {
            long days = info.daysLeft(clock);
            String status;
            if (clock.instant().isAfter(info.notAfter())) {
                status = "EXPIRED " + (-days) + " days ago";
            } else if (clock.instant().isBefore(info.notBefore())) {
                status = "NOT YET VALID";
            } else if (info.expiresWithin(CertificateInfo.EXPIRY_WARNING, clock)) {
                status = "EXPIRES SOON: " + days + " days left (under " + CertificateInfo.EXPIRY_WARNING.toDays()
                        + "); renew it with e2d pki gencerts";
            } else {
                status = "valid, " + days + " days left";
            }
            out.println(file + ":");
            out.println("  subject:            " + info.subject());
            out.println("  issuer:             " + info.issuer());
            out.println("  serial:             " + info.serialNumber());
            out.println("  not before:         " + info.notBefore());
            out.println("  not after:          " + info.notAfter());
            out.println("  status:             " + status);
            out.println("  CA:                 " + (info.isCa() ? "yes" : "no"));
            out.println("  public key:         " + info.publicKey());
            out.println("  key usage:          " + joinOrNone(info.keyUsages()));
            out.println("  extended key usage: " + joinOrNone(info.extendedKeyUsages()));
            out.println("  SANs:               " + joinOrNone(info.subjectAltNames()));
            out.println("  SHA-256:            " + info.sha256Fingerprint());
        }

        private static String joinOrNone(List<String> values) {
            return values.isEmpty() ? "none" : String.join(", ", values);
        }
    }

    private static PkiConfig config(KeyType keyType, Duration validity) {
        if (validity.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new InvalidConfigurationException("--validity must be at least 1m, got "
                    + GoDurations.format(validity) + "; e.g. 8760h (a year) or the default 43800h (5 years)");
        }
        try {
            return PkiConfig.builder().keyType(keyType).validity(validity).build();
        } catch (PkiException e) {
            throw new InvalidConfigurationException("--validity: " + e.getMessage());
        }
    }

    private static KeyType parseKeyType(String name) {
        try {
            return KeyType.fromCliName(name);
        } catch (PkiException e) {
            throw new InvalidConfigurationException(e.getMessage());
        }
    }

    private static CertificateAuthority loadCa(CaFiles files) {
        try {
            return CertificateAuthority.load(files.caCert, files.caKey);
        } catch (PkiException e) {
            String hint = e instanceof PkiFileException f
                            && (f.file().equals(files.caCert) || f.file().equals(files.caKey))
                            && !java.nio.file.Files.exists(f.file())
                    ? " (create a CA with: e2d pki init --ca-cert " + files.caCert + " --ca-key " + files.caKey + ")"
                    : "";
            throw new InvalidConfigurationException("cannot load the CA: " + e.getMessage() + hint);
        }
    }

    /** An existing file without --force and bad values are usage errors (2); a failed write is an I/O error (1). */
    private static CliException writeFailure(PkiException e) {
        if (e instanceof OverwriteRefusedException || !(e instanceof PkiFileException)) {
            return new InvalidConfigurationException(e.getMessage());
        }
        return new CliException(ExitCodes.RUNTIME_ERROR, e.getMessage(), e);
    }
}
