package io.e2d.cli;

import io.e2d.cli.internal.Converters;
import io.e2d.cli.internal.EnvironmentDefaults;
import io.e2d.cli.internal.GoDurations;
import io.e2d.cli.internal.HostAddresses;
import io.e2d.cli.internal.HostPort;
import io.e2d.cli.internal.ManagedNode;
import io.e2d.cli.internal.RunSettings;
import io.e2d.cli.internal.SingleNode;
import io.e2d.cli.internal.SnapshotCompression;
import io.e2d.discovery.DiscoveryException;
import io.e2d.discovery.DiscoverySpec;
import io.e2d.discovery.PeerDiscoveries;
import io.e2d.pki.Pem;
import io.e2d.pki.PkiException;
import io.e2d.pki.Tls;
import io.e2d.snapshot.SnapshotArchive;
import io.e2d.snapshot.store.SnapshotLocation;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code e2d run}: starts etcd with the flags of Go e2d ({@code E2D_*} variables included) and looks
 * after it until SIGINT or SIGTERM: a single node, or with {@code -n 3|5} (or snapshots, or {@code
 * --http-addr}) a node of a cluster run by e2d-core's manager. Validation errors name the flag, or the
 * {@code E2D_*} variable when the value came from the environment.
 */
@Command(
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        name = "run",
        description = "Start a managed etcd instance and keep it running until SIGINT or SIGTERM.",
        sortOptions = false,
        showDefaultValues = true,
        footerHeading = "%n",
        footer = {
            "Every flag can also be set by an environment variable named after it:",
            "--data-dir -> E2D_DATA_DIR,",
            "-n/--required-cluster-size -> E2D_REQUIRED_CLUSTER_SIZE.",
            "A flag wins over the variable, the variable wins over the default.",
            "Durations use Go's notation: 250ms, 30s, 5m, 1h30m.",
            "Booleans: true or false (also 1, 0, t, f)."
        })
public final class RunCommand implements Callable<Integer> {

    /** Default client port. */
    public static final int DEFAULT_CLIENT_PORT = 2379;
    /** Default peer port. */
    public static final int DEFAULT_PEER_PORT = 2380;
    /** Default gossip port. */
    public static final int DEFAULT_GOSSIP_PORT = 7980;

    @ParentCommand
    @SuppressWarnings("NullAway.Init")
    private E2dCommand parent;

    @Spec
    @SuppressWarnings("NullAway.Init")
    private CommandSpec spec;

    @Option(
            names = "--name",
            paramLabel = "<name>",
            defaultValue = "",
            showDefaultValue = Visibility.NEVER,
            description = "Member name; empty: derived from the host name.")
    private String name = "";

    @Option(
            names = "--data-dir",
            paramLabel = "<dir>",
            defaultValue = "data",
            description = "etcd data directory (made 0700).")
    private Path dataDir = Path.of("data");

    @Option(
            names = "--host",
            paramLabel = "<host>",
            defaultValue = "",
            showDefaultValue = Visibility.NEVER,
            description = "Host advertised in place of 0.0.0.0; empty: the first non-loopback IPv4 address.")
    private String host = "";

    @Option(
            names = "--client-addr",
            paramLabel = "<host:port>",
            defaultValue = "127.0.0.1:2379",
            converter = Converters.Address.class,
            description = "Client listen address host:port; 0.0.0.0 listens on every interface.")
    private HostPort clientAddr = HostPort.parse("127.0.0.1:2379");

    @Option(
            names = "--peer-addr",
            paramLabel = "<host:port>",
            defaultValue = "127.0.0.1:2380",
            converter = Converters.Address.class,
            description = "Peer listen address host:port.")
    private HostPort peerAddr = HostPort.parse("127.0.0.1:2380");

    @Option(
            names = "--gossip-addr",
            paramLabel = "<host:port>",
            defaultValue = "127.0.0.1:7980",
            converter = Converters.Address.class,
            description = "Gossip listen address host:port (clusters of 3 or 5).")
    private HostPort gossipAddr = HostPort.parse("127.0.0.1:7980");

    @Option(
            names = "--ca-cert",
            paramLabel = "<file>",
            description = "CA certificate (PEM) that client and peer certificates must chain to.")
    private @Nullable Path caCert;

