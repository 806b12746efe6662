package io.e2d.cli.internal;

import io.e2d.cli.CliException;
import io.e2d.cli.ExitCodes;
import io.e2d.cli.InvalidConfigurationException;
import io.e2d.core.manager.EtcdManager;
import io.e2d.core.manager.Gossip;
import io.e2d.core.manager.ManagerConfig;
import io.e2d.core.manager.SnapshotBackups;
import io.e2d.core.server.EtcdServerConfig;
import io.e2d.discovery.DiscoveryOptions;
import io.e2d.discovery.PeerAddress;
import io.e2d.discovery.PeerDiscoveries;
import io.e2d.pki.SecretKeys;
import io.e2d.snapshot.Compression;
import io.e2d.snapshot.SnapshotArchive;
import io.e2d.snapshot.SnapshotKey;
import io.e2d.snapshot.store.SnapshotStore;
import io.e2d.snapshot.store.SnapshotStoreOptions;
import io.e2d.snapshot.store.SnapshotStores;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * {@code e2d run} through the cluster manager ({@link EtcdManager}): snapshots and restores from
 * {@code --snapshot-backup-url}, cluster info, status. Runs until SIGINT/SIGTERM (exit 0) or until
 * etcd exits on its own (exit 1).
 */
public final class ManagedNode {
    private final RunSettings settings;
    private final PrintWriter out;
    private final Logger log;

    /** Runs {@code settings}, printing where etcd listens to {@code out}. */
    public ManagedNode(RunSettings settings, PrintWriter out, Logger log) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.out = Objects.requireNonNull(out, "out");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The manager configuration of {@code settings}. */
    public static ManagerConfig config(RunSettings settings) {
        EtcdServerConfig etcd = SingleNode.config(settings, "unused");
        return ManagerConfig.builder()
                .name(settings.name().isEmpty() ? null : settings.name())
                .dataDir(settings.dataDir())
                .clientUrl(URI.create(settings.client().advertisedUrl()))
                .peerUrl(URI.create(settings.peer().advertisedUrl()))
                .listenClientUrls(etcd.listenClientUrls())
                .listenPeerUrls(etcd.listenPeerUrls())
                .gossipAddress(new PeerAddress(
                        settings.gossip().host(), settings.gossip().port()))
                .bootstrapAddresses(seeds(settings))
                .requiredClusterSize(settings.clusterSize())
                .healthCheckTimeout(settings.healthCheckTimeout())
                .snapshotInterval(settings.snapshotInterval())
                .clientTls(etcd.clientTls().orElse(null))
                .peerTls(etcd.peerTls().orElse(null))
                .etcdBinary(settings.etcdBinary().orElse(null))
                .httpAddress(settings.httpAddr()
                        .map(h -> new InetSocketAddress(h.host(), h.port()))
                        .orElse(null))
                .build();
    }

    private byte @Nullable [] gossipKey() {
        return settings.tls()
                .caKey()
                .map(k -> SecretKeys.gossipKey(SecretKeys.fromCaKey(k)))
                .orElse(null);
    }

    /** Gossip seeds: {@code --bootstrap-addrs}, else what {@code --peer-discovery} finds. */
    static List<PeerAddress> seeds(RunSettings settings) {
        if (!settings.bootstrapAddrs().isEmpty() || settings.peerDiscovery().isEmpty()) {
            return settings.bootstrapAddrs().stream()
                    .map(h -> new PeerAddress(h.host(), h.port()))
                    .toList();
        }
        return PeerDiscoveries.forSpec(settings.peerDiscovery(), discoveryOptions(settings))
                .discover();
    }

    /**
     * Discovery options from the flags: the DigitalOcean token for {@code do-tags}, the AWS key pair for
     * {@code ec2-tags} and {@code aws-autoscaling-group} (when absent: the AWS SDK's default chain).
     */
    public static DiscoveryOptions discoveryOptions(RunSettings settings) {
        RunSettings.Credentials c = settings.credentials();
        DiscoveryOptions.Builder b =
                DiscoveryOptions.builder().doAccessToken(c.doAccessToken().isEmpty() ? null : c.doAccessToken());
        if (!c.awsAccessKey().isEmpty()) {
            b.awsCredentials(c.awsAccessKey(), c.awsSecretKey());
        }
        return b.build();
    }

    /**
     * Snapshot store options from the flags: the S3-compatible endpoint (path-style) and the Spaces key
     * and secret when given.
     */
    public static SnapshotStoreOptions storeOptions(RunSettings settings) {
        RunSettings.Credentials c = settings.credentials();
        SnapshotStoreOptions.Builder b = SnapshotStoreOptions.builder();
        settings.snapshotS3Endpoint()
                .ifPresent(endpoint -> b.s3Endpoint(endpoint).pathStyle(true));
        if (!c.doSpacesKey().isEmpty()) {
            b.spacesCredentials(c.doSpacesKey(), c.doSpacesSecret());
        }
        return b.build();
    }

