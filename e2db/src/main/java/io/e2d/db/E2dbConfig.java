package io.e2d.db;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of an {@link E2db}: where etcd is, under which namespace the tables live, TLS files,
 * timeouts and the encryption key.
 *
 * <pre>{@code
 * E2dbConfig config = E2dbConfig.builder()
 *         .endpoints("https://10.0.0.1:2379")
 *         .namespace("billing")
 *         .tls(Path.of("ca.crt"), Path.of("client.crt"), Path.of("client.key"))
 *         .encryptionKey(key32Bytes)
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe (immutable). {@link #toString()} never shows the encryption key.
 */
public final class E2dbConfig {
    /** Default bound of every etcd request. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** Default bound of the first connection. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default bound of the wait for a lock in {@code withLock}. */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(30);
    /** Default number of attempts of a transaction that conflicts with concurrent writers. */
    public static final int DEFAULT_TRANSACTION_RETRIES = 16;
    /** Default number of keys read per etcd request by scans and queries. */
    public static final int DEFAULT_PAGE_SIZE = 100;

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.\\-]+(/[A-Za-z0-9_.\\-]+)*");

    private final List<URI> endpoints;
    private final String namespace;
    private final @Nullable Path caFile;
    private final @Nullable Path certFile;
    private final @Nullable Path keyFile;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final Duration lockWait;
    private final int transactionRetries;
    private final int pageSize;
    private final byte @Nullable [] encryptionKey;

    private E2dbConfig(Builder b) {
        this.endpoints = List.copyOf(b.endpoints);
        this.namespace = b.namespace;
        this.caFile = b.caFile;
        this.certFile = b.certFile;
        this.keyFile = b.keyFile;
        this.requestTimeout = b.requestTimeout;
        this.connectTimeout = b.connectTimeout;
        this.lockWait = b.lockWait;
        this.transactionRetries = b.transactionRetries;
        this.pageSize = b.pageSize;
        this.encryptionKey = b.encryptionKey == null ? null : b.encryptionKey.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.endpoints.addAll(endpoints);
        b.namespace = namespace;
        b.caFile = caFile;
        b.certFile = certFile;
        b.keyFile = keyFile;
        b.requestTimeout = requestTimeout;
        b.connectTimeout = connectTimeout;
        b.lockWait = lockWait;
        b.transactionRetries = transactionRetries;
        b.pageSize = pageSize;
        b.encryptionKey = encryptionKey == null ? null : encryptionKey.clone();
        return b;
    }

    /** The etcd client URLs; empty when the config is only used with {@link E2db#using(io.etcd.jetcd.Client, E2dbConfig)}. */
    public List<URI> endpoints() {
        return endpoints;
    }

    /** The key prefix of every table, without slashes at either end; empty for none. */
    public String namespace() {
        return namespace;
    }

    public Optional<Path> caFile() {
        return Optional.ofNullable(caFile);
    }

    public Optional<Path> certFile() {
        return Optional.ofNullable(certFile);
    }

    public Optional<Path> keyFile() {
        return Optional.ofNullable(keyFile);
    }

    /** Whether TLS files are configured (then every endpoint must be {@code https}). */
    public boolean isTls() {
        return caFile != null;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration lockWait() {
        return lockWait;
    }

    public int transactionRetries() {
        return transactionRetries;
    }

    public int pageSize() {
        return pageSize;
    }

    /** A copy of the 32-byte AES-256 key, if one is configured. */
    public Optional<byte[]> encryptionKey() {
        return Optional.ofNullable(encryptionKey == null ? null : encryptionKey.clone());
    }

    @Override
    public String toString() {
        return "E2dbConfig{endpoints=" + endpoints + ", namespace='" + namespace + "', tls=" + isTls()
                + ", requestTimeout=" + requestTimeout + ", connectTimeout=" + connectTimeout + ", lockWait="
                + lockWait + ", transactionRetries=" + transactionRetries + ", pageSize=" + pageSize
                + ", encryptionKey=" + (encryptionKey == null ? "none" : "<set>") + "}";
    }

    /** Builder of {@link E2dbConfig}; not thread-safe. */
    public static final class Builder {
        private final List<URI> endpoints = new ArrayList<>();
        private String namespace = "";
        private @Nullable Path caFile;
        private @Nullable Path certFile;
        private @Nullable Path keyFile;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration lockWait = DEFAULT_LOCK_WAIT;
        private int transactionRetries = DEFAULT_TRANSACTION_RETRIES;
        private int pageSize = DEFAULT_PAGE_SIZE;
        private byte @Nullable [] encryptionKey;

        private Builder() {}

        /** Replaces the endpoints by these URLs ({@code http://host:port} or {@code https://host:port}). */
        public Builder endpoints(String... urls) {
            endpoints.clear();
            for (String url : urls) {
                try {
                    endpoints.add(URI.create(Objects.requireNonNull(url, "url")));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "endpoints must look like http://host:port or https://host:port, got '" + url + "'", e);
                }
            }
            return this;
        }

        /** Replaces the endpoints. */
        public Builder endpoints(List<URI> urls) {
            endpoints.clear();
            endpoints.addAll(urls);
            return this;
        }

        /** The key prefix under which the tables live; leading and trailing slashes are ignored. */
        public Builder namespace(String namespace) {
            this.namespace = Objects.requireNonNull(namespace, "namespace").replaceAll("^/+|/+$", "");
            return this;
        }

        /** mTLS: the CA that signed etcd's certificate, and the client certificate and PKCS#8 key (PEM). */
        public Builder tls(Path caFile, Path certFile, Path keyFile) {
            this.caFile = Objects.requireNonNull(caFile, "caFile");
            this.certFile = Objects.requireNonNull(certFile, "certFile");
            this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long {@code withLock} waits for a lock held by someone else by default. */
        public Builder lockWait(Duration wait) {
            this.lockWait = Objects.requireNonNull(wait, "wait");
            return this;
        }

        /** Attempts of a transaction (and of a single write racing another writer) before giving up. */
        public Builder transactionRetries(int attempts) {
            this.transactionRetries = attempts;
            return this;
        }

        /** Keys read per etcd request by scans (1 to 128, etcd's default limit of operations per transaction). */
        public Builder pageSize(int pageSize) {
            this.pageSize = pageSize;
            return this;
        }

        /** The AES-256 key (32 bytes) of {@code @Encrypted} tables and fields. The array is copied. */
        public Builder encryptionKey(byte[] key) {
            this.encryptionKey = Objects.requireNonNull(key, "key").clone();
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the setting to change
         */
        public E2dbConfig build() {
            if (!namespace.isEmpty() && !NAMESPACE.matcher(namespace).matches()) {
                throw new IllegalArgumentException(
                        "namespace must be letters, digits, '_', '.', '-' and inner '/', got '" + namespace + "'");
            }
            for (URI uri : endpoints) {
                String scheme = uri.getScheme();
                if (uri.getHost() == null || uri.getPort() < 0 || !("http".equals(scheme) || "https".equals(scheme))) {
                    throw new IllegalArgumentException(
                            "endpoints must look like http://host:port or https://host:port, got '" + uri + "'");
                }
                if (caFile != null && "http".equals(scheme)) {
                    throw new IllegalArgumentException(
                            "TLS files are set, so every endpoint must use https://, got '" + uri + "'");
                }
            }
            requirePositive("requestTimeout", requestTimeout);
            requirePositive("connectTimeout", connectTimeout);
            requirePositive("lockWait", lockWait);
            if (transactionRetries < 1 || transactionRetries > 1000) {
                throw new IllegalArgumentException("transactionRetries must be 1 to 1000, got " + transactionRetries);
            }
            if (pageSize < 1 || pageSize > 128) {
                throw new IllegalArgumentException("pageSize must be 1 to 128, got " + pageSize);
            }
            if (encryptionKey != null && encryptionKey.length != 32) {
                throw new IllegalArgumentException("encryptionKey must be 32 bytes (AES-256), got "
                        + encryptionKey.length + " bytes; generate one with SecureRandom or derive it with a KDF");
            }
            return new E2dbConfig(this);
        }

        private static void requirePositive(String name, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
        }
    }
}
