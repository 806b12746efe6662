package io.e2d.discovery;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Settings shared by the discovery providers: the port added to discovered IPs, call timeouts,
 * credentials and endpoint overrides. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * DiscoveryOptions options = DiscoveryOptions.builder()
 *         .awsRegion("eu-west-1")
 *         .doAccessToken(System.getenv("E2D_DO_ACCESS_TOKEN"))
 *         .build();
 * }</pre>
 *
 * <p>{@link #toString()} never shows secrets.
 */
public final class DiscoveryOptions {
    /** Default timeout of one network call: 10 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** DigitalOcean's public API. */
    public static final URI DEFAULT_DO_API_ENDPOINT = URI.create("https://api.digitalocean.com");
    /** DigitalOcean's droplet metadata service. */
    public static final URI DEFAULT_DO_METADATA_ENDPOINT = URI.create("http://169.254.169.254");

    private final int defaultPort;
    private final Duration timeout;
    private final @Nullable String awsRegion;
    private final @Nullable String awsAccessKey;
    private final @Nullable String awsSecretKey;
    private final @Nullable URI awsEndpoint;
    private final @Nullable URI imdsEndpoint;
    private final @Nullable String doAccessToken;
    private final URI doApiEndpoint;
    private final URI doMetadataEndpoint;
    private final @Nullable PeerAddress dnsServer;

    private DiscoveryOptions(Builder b) {
        this.defaultPort = b.defaultPort;
        this.timeout = b.timeout;
        this.awsRegion = b.awsRegion;
        this.awsAccessKey = b.awsAccessKey;
        this.awsSecretKey = b.awsSecretKey;
        this.awsEndpoint = b.awsEndpoint;
        this.imdsEndpoint = b.imdsEndpoint;
        this.doAccessToken = b.doAccessToken;
        this.doApiEndpoint = b.doApiEndpoint;
        this.doMetadataEndpoint = b.doMetadataEndpoint;
        this.dnsServer = b.dnsServer;
    }

    /** Options with every default: port 7980, 10 s timeout, AWS default credential chain, system DNS. */
    public static DiscoveryOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.defaultPort = defaultPort;
        b.timeout = timeout;
        b.awsRegion = awsRegion;
        b.awsAccessKey = awsAccessKey;
        b.awsSecretKey = awsSecretKey;
        b.awsEndpoint = awsEndpoint;
        b.imdsEndpoint = imdsEndpoint;
        b.doAccessToken = doAccessToken;
        b.doApiEndpoint = doApiEndpoint;
        b.doMetadataEndpoint = doMetadataEndpoint;
        b.dnsServer = dnsServer;
        return b;
    }

    /** Port given to discovered IPs and to bootstrap addresses written without one. */
    public int defaultPort() {
        return defaultPort;
    }

    /** Bound of one network call (an API page, a metadata read, a DNS query). */
    public Duration timeout() {
        return timeout;
    }

    /** AWS region; when absent, the region of the instance identity document. */
    public Optional<String> awsRegion() {
        return Optional.ofNullable(awsRegion);
    }

    /** Static AWS access key id; when absent, the SDK's default credential chain. */
    public Optional<String> awsAccessKey() {
        return Optional.ofNullable(awsAccessKey);
    }

    /** Static AWS secret key, present exactly when {@link #awsAccessKey()} is. */
    public Optional<String> awsSecretKey() {
        return Optional.ofNullable(awsSecretKey);
    }

    /** Endpoint override for the EC2 and Auto Scaling APIs (tests, VPC endpoints). */
    public Optional<URI> awsEndpoint() {
        return Optional.ofNullable(awsEndpoint);
    }

    /** Endpoint override for the EC2 instance metadata service (default {@code http://169.254.169.254}). */
    public Optional<URI> imdsEndpoint() {
        return Optional.ofNullable(imdsEndpoint);
    }

    /** DigitalOcean API token ({@code --do-access-token}). */
    public Optional<String> doAccessToken() {
        return Optional.ofNullable(doAccessToken);
    }

    public URI doApiEndpoint() {
        return doApiEndpoint;
    }

    public URI doMetadataEndpoint() {
        return doMetadataEndpoint;
    }

    /** DNS server used by {@code dns:}; when absent, the system's resolvers. */
    public Optional<PeerAddress> dnsServer() {
        return Optional.ofNullable(dnsServer);
    }

    @Override
    public String toString() {
        return "DiscoveryOptions{defaultPort=" + defaultPort + ", timeout=" + timeout + ", awsRegion=" + awsRegion
                + ", awsCredentials=" + (awsAccessKey == null ? "default chain" : "static") + ", awsEndpoint="
                + awsEndpoint + ", imdsEndpoint=" + imdsEndpoint + ", doAccessToken="
                + (doAccessToken == null ? "absent" : "***") + ", doApiEndpoint=" + doApiEndpoint
                + ", doMetadataEndpoint=" + doMetadataEndpoint + ", dnsServer=" + dnsServer + "}";
    }

    /** Builder of {@link DiscoveryOptions}; not thread-safe. */
    public static final class Builder {
        private int defaultPort = PeerAddress.DEFAULT_GOSSIP_PORT;
        private Duration timeout = DEFAULT_TIMEOUT;
        private @Nullable String awsRegion;
        private @Nullable String awsAccessKey;
        private @Nullable String awsSecretKey;
        private @Nullable URI awsEndpoint;
        private @Nullable URI imdsEndpoint;
        private @Nullable String doAccessToken;
        private URI doApiEndpoint = DEFAULT_DO_API_ENDPOINT;
        private URI doMetadataEndpoint = DEFAULT_DO_METADATA_ENDPOINT;
        private @Nullable PeerAddress dnsServer;

        private Builder() {}

        public Builder defaultPort(int defaultPort) {
            this.defaultPort = defaultPort;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** A blank value means "from the identity document". */
        public Builder awsRegion(@Nullable String awsRegion) {
            this.awsRegion = blankToNull(awsRegion);
            return this;
        }

        /** Static credentials; blank values mean "the default credential chain". */
        public Builder awsCredentials(@Nullable String accessKey, @Nullable String secretKey) {
            this.awsAccessKey = blankToNull(accessKey);
            this.awsSecretKey = blankToNull(secretKey);
            return this;
        }

        public Builder awsEndpoint(@Nullable URI awsEndpoint) {
            this.awsEndpoint = awsEndpoint;
            return this;
        }

        public Builder imdsEndpoint(@Nullable URI imdsEndpoint) {
            this.imdsEndpoint = imdsEndpoint;
            return this;
        }

        public Builder doAccessToken(@Nullable String doAccessToken) {
            this.doAccessToken = blankToNull(doAccessToken);
            return this;
        }

        public Builder doApiEndpoint(URI doApiEndpoint) {
            this.doApiEndpoint = Objects.requireNonNull(doApiEndpoint, "doApiEndpoint");
            return this;
        }

        public Builder doMetadataEndpoint(URI doMetadataEndpoint) {
            this.doMetadataEndpoint = Objects.requireNonNull(doMetadataEndpoint, "doMetadataEndpoint");
            return this;
        }

        /** DNS server ({@code host:port}) for {@code dns:} lookups; {@code null} for the system's. */
        public Builder dnsServer(@Nullable PeerAddress dnsServer) {
            this.dnsServer = dnsServer;
            return this;
        }

        /**
         * @throws InvalidDiscoverySpecException when a value is out of range or only half of the AWS
         *     credentials is given
         */
        public DiscoveryOptions build() {
            if (defaultPort < 1 || defaultPort > 65535) {
                throw new InvalidDiscoverySpecException(
                        "discovery default port must be between 1 and 65535, got " + defaultPort);
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new InvalidDiscoverySpecException("discovery timeout must be positive, got " + timeout);
            }
            if ((awsAccessKey == null) != (awsSecretKey == null)) {
                throw new InvalidDiscoverySpecException("--aws-access-key and --aws-secret-key must be given together,"
                        + " got only " + (awsAccessKey == null ? "--aws-secret-key" : "--aws-access-key"));
            }
            return new DiscoveryOptions(this);
        }

        private static @Nullable String blankToNull(@Nullable String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }
}