    /** The snapshot backups of {@code settings}, if a URL is set. */
    public static Optional<SnapshotBackups> backups(RunSettings settings) throws IOException {
        if (settings.snapshotBackupUrl().isEmpty()) {
            return Optional.empty();
        }
        SnapshotArchive writer = archive(settings);
        Optional<java.nio.file.Path> caKey = settings.tls().caKey();
        if (caKey.isPresent() && !settings.snapshotEncryption()) {
            // new snapshots are not encrypted, but encrypted ones (older, or saved by a node with
            // --snapshot-encryption) still restore with the CA-derived key, as in Go e2d
            SnapshotArchive reader = SnapshotArchive.builder(writer.store())
                    .key(SnapshotKey.of(SecretKeys.fromCaKey(caKey.get())))
                    .build();
            return Optional.of(SnapshotBackups.of(writer, reader));
        }
        return Optional.of(SnapshotBackups.of(writer));
    }

    /**
     * The snapshot archive that saves to {@code settings.snapshotBackupUrl()}: store, compression,
     * encryption and retention from the flags.
     */
    public static SnapshotArchive archive(RunSettings settings) throws IOException {
        SnapshotStore store = SnapshotStores.forUri(settings.snapshotBackupUrl(), storeOptions(settings));
        SnapshotArchive.Builder archive = SnapshotArchive.builder(store)
                .retention(settings.snapshotRetention())
                .compression(
                        switch (settings.snapshotCompression()) {
                            case NONE -> Compression.NONE;
                            case GZIP -> Compression.GZIP;
                            case ZSTD -> Compression.ZSTD;
                        });
        Optional<java.nio.file.Path> caKey = settings.tls().caKey();
        if (settings.snapshotEncryption() && caKey.isPresent()) {
            archive.key(SnapshotKey.of(SecretKeys.fromCaKey(caKey.get())));
        }
        return archive.build();
    }

    /**
     * Starts the manager and blocks until a signal or an exit of etcd.
     *
     * @return {@link ExitCodes#OK} after a signal
     * @throws CliException when etcd exits unexpectedly
     * @throws io.e2d.core.E2dException when the node cannot start
     */
    public int run() {
        CompletableFuture<String> stop = new CompletableFuture<>();
        ManagerConfig config = config(settings);
        String name = EtcdManager.resolveName(config);
        Optional<SnapshotBackups> backups;
        try {
            backups = backups(settings);
        } catch (IOException e) {
            throw new CliException(
                    ExitCodes.RUNTIME_ERROR,
                    "--snapshot-backup-url " + settings.snapshotBackupUrl() + ": " + ErrorReporter.describe(e),
                    e);
        } catch (IllegalArgumentException e) {
            // the store's own checks (a region that cannot be found...): a setting to change
            throw new InvalidConfigurationException(
                    "--snapshot-backup-url " + settings.snapshotBackupUrl() + ": " + e.getMessage());
        }
        try (SignalTrap trap = SignalTrap.install(List.of("TERM", "INT"), sig -> stop.complete("SIG" + sig));
                EtcdManager manager = EtcdManager.builder(config)
                        .resolvedName(name)
                        .gossip(config.requiredClusterSize() > 1 ? Gossip.membership(config, name, gossipKey()) : null)
                        .snapshots(backups.orElse(null))
                        .build()) {
            Thread waiter = new Thread(
                    () -> {
                        try {
                            manager.awaitTermination();
                            stop.complete("etcd exit");
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "e2d-cli-wait");
            waiter.setDaemon(true);
            manager.start();
            waiter.start();
            out.printf(
                    "e2d: node %s runs etcd (cluster size %d)%n"
                            + "e2d:   clients: %s%n"
                            + "e2d:   peers:   %s%n"
                            + "e2d:   data:    %s%n"
                            + "e2d:   snapshots: %s%n"
                            + "e2d:   status:  %s%n"
                            + "e2d: stop with Ctrl-C or SIGTERM%n",
                    manager.name(),
                    config.requiredClusterSize(),
                    config.clientUrl(),
                    config.peerUrl(),
                    config.dataDir(),
                    backups.map(SnapshotBackups::describe).orElse("off"),
                    settings.httpAddr().map(h -> h.toUrl("http") + "/status").orElse("off"));
            out.flush();
            String why = stop.join();
            if (!why.startsWith("SIG")) {
                @Nullable String failure = manager.failure().orElse(why);
                throw new CliException(ExitCodes.RUNTIME_ERROR, "etcd exited unexpectedly: " + failure);
            }
            log.info("{} received: stopping", why);
        }
        return ExitCodes.OK;
    }
}