    @Option(
            names = "--ca-key",
            paramLabel = "<file>",
            description = "CA private key (PEM); the snapshot encryption key is derived from it.")
    private @Nullable Path caKey;

    @Option(names = "--peer-cert", paramLabel = "<file>", description = "Peer TLS certificate (PEM).")
    private @Nullable Path peerCert;

    @Option(names = "--peer-key", paramLabel = "<file>", description = "Peer TLS private key (PEM).")
    private @Nullable Path peerKey;

    @Option(names = "--server-cert", paramLabel = "<file>", description = "Client listener TLS certificate (PEM).")
    private @Nullable Path serverCert;

    @Option(names = "--server-key", paramLabel = "<file>", description = "Client listener TLS private key (PEM).")
    private @Nullable Path serverKey;

    @Option(
            names = "--bootstrap-addrs",
            paramLabel = "<host[:port]>",
            split = ",",
            converter = Converters.Address.class,
            showDefaultValue = Visibility.NEVER,
            description = "Comma-separated gossip seeds host[:port] (port 7980 when omitted); empty: none.")
    private List<HostPort> bootstrapAddrs = new ArrayList<>();

    @Option(
            names = {"-n", "--required-cluster-size"},
            paramLabel = "<n>",
            defaultValue = "1",
            description = "Number of members: 1, 3 or 5 (0 means 1).")
    private int requiredClusterSize = 1;

    @Option(
            names = "--health-check-interval",
            paramLabel = "<duration>",
            defaultValue = "1m",
            converter = Converters.GoDuration.class,
            description = "How often members are checked (accepted, not used yet, as in Go e2d).")
    private Duration healthCheckInterval = Duration.ofMinutes(1);

    @Option(
            names = "--health-check-timeout",
            paramLabel = "<duration>",
            defaultValue = "5m",
            converter = Converters.GoDuration.class,
            description = "How long a member may be unreachable before it is removed.")
    private Duration healthCheckTimeout = Duration.ofMinutes(5);

    @Option(
            names = "--peer-discovery",
            paramLabel = "<method[:args]>",
            defaultValue = "",
            showDefaultValue = Visibility.NEVER,
            description =
                    "Peer discovery: aws-autoscaling-group, ec2-tags:k=v[,k2=v2], do-tags:tag, dns:name, static:host[:port],...")
    private String peerDiscovery = "";

    @Option(
            names = "--snapshot-interval",
            paramLabel = "<duration>",
            defaultValue = "1m",
            converter = Converters.GoDuration.class,
            description = "Snapshot period.")
    private Duration snapshotInterval = Duration.ofMinutes(1);

    @Option(
            names = "--snapshot-backup-url",
            paramLabel = "<url>",
            defaultValue = "",
            showDefaultValue = Visibility.NEVER,
            description = "Where snapshots go (file://, s3://, ...); empty: no snapshots.")
    private String snapshotBackupUrl = "";

    @Option(
            names = "--snapshot-compression",
            paramLabel = "<codec>",
            arity = "0..1",
            defaultValue = "none",
            fallbackValue = "gzip",
            converter = SnapshotCompression.Converter.class,
            description = "Snapshot compression: gzip, zstd or none; the bare flag means gzip.")
    private SnapshotCompression snapshotCompression = SnapshotCompression.NONE;

    @Option(
            names = "--snapshot-encryption",
            defaultValue = "false",
            converter = Converters.GoBoolean.class,
            description = "Encrypt snapshots with a key derived from --ca-key.")
    private boolean snapshotEncryption;

    @Option(
            names = "--snapshot-s3-endpoint",
            paramLabel = "<url>",
            defaultValue = "",
            showDefaultValue = Visibility.NEVER,
            description = "Endpoint of an S3-compatible server (MinIO, Ceph...) for s3:// snapshot URLs, with"
                    + " path-style addressing; empty: AWS S3.")
    private String snapshotS3Endpoint = "";

    @Option(
            names = "--snapshot-retention",
            paramLabel = "<n>",
            defaultValue = "" + SnapshotArchive.DEFAULT_RETENTION,
            description = "Snapshots kept in the store; older ones are deleted after each successful save.")
    private int snapshotRetention = SnapshotArchive.DEFAULT_RETENTION;

