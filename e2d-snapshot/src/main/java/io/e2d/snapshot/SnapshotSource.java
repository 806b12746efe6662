package io.e2d.snapshot;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The etcd members a snapshot may be taken from: client URLs tried in order until one answers, and for
 * {@code https} ones the TLS context (trusting etcd's CA, presenting a client certificate when etcd
 * requires one). The server's certificate and name are always verified.
 *
 * <pre>{@code
 * SnapshotSource plain = SnapshotSource.of(URI.create("http://127.0.0.1:2379"));
 * SnapshotSource tls = SnapshotSource.of(List.of(URI.create("https://10.0.0.1:2379")),
 *         Optional.of(Tls.clientContext(clientCrt, clientKey, caCrt)));
 * }</pre>
 *
 * @param endpoints {@code http://host[:port]} or {@code https://host[:port]} (port 2379 by default)
 * @param tls the TLS context, required when an endpoint is https
 */
public record SnapshotSource(List<URI> endpoints, Optional<SSLContext> tls) {
    /**
     * @throws IllegalArgumentException if there is no endpoint, one is not http(s)://host[:port], or an
     *     https endpoint comes without a TLS context
     */
    public SnapshotSource {
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(tls, "tls");
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no etcd endpoint to take the snapshot from");
        }
        for (URI e : endpoints) {
            boolean https = "https".equals(e.getScheme());
            if (!https && !"http".equals(e.getScheme()) || e.getHost() == null) {
                throw new IllegalArgumentException(
                        "etcd endpoint must be http://host:port or https://host:port, got \"" + e + "\"");
            }
            if (https && tls.isEmpty()) {
                throw new IllegalArgumentException("https endpoint " + e + " needs a TLS context (etcd's CA)");
            }
        }
    }

    /** Plain-http endpoints. */
    public static SnapshotSource of(URI... endpoints) {
        return new SnapshotSource(List.of(endpoints), Optional.empty());
    }

    /** Endpoints with a TLS context for the https ones. */
    public static SnapshotSource of(List<URI> endpoints, Optional<SSLContext> tls) {
        return new SnapshotSource(endpoints, tls);
    }
}
