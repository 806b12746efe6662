package io.e2d.cli;

import io.e2d.cli.internal.Converters;
import io.e2d.cli.internal.ErrorReporter;
import io.e2d.cli.internal.Progress;
import io.e2d.cli.internal.Subcommands;
import io.e2d.core.E2dException;
import io.e2d.core.server.EtcdBinary;
import io.e2d.core.server.EtcdRestore;
import io.e2d.core.server.EtcdServerConfig;
import io.e2d.pki.PkiException;
import io.e2d.pki.SecretKeys;
import io.e2d.pki.Tls;
import io.e2d.snapshot.Compression;
import io.e2d.snapshot.EtcdSnapshotter;
import io.e2d.snapshot.SnapshotArchive;
import io.e2d.snapshot.SnapshotAuthenticationException;
import io.e2d.snapshot.SnapshotException;
import io.e2d.snapshot.SnapshotInfo;
import io.e2d.snapshot.SnapshotKey;
import io.e2d.snapshot.SnapshotKeyRequiredException;
import io.e2d.snapshot.SnapshotMetadata;
import io.e2d.snapshot.SnapshotSource;
import io.e2d.snapshot.codec.DecodedSnapshot;
import io.e2d.snapshot.codec.SnapshotCheck;
import io.e2d.snapshot.store.SnapshotLocation;
import io.e2d.snapshot.store.SnapshotStore;
import io.e2d.snapshot.store.SnapshotStoreOptions;
import io.e2d.snapshot.store.SnapshotStores;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code e2d snapshot save|restore|ls|verify}: take, restore, list and check snapshots in any store
 * URL ({@code file://}, {@code s3://}, DigitalOcean Spaces), in Go e2d's format. Restores never let
 * unauthenticated bytes reach etcd, and leave the data dir untouched on failure.
 */
@Command(
        name = "snapshot",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Save, restore, list and verify etcd snapshots (file://, s3://, DigitalOcean Spaces).",
        subcommands = {
            SnapshotCommand.Save.class,
            SnapshotCommand.Restore.class,
            SnapshotCommand.Ls.class,
            SnapshotCommand.Verify.class,
            HelpCommand.class
        })
public final class SnapshotCommand implements Runnable {
    @ParentCommand
    @SuppressWarnings("NullAway.Init")
    private E2dCommand parent;

    @Spec
    @SuppressWarnings("NullAway.Init")
    private CommandSpec spec;

    /** Creates the command (picocli instantiates it). */
    public SnapshotCommand() {}

    @Override
    public void run() {
        throw Subcommands.missing(spec);
    }

    /** Where the snapshots are and how to open and decrypt them; shared by every subcommand. */
    static final class StoreOptions {
        @Option(
                names = "--url",
                required = true,
                paramLabel = "<url>",
                description = {
                    "Snapshot location: file:///path/etcd.snapshot,",
                    "s3://bucket[/key] or DigitalOcean Spaces:",
                    "https://<region>.digitaloceanspaces.com/<bucket>",
                    "[/key]."
                })
        String url = "";

        @Option(
                names = "--ca-key",
                paramLabel = "<file>",
                description = "CA key (PEM) from which the snapshot key is derived (SHA-512/256 of its first block):"
                        + " needed to read encrypted snapshots and to write them (save --encrypt).")
        @Nullable
        Path caKey;

        @Option(
                names = "--snapshot-s3-endpoint",
                paramLabel = "<url>",
                description = "Endpoint of an S3-compatible server (MinIO...); enables path-style addressing.")
        @Nullable
        URI s3Endpoint;

        @Option(
                names = "--snapshot-s3-region",
                paramLabel = "<region>",
                description = "S3 region; default: AWS_REGION, the AWS profile, then EC2 instance metadata.")
        @Nullable
        String s3Region;

        @Option(
                names = "--do-spaces-key",
                paramLabel = "<key>",
                description = "DigitalOcean Spaces access key (or E2D_DO_SPACES_KEY).")
        @Nullable
        String spacesKey;

        @Option(
                names = "--do-spaces-secret",
                paramLabel = "<secret>",
                description = "DigitalOcean Spaces secret (or E2D_DO_SPACES_SECRET).")
        @Nullable
        String spacesSecret;

        Optional<SnapshotKey> key() {
            if (caKey == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(SnapshotKey.of(SecretKeys.fromCaKey(caKey)));
            } catch (PkiException e) {
                throw new CliException(ExitCodes.USAGE, "--ca-key " + caKey + ": " + e.getMessage(), e);
            }
        }

        SnapshotStore open(java.util.Map<String, String> env) throws IOException {
            SnapshotStoreOptions.Builder b = SnapshotStoreOptions.builder();
            if (s3Endpoint != null) {
                b.s3Endpoint(s3Endpoint);
            }
            if (s3Region != null) {
                b.s3Region(s3Region);
            }
            String secret = spacesSecret != null ? spacesSecret : env.get("E2D_DO_SPACES_SECRET");
            String key = spacesKey != null ? spacesKey : env.get("E2D_DO_SPACES_KEY");
            if (key != null && secret != null) {
                b.spacesCredentials(key, secret);
            }
            return SnapshotStores.forUri(url, b.build());
        }

        /**
         * The store, for commands that only read: a {@code file://} directory that does not exist is an error
         * (a mistyped path), where the store would list no snapshots.
         */
        SnapshotStore openExisting(java.util.Map<String, String> env) throws IOException {
            SnapshotLocation location = SnapshotLocation.parse(url);
            if (location.type() == SnapshotLocation.Type.FILE) {
                Path dir = Path.of(location.directory().isEmpty() ? "." : location.directory())
                        .toAbsolutePath()
                        .normalize();
                if (!Files.isDirectory(dir)) {
                    throw new CliException(
                            ExitCodes.RUNTIME_ERROR,
                            "no snapshots at " + url + ": the directory " + dir
                                    + (Files.exists(dir) ? " is a file" : " does not exist")
                                    + "; check the path (e2d snapshot save creates it)");
                }
            }
            return open(env);
        }
    }

    /** Runs a subcommand body, turning snapshot failures into one-line CLI errors with exit codes. */
    private static int guarded(StoreOptions store, IoCall body) {
        try {
            return body.call();
        } catch (SnapshotAuthenticationException e) {
            throw new CliException(ExitCodes.RUNTIME_ERROR, store.url + ": " + e.getMessage(), e);
        } catch (SnapshotKeyRequiredException e) {
            throw new CliException(ExitCodes.USAGE, store.url + ": " + e.getMessage(), e);
        } catch (SnapshotException e) {
            throw new CliException(ExitCodes.RUNTIME_ERROR, store.url + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.RUNTIME_ERROR, ErrorReporter.describe(e), e);
        }
    }

    @FunctionalInterface
    private interface IoCall {
        int call() throws IOException;
    }

    private static SnapshotInfo select(SnapshotArchive archive, @Nullable String name, String url) throws IOException {
        if (name != null) {
            return archive.find(name);
        }
        return archive.latest()
                .orElseThrow(() -> new CliException(ExitCodes.RUNTIME_ERROR, "no snapshot found at " + url));
    }

    /** {@code text} as an http(s)://host:port URL, or a usage error naming {@code flag}. */
    static URI httpUrl(String flag, String text, String example) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null
                || uri.getHost() == null
                || uri.getPort() < 0
                || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new InvalidConfigurationException(
                    flag + " needs http(s)://host:port URLs, got \"" + text.strip() + "\"; e.g. " + example);
        }
        return uri;
    }

    /** What every subcommand shares: the parent (for the environment), the store options, its spec. */
    abstract static class Subcommand implements Callable<Integer> {
        @ParentCommand
        @SuppressWarnings("NullAway.Init")
        SnapshotCommand snapshot;

        @Mixin
        StoreOptions store = new StoreOptions();

        @Spec
        @SuppressWarnings("NullAway.Init")
        CommandSpec spec;
    }

    /** {@code e2d snapshot save}. */
    @Command(
            name = "save",
            mixinStandardHelpOptions = true,
            description = "Snapshot a running etcd into the store, streaming (constant memory).")
    static final class Save extends Subcommand {

        @Option(
                names = "--endpoints",
                split = ",",
                paramLabel = "<url>",
                defaultValue = "http://127.0.0.1:2379",
                description = {"etcd client URLs (comma-separated).", "Default: ${DEFAULT-VALUE}."})
        List<String> endpoints = List.of();

        @Option(
                names = {"--compression", "--snapshot-compression"},
                paramLabel = "gzip|zstd|none",
                arity = "0..1",
                fallbackValue = "gzip",
                defaultValue = "none",
                description = "Compression; alone it means gzip, as in Go e2d. Default: ${DEFAULT-VALUE}.")
        String compression = "none";

        @Option(
                names = {"--encrypt", "--snapshot-encryption"},
                description = "Encrypt with the key derived from --ca-key (Go e2d's envelope).")
        boolean encrypt;

        @Option(
                names = "--retention",
                paramLabel = "<n>",
                defaultValue = "" + SnapshotArchive.DEFAULT_RETENTION,
                description = "Snapshots kept (at least 1); older ones are deleted after a successful save."
                        + " Default: ${DEFAULT-VALUE}.")
        int retention;

        @Option(
                names = "--timeout",
                paramLabel = "<duration>",
                defaultValue = "10m",
                converter = Converters.GoDuration.class,
                description = "Bound for the whole snapshot, a Go duration such as 90s, 5m or 1m30s"
                        + " (a number needs a unit). Default: ${DEFAULT-VALUE}.")
        Duration timeout = Duration.ofMinutes(10);

        @Option(
                names = "--ca-cert",
                paramLabel = "<file>",
                description = "CA certificate (PEM) that signed etcd's server certificate; needed for https endpoints.")
        @Nullable
        Path caCert;

        @Option(
                names = "--client-cert",
                paramLabel = "<file>",
                description = "Client certificate (PEM) for etcd's client-cert-auth, e.g. client.crt or peer.crt.")
        @Nullable
        Path clientCert;

        @Option(
                names = "--client-key",
                paramLabel = "<file>",
                description = "Key of --client-cert (PEM: PKCS#1, PKCS#8 or SEC1).")
        @Nullable
        Path clientKey;

        /** The endpoints; https ones verify etcd against --ca-cert, never silently not. */
        private SnapshotSource source() {
            if ((clientCert == null) != (clientKey == null)) {
                throw new CliException(
                        ExitCodes.USAGE, "--client-cert and --client-key go together: give both or neither");
            }
            List<URI> urls = endpoints.stream()
                    .map(e -> httpUrl("--endpoints", e, "http://127.0.0.1:2379"))
                    .toList();
            boolean https = urls.stream().anyMatch(u -> "https".equals(u.getScheme()));
            if (!https) {
                if (caCert != null || clientCert != null) {
                    throw new CliException(
                            ExitCodes.USAGE,
                            "TLS files were given but the endpoints are plain http: use https:// endpoints");
                }
                return SnapshotSource.of(urls, Optional.empty());
            }
            if (caCert == null) {
                throw new CliException(
                        ExitCodes.USAGE, "https endpoints need --ca-cert <file> (the CA of etcd's server certificate)");
            }
            Path ca = caCert;
            try {
                Optional<KeyManagerFactory> keys =
                        clientCert == null ? Optional.empty() : Optional.of(Tls.keyManagers(clientCert, requireKey()));
                return SnapshotSource.of(
                        urls, Optional.of(Tls.clientContext(keys, Optional.of(Tls.trustManagers(ca)))));
            } catch (PkiException e) {
                throw new CliException(ExitCodes.USAGE, "TLS files for etcd: " + e.getMessage(), e);
            }
        }

        private Path requireKey() {
            return java.util.Objects.requireNonNull(clientKey, "--client-key");
        }

        @Override
        public Integer call() {
            return guarded(store, () -> {
                if (timeout.isZero()) {
                    throw new CliException(ExitCodes.USAGE, "--timeout must be longer than 0, e.g. 90s, 5m or 1m30s");
                }
                if (retention < 1) {
                    throw new InvalidConfigurationException(
                            "--retention must be at least 1 (snapshots kept), got " + retention);
                }
                SnapshotSource source = source(); // checks the URLs and TLS files before anything is opened
                Compression c = Compression.parse(compression);
                Optional<SnapshotKey> key = store.key();
                if (encrypt && key.isEmpty()) {
                    throw new CliException(ExitCodes.USAGE, "--encrypt needs --ca-key <file> to derive the key");
                }
                PrintWriter out = spec.commandLine().getOut();
                PrintWriter err = spec.commandLine().getErr();
                try (SnapshotStore s = store.open(snapshot.parent.env());
                        Progress progress = new Progress(err, "saving", Progress.isTerminal())) {
                    SnapshotArchive archive = SnapshotArchive.builder(s)
                            .compression(c)
                            .key(encrypt ? key : Optional.empty())
                            .retention(retention)
                            .build();
                    SnapshotInfo saved = EtcdSnapshotter.save(source, archive, timeout, progress);
                    SnapshotMetadata m = saved.metadata().orElseThrow();
                    progress.close();
                    out.println("saved " + saved.name() + ": revision " + m.revision() + ", " + Progress.human(m.size())
                            + " -> " + Progress.human(m.storedSize()) + " (" + m.codec() + ")");
                    out.flush();
                }
                return ExitCodes.OK;
            });
        }
    }

    /** {@code e2d snapshot restore}. */
    @Command(
            name = "restore",
            mixinStandardHelpOptions = true,
            description = {
                "Restore an etcd data dir from the latest (or --snapshot) snapshot.",
                "The snapshot is decoded into a temporary file and authenticated first;",
                "the data dir is replaced only after etcd's restore succeeded",
                "(with --force, an existing one is kept as <dir>.replaced-<time>)."
            })
    static final class Restore extends Subcommand {

        @Option(names = "--data-dir", required = true, paramLabel = "<dir>", description = "etcd data dir to create.")
        Path dataDir = Path.of("data");

        @Option(names = "--snapshot", paramLabel = "<name>", description = "Snapshot name (see ls); default: latest.")
        @Nullable
        String name;

        @Option(names = "--name", paramLabel = "<name>", description = "etcd member name.")
        @Nullable
        String memberName;

        @Option(names = "--initial-cluster", paramLabel = "<name=url,...>", description = "etcd initial cluster.")
        @Nullable
        String initialCluster;

        @Option(names = "--initial-advertise-peer-urls", paramLabel = "<url>", description = "This member's peer URLs.")
        @Nullable
        String peerUrls;

        @Option(names = "--initial-cluster-token", paramLabel = "<token>", description = "etcd initial cluster token.")
        @Nullable
        String token;

        @Option(names = "--force", description = "Replace a non-empty data dir (kept as <dir>.replaced-<time>).")
        boolean force;

        @Option(
                names = "--etcd-binary",
                paramLabel = "<file>",
                description = "etcd executable (etcdutl or etcdctl is looked for next to it, then on the PATH);"
                        + " default: $E2D_ETCD_BINARY, else etcd on the PATH.")
        @Nullable
        Path etcdBinary;

        @Override
        public Integer call() {
            return guarded(store, () -> {
                Path target = dataDir.toAbsolutePath().normalize();
                if (Files.exists(target) && !Files.isDirectory(target)) {
                    throw new InvalidConfigurationException("--data-dir " + target
                            + " is a file, not a directory; give the path of the etcd data dir to create");
                }
                EtcdServerConfig config = restoreConfig(target.resolveSibling(".e2d-restore-check"));
                EtcdBinary etcd = EtcdBinary.resolve(Optional.ofNullable(etcdBinary), snapshot.parent.env());
                if (!force && Files.isDirectory(target) && !isEmpty(target)) {
                    throw new CliException(
                            ExitCodes.USAGE,
                            "--data-dir " + target + " is not empty; pass --force to replace it (it is kept as "
                                    + target.getFileName() + ".replaced-<time>)");
                }
                Path parentDir = target.getParent();
                Files.createDirectories(parentDir);
                Path work = Files.createTempDirectory(parentDir, ".e2d-restore-", privateDir());
                PrintWriter out = spec.commandLine().getOut();
                try (SnapshotStore s = store.openExisting(snapshot.parent.env())) {
                    SnapshotArchive archive =
                            SnapshotArchive.builder(s).key(store.key()).build();
                    SnapshotInfo chosen = select(archive, name, store.url);
                    Path restored = work.resolve("data");
                    boolean trailer;
                    try (Progress progress =
                                    new Progress(spec.commandLine().getErr(), "fetching", Progress.isTerminal());
                            DecodedSnapshot db = archive.fetch(chosen, work, progress)) {
                        trailer = db.check().hasHashTrailer();
                        EtcdRestore.restore(
                                db.file(), config.toBuilder().dataDir(restored).build(), etcd);
                    }
                    if (Files.exists(target)) {
                        Path aside = target.resolveSibling(target.getFileName() + ".replaced-"
                                + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
                                        .withZone(java.time.ZoneOffset.UTC)
                                        .format(Instant.now()));
                        Files.move(target, aside);
                        out.println("moved the previous data dir to " + aside);
                    }
                    Files.move(restored, target);
                    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
                    }
                    out.println("restored " + chosen.name() + " into " + target
                            + (trailer ? "" : " (no SHA-256 trailer: etcd's hash check skipped; e2d verified it)"));
                    out.flush();
                } finally {
                    deleteTree(work);
                }
                return ExitCodes.OK;
            });
        }

        /**
         * The member the data dir is restored for; etcd's defaults where a flag is absent. Built before anything
         * is fetched, so that a malformed flag is a usage error naming it.
         */
        private EtcdServerConfig restoreConfig(Path restoredDir) {
            String member = memberName != null ? memberName : "default";
            if (!member.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
                throw new InvalidConfigurationException("--name must be 1-63 letters, digits, '.', '_' or '-', got \""
                        + member + "\"; use the member's name, e.g. node-1");
            }
            URI peer = peerUrls != null
                    ? url("--initial-advertise-peer-urls", peerUrls.split(",")[0])
                    : URI.create("http://localhost:2380");
            EtcdServerConfig.Builder b =
                    EtcdServerConfig.builder().name(member).dataDir(restoredDir).peerUrl(peer);
            if (initialCluster != null) {
                Map<String, URI> members = new LinkedHashMap<>();
                for (String entry : initialCluster.split(",")) {
                    int eq = entry.indexOf('=');
                    if (eq <= 0) {
                        throw new CliException(
                                ExitCodes.USAGE,
                                "--initial-cluster must be name=url[,name=url...], got '" + initialCluster + "'");
                    }
                    members.put(entry.substring(0, eq).strip(), url("--initial-cluster", entry.substring(eq + 1)));
                }
                b.initialCluster(members);
            }
            if (token != null) {
                b.initialClusterToken(token);
            }
            try {
                return b.build();
            } catch (IllegalArgumentException | E2dException e) {
                throw new InvalidConfigurationException(
                        "--initial-cluster or --initial-advertise-peer-urls: " + e.getMessage());
            }
        }

        private static URI url(String flag, String text) {
            return httpUrl(flag, text, "http://10.0.0.5:2380");
        }

        private static boolean isEmpty(Path dir) throws IOException {
            try (Stream<Path> s = Files.list(dir)) {
                return s.findAny().isEmpty();
            }
        }

        private static java.nio.file.attribute.FileAttribute<?>[] privateDir() {
            if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                return new java.nio.file.attribute.FileAttribute<?>[0];
            }
            return new java.nio.file.attribute.FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))
            };
        }

        private static void deleteTree(Path dir) throws IOException {
            if (!Files.exists(dir)) {
                return;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** {@code e2d snapshot ls}. */
    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List snapshots, newest first.")
    static final class Ls extends Subcommand {

        @Override
        public Integer call() {
            return guarded(store, () -> {
                PrintWriter out = spec.commandLine().getOut();
                try (SnapshotStore s = store.openExisting(snapshot.parent.env())) {
                    List<SnapshotInfo> all = SnapshotArchive.builder(s).build().list();
                    out.println(String.format(
                            Locale.ROOT, "%-24s %12s %10s %-22s %s", "CREATED", "REVISION", "STORED", "CODEC", "NAME"));
                    for (SnapshotInfo i : all) {
                        out.println(String.format(
                                Locale.ROOT,
                                "%-24s %12s %10s %-22s %s",
                                i.createdAt(),
                                i.revision().isPresent()
                                        ? Long.toString(i.revision().getAsLong())
                                        : "-",
                                Progress.human(i.storedSize()),
                                i.metadata().map(SnapshotMetadata::codec).orElse(i.isLegacy() ? "(Go e2d)" : "?"),
                                i.name()));
                    }
                    out.flush();
                }
                return ExitCodes.OK;
            });
        }
    }

    /** {@code e2d snapshot verify}. */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Decode a snapshot and check it (MAC, bbolt header, SHA-256 trailer, metadata) without"
                    + " restoring; exit 0 when it is intact.")
    static final class Verify extends Subcommand {

        @Option(names = "--snapshot", paramLabel = "<name>", description = "Snapshot name (see ls); default: latest.")
        @Nullable
        String name;

        @Override
        public Integer call() {
            return guarded(store, () -> {
                PrintWriter out = spec.commandLine().getOut();
                try (SnapshotStore s = store.openExisting(snapshot.parent.env())) {
                    SnapshotArchive archive =
                            SnapshotArchive.builder(s).key(store.key()).build();
                    SnapshotInfo chosen = select(archive, name, store.url);
                    SnapshotCheck check = archive.verify(chosen);
                    out.println("OK " + chosen.name() + ": " + Progress.human(check.size()) + " bbolt, layers "
                            + check.layers() + ", "
                            + (check.isEncrypted() ? "MAC verified" : "not encrypted") + ", "
                            + (check.hasHashTrailer() ? "SHA-256 trailer verified" : "no SHA-256 trailer") + ", "
                            + (chosen.metadata().isPresent() ? "metadata matches" : "no metadata"));
                    out.flush();
                }
                return ExitCodes.OK;
            });
        }
    }
}