    @Option(
            names = "--aws-access-key",
            paramLabel = "<key>",
            defaultValue = "",
            showDefaultValue = Visibility.NEVER,
            description = "AWS access key for ec2-tags and aws-autoscaling-group discovery, with --aws-secret-key;"
                    + " empty: the AWS SDK's default credentials (S3 snapshots always use those).")
    private String awsAccessKey = "";

    @Option(
            names = "--aws-secret-key",
            paramLabel = "<secret>",
            defaultValue = "",
            showDefaultValue = Visibility.NEVER,
            description = "AWS secret key of --aws-access-key.")
    private String awsSecretKey = "";

    @Option(
            names = "--aws-role-session-name",
            paramLabel = "<name>",
            defaultValue = "",
            showDefaultValue = Visibility.NEVER,
            description =
                    "Accepted for compatibility, no effect: e2d assumes no role; S3 uses the AWS SDK's default"
                            + " credentials (environment, profile, EC2 instance role), EC2 discovery those or --aws-access-key.")
    private String awsRoleSessionName = "";

    @Option(
            names = "--do-access-token",
            paramLabel = "<token>",
            defaultValue = "",
            showDefaultValue = Visibility.NEVER,
            description = "DigitalOcean API token (do-tags discovery).")
    private String doAccessToken = "";

    @Option(
            names = "--do-spaces-key",
            paramLabel = "<key>",
            defaultValue = "",
            showDefaultValue = Visibility.NEVER,
            description = "DigitalOcean Spaces access key (snapshots).")
    private String doSpacesKey = "";

    @Option(
            names = "--do-spaces-secret",
            paramLabel = "<secret>",
            defaultValue = "",
            showDefaultValue = Visibility.NEVER,
            description = "DigitalOcean Spaces secret key (snapshots).")
    private String doSpacesSecret = "";

    @Option(
            names = "--etcd-binary",
            paramLabel = "<file>",
            description = "etcd executable (3.4, 3.5 or 3.6); default: etcd on the PATH.")
    private @Nullable Path etcdBinary;

    @Option(
            names = "--http-addr",
            paramLabel = "<host:port>",
            defaultValue = "",
            showDefaultValue = Visibility.NEVER,
            description = "Serve /healthz, /metrics and /status on host:port (loopback recommended); empty: off.")
    private String httpAddr = "";

    /** Created by picocli. */
    public RunCommand() {}

    @Override
    public Integer call() {
        RunSettings settings = settings();
        for (String unknown : unknownVariables()) {
            spec.commandLine()
                    .getErr()
                    .println("e2d: warning: ignoring " + unknown + ": e2d run has no such variable (flag --x-y reads"
                            + " E2D_X_Y; see 'e2d run --help')");
        }
        spec.commandLine().getErr().flush();
        Logger log = LoggerFactory.getLogger(RunCommand.class);
        if (!awsRoleSessionName.isEmpty()) {
            log.warn(
                    "--aws-role-session-name has no effect: e2d assumes no role; S3 uses the AWS SDK's default"
                            + " credentials (environment, profile, EC2 instance role), EC2 discovery those or --aws-access-key");
        }
        if (settings.clusterSize() > 1
                && settings.bootstrapAddrs().isEmpty()
                && settings.peerDiscovery().isEmpty()) {
            throw new InvalidConfigurationException("-n " + settings.clusterSize()
                    + " needs gossip seeds: set --bootstrap-addrs host:port,... or --peer-discovery");
        }
        if (settings.clusterSize() > 1
                || !settings.snapshotBackupUrl().isEmpty()
                || settings.httpAddr().isPresent()) {
            // clusters, snapshots, restores and the status endpoint run through the cluster manager
            return new ManagedNode(settings, spec.commandLine().getOut(), log).run();
        }
        for (String unused : notYetUsedFlags()) {
            log.warn("{} is accepted but not used by a single node without snapshots", unused);
        }
        return new SingleNode(settings, parent.env(), spec.commandLine().getOut(), log).run();
    }

    /** The launcher's own variables: not flags, but not typos either. */
    private static final List<String> LAUNCHER_VARIABLES = List.of("E2D_JAVA_OPTS", "E2D_NO_BUILD", "E2D_CDS");

