package io.e2d.core.manager;

import io.e2d.core.server.TlsFiles;
import io.e2d.pki.PkiException;
import io.e2d.pki.Tls;
import io.e2d.snapshot.SnapshotSource;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/** jetcd clients and snapshot sources for the manager, and bounded waits on the clients' futures. */
final class EtcdClients {
    private EtcdClients() {}

    /** A client of {@code endpoint}; with peer TLS its certificate is the client certificate. */
    static Client create(URI endpoint, Optional<TlsFiles> clientCert) {
        ClientBuilder b = Client.builder()
                .endpoints(endpoint)
                .connectTimeout(Duration.ofSeconds(2))
                .keepaliveWithoutCalls(false);
        if ("https".equals(endpoint.getScheme())) {
            try {
                // The same PEM reader as the rest of e2d (PKCS#1 as `e2d pki` writes it, PKCS#8, SEC1);
                // netty reads PKCS#1/SEC1 only through its optional BouncyCastle fallback.
                b.sslContext((SslContextBuilder ssl) -> clientCert.ifPresent(t -> {
                    t.ca().ifPresent(ca -> ssl.trustManager(Tls.trustManagers(ca)));
                    ssl.keyManager(Tls.keyManagers(t.cert(), t.key()));
                }));
            } catch (IOException | PkiException e) {
                throw new ManagerException(
                        "cannot build the TLS context of the etcd client for " + endpoint + ": " + e.getMessage()
                                + "; check --peer-cert/--peer-key (PKCS#8 PEM) and --ca-cert",
                        e);
            }
        }
        return b.build();
    }

    /** {@code endpoint} as a snapshot source, with the same TLS identity and trust as {@link #create}. */
    static SnapshotSource snapshotSource(URI endpoint, Optional<TlsFiles> clientCert) {
        if (!"https".equals(endpoint.getScheme())) {
            return SnapshotSource.of(endpoint);
        }
        try {
            SSLContext context = Tls.clientContext(
                    clientCert.map(t -> Tls.keyManagers(t.cert(), t.key())),
                    clientCert.flatMap(TlsFiles::ca).map(Tls::trustManagers));
            return SnapshotSource.of(List.of(endpoint), Optional.of(context));
        } catch (PkiException e) {
            throw new ManagerException(
                    "cannot build the TLS context of the snapshot client for " + endpoint + ": " + e.getMessage()
                            + "; check --peer-cert/--peer-key and --ca-cert",
                    e);
        }
    }

    /** Waits for {@code f} at most {@code timeout}; failures come back as {@link IOException}. */
    static <T> T await(CompletableFuture<T> f, Duration timeout, String what) throws IOException {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new IOException("interrupted: " + what, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new IOException(what + ": " + c.getMessage(), c);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IOException(what + ": no answer within " + timeout.toMillis() + " ms", e);
        }
    }
}
