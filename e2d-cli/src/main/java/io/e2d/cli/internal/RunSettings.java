package io.e2d.cli.internal;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated settings of one {@code e2d run}: addresses resolved (default ports applied, {@code
 * 0.0.0.0} kept for listening and replaced for advertising), files checked.
 *
 * @param name the member name
 * @param dataDir the etcd data directory (absolute)
 * @param client where clients connect
 * @param peer where peers connect
 * @param gossip the gossip address
 * @param tls the TLS files
 * @param bootstrapAddrs gossip seeds
 * @param clusterSize 1, 3 or 5
 * @param healthCheckInterval how often members are checked
 * @param healthCheckTimeout how long a member may be unreachable before it is removed
 * @param peerDiscovery the discovery spec, empty for none
 * @param snapshotInterval the snapshot period
 * @param snapshotBackupUrl where snapshots go, empty for no snapshots
 * @param snapshotCompression the snapshot codec
 * @param snapshotEncryption whether snapshots are encrypted with a key derived from the CA key
 * @param snapshotS3Endpoint the endpoint of an S3-compatible server for {@code s3://} URLs (path-style)
 * @param snapshotRetention how many snapshots the store keeps (at least 1)
 * @param etcdBinary the etcd executable given by {@code --etcd-binary}; empty: {@code E2D_ETCD_BINARY},
 *     then {@code PATH}
 * @param httpAddr where the manager serves {@code /healthz}, {@code /metrics} and {@code /status};
 *     empty: not served
 */
public record RunSettings(
        String name,
        Path dataDir,
        Endpoint client,
        Endpoint peer,
        HostPort gossip,
        Tls tls,
        List<HostPort> bootstrapAddrs,
        int clusterSize,
        Duration healthCheckInterval,
        Duration healthCheckTimeout,
        String peerDiscovery,
        Duration snapshotInterval,
        String snapshotBackupUrl,
        SnapshotCompression snapshotCompression,
        boolean snapshotEncryption,
        Optional<URI> snapshotS3Endpoint,
        int snapshotRetention,
        Optional<Path> etcdBinary,
        Optional<HostPort> httpAddr,
        Credentials credentials) {

    /** Validates the parts. */
    public RunSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(gossip, "gossip");
        Objects.requireNonNull(tls, "tls");
        bootstrapAddrs = List.copyOf(bootstrapAddrs);
        Objects.requireNonNull(healthCheckInterval, "healthCheckInterval");
        Objects.requireNonNull(healthCheckTimeout, "healthCheckTimeout");
        Objects.requireNonNull(peerDiscovery, "peerDiscovery");
        Objects.requireNonNull(snapshotInterval, "snapshotInterval");
        Objects.requireNonNull(snapshotBackupUrl, "snapshotBackupUrl");
        Objects.requireNonNull(snapshotCompression, "snapshotCompression");
        Objects.requireNonNull(snapshotS3Endpoint, "snapshotS3Endpoint");
        if (snapshotRetention < 1) {
            throw new IllegalArgumentException("snapshotRetention must be at least 1, got " + snapshotRetention);
        }
        Objects.requireNonNull(etcdBinary, "etcdBinary");
        Objects.requireNonNull(httpAddr, "httpAddr");
        Objects.requireNonNull(credentials, "credentials");
    }

    /**
     * Cloud credentials from the flags; empty strings mean "not given". {@link #toString()} never
     * shows them.
     */
    public record Credentials(
            String doAccessToken, String doSpacesKey, String doSpacesSecret, String awsAccessKey, String awsSecretKey) {
        /** Validates the parts. */
        public Credentials {
            Objects.requireNonNull(doAccessToken, "doAccessToken");
            Objects.requireNonNull(doSpacesKey, "doSpacesKey");
            Objects.requireNonNull(doSpacesSecret, "doSpacesSecret");
            Objects.requireNonNull(awsAccessKey, "awsAccessKey");
            Objects.requireNonNull(awsSecretKey, "awsSecretKey");
        }

        @Override
        public String toString() {
            return "Credentials[doAccessToken=" + mask(doAccessToken) + ", doSpacesKey=" + mask(doSpacesKey)
                    + ", doSpacesSecret=" + mask(doSpacesSecret) + ", awsAccessKey=" + mask(awsAccessKey)
                    + ", awsSecretKey=" + mask(awsSecretKey) + "]";
        }

        private static String mask(String value) {
            return value.isEmpty() ? "<none>" : "<set>";
        }
    }

    /**
     * A listener: the address it binds and the URL it is advertised at.
     *
     * @param listen the bound address (may be {@code 0.0.0.0})
     * @param advertised the address other members and clients use
     * @param scheme {@code http} or {@code https}
     */
    public record Endpoint(HostPort listen, HostPort advertised, String scheme) {
        /** Validates the parts. */
        public Endpoint {
            Objects.requireNonNull(listen, "listen");
            Objects.requireNonNull(advertised, "advertised");
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("scheme must be http or https, got " + scheme);
            }
        }

        /** The URL etcd listens on. */
        public String listenUrl() {
            return listen.toUrl(scheme);
        }

        /** The URL advertised to others. */
        public String advertisedUrl() {
            return advertised.toUrl(scheme);
        }
    }

    /**
     * TLS files, each present only when given.
     *
     * @param caCert the CA that client and peer certificates must chain to; turns on client-cert-auth
     * @param caKey the CA key (the snapshot encryption key and the gossip HMAC key are derived from it)
     * @param serverCert the client listener's certificate
     * @param serverKey the client listener's key
     * @param peerCert the peer listener's certificate, also e2d's client certificate
     * @param peerKey the peer listener's key
     */
    public record Tls(
            Optional<Path> caCert,
            Optional<Path> caKey,
            Optional<Path> serverCert,
            Optional<Path> serverKey,
            Optional<Path> peerCert,
            Optional<Path> peerKey) {
        /** Validates the parts. */
        public Tls {
            Objects.requireNonNull(caCert, "caCert");
            Objects.requireNonNull(caKey, "caKey");
            Objects.requireNonNull(serverCert, "serverCert");
            Objects.requireNonNull(serverKey, "serverKey");
            Objects.requireNonNull(peerCert, "peerCert");
            Objects.requireNonNull(peerKey, "peerKey");
        }

        /** Whether the client listener uses TLS. */
        public boolean isClientTls() {
            return serverCert.isPresent();
        }

        /** Whether the peer listener uses TLS. */
        public boolean isPeerTls() {
            return peerCert.isPresent();
        }
    }
}