    /** {@code E2D_*} variables that no flag reads (a typo such as E2D_DATA_DRI would go unnoticed). */
    List<String> unknownVariables() {
        List<String> known = new ArrayList<>(LAUNCHER_VARIABLES);
        spec.options().forEach(o -> EnvironmentDefaults.variableFor(o).ifPresent(known::add));
        return parent.env().keySet().stream()
                .filter(name -> name.startsWith(EnvironmentDefaults.PREFIX) && !known.contains(name))
                .sorted()
                .toList();
    }

    private List<String> notYetUsedFlags() {
        List<String> unused = new ArrayList<>();
        if (!peerDiscovery.isEmpty()) {
            unused.add("--peer-discovery");
        }
        if (!bootstrapAddrs.isEmpty()) {
            unused.add("--bootstrap-addrs");
        }
        return unused;
    }

    /**
     * Validates the flags and variables and resolves addresses.
     *
     * @throws InvalidConfigurationException naming the flag, what it got and what it accepts
     */
    RunSettings settings() {
        int n = requiredClusterSize == 0 ? 1 : requiredClusterSize;
        if (n != 1 && n != 3 && n != 5) {
            throw new InvalidConfigurationException(
                    source("-n/--required-cluster-size", "--required-cluster-size") + " must be 1, 3 or 5, got " + n);
        }
        requirePositive("--health-check-interval", healthCheckInterval);
        requirePositive("--health-check-timeout", healthCheckTimeout);
        requirePositive("--snapshot-interval", snapshotInterval);
        if (!name.isEmpty() && !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new InvalidConfigurationException(source("--name")
                    + " must be letters, digits, '.', '_' or '-', got \"" + name + "\"; choose a name such as node-1");
        }
        if (!host.isEmpty()) {
            HostPort parsed;
            try {
                parsed = HostPort.parse(host + ":1");
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(
                        source("--host") + " must be a host name or IP address, got \"" + host + "\"");
            }
            if (parsed.isWildcard() || parsed.port() != 1) {
                throw new InvalidConfigurationException(
                        source("--host") + " must be an address other machines can reach, got " + host);
            }
        }
        validatePeerDiscovery();
        RunSettings.Tls tls = tls();
        if (snapshotRetention < 1) {
            throw new InvalidConfigurationException(
                    source("--snapshot-retention") + " must be at least 1 (snapshots kept), got " + snapshotRetention);
        }
        if (snapshotEncryption && tls.caKey().isEmpty()) {
            throw new InvalidConfigurationException(
                    "--snapshot-encryption needs --ca-key: the encryption key is derived from the CA key");
        }
        validateSnapshotBackupUrl();
        String advertiseHost =
                host.isEmpty() ? HostAddresses.firstNonLoopbackIpv4().orElse("127.0.0.1") : host;
        RunSettings.Endpoint client = endpoint(
                clientAddr.withDefaultPort(DEFAULT_CLIENT_PORT), advertiseHost, tls.isClientTls() ? "https" : "http");
        RunSettings.Endpoint peer = endpoint(
                peerAddr.withDefaultPort(DEFAULT_PEER_PORT), advertiseHost, tls.isPeerTls() ? "https" : "http");
        if (client.listen().equals(peer.listen())) {
            throw new InvalidConfigurationException(
                    "--client-addr and --peer-addr must differ, both are " + client.listen());
        }
        HostPort gossip = gossipAddr.withDefaultPort(DEFAULT_GOSSIP_PORT);
        List<HostPort> seeds = bootstrapAddrs.stream()
                .map(a -> a.withDefaultPort(DEFAULT_GOSSIP_PORT))
                .map(a -> a.isWildcard() ? a.withHost(advertiseHost) : a)
                .toList();
        return new RunSettings(
                name,
                dataDirectory(),
                client,
                peer,
                gossip,
                tls,
                seeds,
                n,
                healthCheckInterval,
                healthCheckTimeout,
                peerDiscovery,
                snapshotInterval,
                snapshotBackupUrl,
                snapshotCompression,
                snapshotEncryption,
                snapshotS3Endpoint(),
                snapshotRetention,
                explicitEtcdBinary(),
                httpAddress(),
                credentials());
    }

    private Optional<URI> snapshotS3Endpoint() {
        if (snapshotS3Endpoint.isEmpty()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(snapshotS3Endpoint);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null
                || uri.getHost() == null
                || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new InvalidConfigurationException(source("--snapshot-s3-endpoint")
                    + " must be an http(s) URL with a host, got \"" + snapshotS3Endpoint
                    + "\"; use e.g. http://minio.local:9000");
        }
        return Optional.of(uri);
    }

    private RunSettings.Credentials credentials() {
        if (doSpacesKey.isEmpty() != doSpacesSecret.isEmpty()) {
            throw new InvalidConfigurationException(
                    "--do-spaces-key and --do-spaces-secret go together: give both or neither");
        }
        if (awsAccessKey.isEmpty() != awsSecretKey.isEmpty()) {
            throw new InvalidConfigurationException(
                    "--aws-access-key and --aws-secret-key go together: give both or neither");
        }
        return new RunSettings.Credentials(doAccessToken, doSpacesKey, doSpacesSecret, awsAccessKey, awsSecretKey);
    }

    /**
     * The binary given on the command line. {@code E2D_ETCD_BINARY} is left to {@link
     * io.e2d.core.server.EtcdBinary#resolve}, so that its messages name the variable.
     */
    private Optional<Path> explicitEtcdBinary() {
        var parsed = spec.commandLine().getParseResult();
        if (etcdBinary == null || parsed == null || !parsed.hasMatchedOption("--etcd-binary")) {
            return Optional.empty();
        }
        return Optional.of(etcdBinary.toAbsolutePath().normalize());
    }

    private Optional<HostPort> httpAddress() {
        if (httpAddr.isEmpty()) {
            return Optional.empty();
        }
        HostPort parsed;
        try {
            parsed = HostPort.parse(httpAddr);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(source("--http-addr") + ": "
                    + String.valueOf(e.getMessage()).replace("e.g. 127.0.0.1:2379", "e.g. 127.0.0.1:8080"));
        }
        if (parsed.port() == 0) {
            throw new InvalidConfigurationException(
                    source("--http-addr") + " needs a port, got \"" + httpAddr + "\"; use e.g. 127.0.0.1:8080");
        }
        return Optional.of(parsed);
    }

    private static RunSettings.Endpoint endpoint(HostPort listen, String advertiseHost, String scheme) {
        HostPort advertised = listen.isWildcard() ? listen.withHost(advertiseHost) : listen;
        return new RunSettings.Endpoint(listen, advertised, scheme);
    }

    private RunSettings.Tls tls() {
        pair("--server-cert", serverCert, "--server-key", serverKey);
        pair("--peer-cert", peerCert, "--peer-key", peerKey);
        if (caCert != null && serverCert == null && peerCert == null) {
            throw new InvalidConfigurationException("--ca-cert needs TLS on a listener to check certificates:"
                    + " add --server-cert/--server-key and/or --peer-cert/--peer-key");
        }
        RunSettings.Tls tls = new RunSettings.Tls(
                readable("--ca-cert", caCert),
                readable("--ca-key", caKey),
                readable("--server-cert", serverCert),
                readable("--server-key", serverKey),
                readable("--peer-cert", peerCert),
                readable("--peer-key", peerKey));
        tls.caCert().ifPresent(f -> pem("--ca-cert", f, () -> Pem.readCertificates(f)));
        tls.caKey().ifPresent(f -> pem("--ca-key", f, () -> Pem.readPrivateKey(f)));
        keyPair("--server-cert", tls.serverCert(), "--server-key", tls.serverKey());
        keyPair("--peer-cert", tls.peerCert(), "--peer-key", tls.peerKey());
        return tls;
    }

    /** A certificate and key that parse and belong together, checked before etcd starts. */
    private void keyPair(String certFlag, Optional<Path> cert, String keyFlag, Optional<Path> key) {
        if (cert.isEmpty() || key.isEmpty()) {
            return;
        }
        pem(certFlag, cert.get(), () -> Pem.readCertificates(cert.get()));
        pem(keyFlag, key.get(), () -> Pem.readPrivateKey(key.get()));
        try {
            Tls.checkKeyPair(cert.get(), key.get());
        } catch (PkiException e) {
            throw new InvalidConfigurationException(
                    source(certFlag) + " and " + source(keyFlag) + " do not match: " + e.getMessage());
        }
    }

    private void pem(String flag, Path file, Runnable read) {
        try {
            read.run();
        } catch (PkiException e) {
            throw new InvalidConfigurationException(source(flag) + " " + file + ": " + e.getMessage());
        }
    }

    private static void pair(String certFlag, @Nullable Path cert, String keyFlag, @Nullable Path key) {
        if ((cert == null) != (key == null)) {
            String given = cert != null ? certFlag : keyFlag;
            String missing = cert != null ? keyFlag : certFlag;
            throw new InvalidConfigurationException(given + " needs " + missing + ": give both or neither");
        }
    }

    private Optional<Path> readable(String flag, @Nullable Path file) {
        if (file == null) {
            return Optional.empty();
        }
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            throw new InvalidConfigurationException(source(flag) + " " + absolute
                    + (Files.exists(absolute) ? " is not a regular file" : " does not exist")
                    + ": give the path of a PEM file");
        }
        if (!Files.isReadable(absolute)) {
            throw new InvalidConfigurationException(
                    source(flag) + " " + absolute + " is not readable by this user: fix its permissions");
        }
        return Optional.of(absolute);
    }

    private void validatePeerDiscovery() {
        if (peerDiscovery.isEmpty()) {
            return;
        }
        String method;
        try {
            method = DiscoverySpec.parse(peerDiscovery).method();
        } catch (DiscoveryException e) {
            throw new InvalidConfigurationException(String.valueOf(e.getMessage()));
        }
        List<String> methods = PeerDiscoveries.methods();
        if (!methods.contains(method)) {
            throw new InvalidConfigurationException(source("--peer-discovery") + " method \"" + method + "\" is "
                    + (method.equals("k8s-labels") ? "not implemented" : "unknown") + "; use one of "
                    + String.join(", ", methods) + " (e.g. ec2-tags:role=etcd)");
        }
        try {
            // the argument is checked here (no network call), not when a cluster first looks for peers
            PeerDiscoveries.forSpec(peerDiscovery);
        } catch (DiscoveryException e) {
            // discovery's messages name --peer-discovery already; a value from E2D_* says so
            String where = source("--peer-discovery");
            String message = String.valueOf(e.getMessage());
            throw new InvalidConfigurationException(
                    where.equals("--peer-discovery") ? message : where + ": " + message);
        }
    }

    private void requirePositive(String flag, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new InvalidConfigurationException(
                    source(flag) + " must be greater than 0, got " + GoDurations.format(value));
        }
    }

    /** The data dir, absolute; a file where it or a parent should be is a usage error before etcd starts. */
    private Path dataDirectory() {
        Path dir = dataDir.toAbsolutePath().normalize();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new InvalidConfigurationException(source("--data-dir") + " " + dir + ": " + p
                            + " is a file, not a directory; give a directory path (created with mode 0700 if missing)");
                }
                break;
            }
        }
        return dir;
    }

    /** A bad URL fails here, as a usage error naming the flag, not when the first snapshot is taken. */
    private void validateSnapshotBackupUrl() {
        if (snapshotBackupUrl.isEmpty()) {
            return;
        }
        SnapshotLocation location;
        try {
            location = SnapshotLocation.parse(snapshotBackupUrl);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(source("--snapshot-backup-url") + ": " + e.getMessage());
        }
        if (location.type() == SnapshotLocation.Type.SPACES && doSpacesKey.isEmpty()) {
            throw new InvalidConfigurationException(source("--snapshot-backup-url") + " " + snapshotBackupUrl
                    + " is DigitalOcean Spaces: it needs --do-spaces-key and --do-spaces-secret"
                    + " (or E2D_DO_SPACES_KEY and E2D_DO_SPACES_SECRET)");
        }
    }

    /** How to name {@code flag} in a message: the flag itself, or its variable when the value came from there. */
    private String source(String flag) {
        return source(flag, flag);
    }

    private String source(String label, String longName) {
        var parsed = spec.commandLine().getParseResult();
        OptionSpec option = spec.findOption(longName);
        if (option == null || (parsed != null && parsed.hasMatchedOption(option))) {
            return label;
        }
        return EnvironmentDefaults.variableFor(option)
                .filter(parent.env()::containsKey)
                .map(variable -> "environment variable " + variable + " (" + label + ")")
                .orElse(label);
    }
}
