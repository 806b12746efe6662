package io.e2d.db;

import io.e2d.db.internal.Aead;
import io.e2d.db.internal.Etcd;
import io.e2d.db.internal.KeyType;
import io.e2d.db.internal.Keys;
import io.e2d.db.internal.Model;
import io.e2d.db.internal.Models;
import io.e2d.db.internal.RowCodec;
import io.e2d.db.internal.TableEngine;
import io.e2d.db.internal.TxnContext;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An e2db database: typed tables on etcd, plus transactions and locks across them.
 *
 * <pre>{@code
 * try (E2db db = E2db.connect(E2dbConfig.builder().endpoints("http://127.0.0.1:2379").namespace("app").build())) {
 *     Table<Role> roles = db.table(Role.class);
 *     roles.insert(new Role(0, "admin", "administrator"));
 *     db.withLock("nightly-report", Duration.ofSeconds(10), () -> report(roles.all()));
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #connect} owns the jetcd client it creates and closes it in {@link #close()};
 * {@link #using} borrows the caller's client and never closes it.
 */
public final class E2db implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(E2db.class);

    private final E2dbConfig config;
    private final Client client;
    private final boolean ownsClient;
    private final Etcd etcd;
    private final @Nullable Aead aead;
    private final ConcurrentMap<Class<?>, Table<?>> tables = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private E2db(E2dbConfig config, Client client, boolean ownsClient) {
        this.config = config;
        this.client = client;
        this.ownsClient = ownsClient;
        this.etcd = new Etcd(client, config.requestTimeout());
        this.aead = config.encryptionKey().map(Aead::new).orElse(null);
    }

    /**
     * Connects to the endpoints of {@code config} and checks that etcd answers within the connect timeout.
     *
     * @throws E2dbException if etcd cannot be reached (the client is closed again)
     * @throws IllegalArgumentException if no endpoint is configured
     */
    public static E2db connect(E2dbConfig config) {
        Objects.requireNonNull(config, "config");
        if (config.endpoints().isEmpty()) {
            throw new IllegalArgumentException("E2dbConfig.endpoints is empty; set the etcd client URLs");
        }
        ClientBuilder builder = Client.builder().endpoints(config.endpoints()).connectTimeout(config.connectTimeout());
        if (config.isTls()) {
            try {
                builder.sslContext(
                        ssl -> ssl.trustManager(config.caFile().orElseThrow().toFile())
                                .keyManager(
                                        config.certFile().orElseThrow().toFile(),
                                        config.keyFile().orElseThrow().toFile()));
            } catch (SSLException | IllegalArgumentException e) {
                throw new E2dbException(
                        "cannot load the TLS files " + config.caFile().orElseThrow() + ", "
                                + config.certFile().orElseThrow() + ", "
                                + config.keyFile().orElseThrow()
                                + " (PEM certificates and a PKCS#8 PEM key expected): " + e.getMessage(),
                        e);
            }
        }
        Client client = builder.build();
        E2db db = new E2db(config, client, true);
        try {
            Etcd.await(
                    client.getKVClient()
                            .get(
                                    Keys.bytes(Keys.root(config.namespace())),
                                    GetOption.builder().withCountOnly(true).build()),
                    "connect to " + config.endpoints(),
                    config.connectTimeout());
        } catch (E2dbException e) {
            client.close();
            throw new E2dbException("cannot reach etcd at " + config.endpoints() + ": " + e.getMessage(), e);
        }
        return db;
    }

    /** Uses the caller's client with default settings; {@link #close()} will not close it. */
    public static E2db using(Client client) {
        return using(client, E2dbConfig.builder().build());
    }

    /** Uses the caller's client with {@code config}'s namespace, timeouts and key (its endpoints and TLS are ignored). */
    public static E2db using(Client client, E2dbConfig config) {
        return new E2db(Objects.requireNonNull(config, "config"), Objects.requireNonNull(client, "client"), false);
    }

    /** The configuration. */
    public E2dbConfig config() {
        return config;
    }

    /** The jetcd client, for what e2db does not cover. */
    public Client client() {
        return client;
    }

    /**
     * The table of a model class. Parsed and opened once (one round trip that stores or checks the schema),
     * then cached.
     *
     * @throws InvalidModelException if the class is not a valid model
     * @throws SchemaMismatchException if the table exists with a different schema
     */
    @SuppressWarnings("unchecked")
    public <T> Table<T> table(Class<T> type) {
        Objects.requireNonNull(type, "type");
        checkOpen();
        Table<?> table = tables.get(type);
        if (table == null) {
            Model<T> model = Models.of(type);
            TableEngine<T> engine = new TableEngine<>(
                    model, new RowCodec<>(model, aead), new Keys(config.namespace(), model.table()), etcd);
            engine.ensureSchema();
            table = tables.computeIfAbsent(
                    type, t -> new Table<>(engine, config.transactionRetries(), config.pageSize()));
        }
        return (Table<T>) table;
    }

    /**
     * Runs {@code callback} in a transaction and commits its writes as one etcd Txn. If something it read
     * changed before the commit, nothing is written and the callback runs again, up to
     * {@code E2dbConfig.transactionRetries} times. An exception from the callback aborts (nothing written).
     *
     * @return what the callback returned in the attempt that committed
     * @throws TransactionConflictException when every attempt conflicted
     * @throws X what the callback throws
     */
    public <R, X extends Exception> R inTransaction(TransactionCallback<R, X> callback) throws X {
        Objects.requireNonNull(callback, "callback");
        checkOpen();
        for (int attempt = 1; attempt <= config.transactionRetries(); attempt++) {
            TxnContext context = new TxnContext(etcd);
            Transaction tx = new Transaction(type -> table(type).engine(), context);
            R result;
            try {
                result = callback.inTransaction(tx);
            } finally {
                tx.close();
            }
            if (context.commit().committed()) {
                return result;
            }
            LOG.debug("transaction attempt {} conflicted; retrying", attempt);
        }
        throw new TransactionConflictException(config.transactionRetries());
    }

    /** {@link #withLock(String, Duration, Duration, LockedAction)} waiting at most {@code E2dbConfig.lockWait}. */
    public <R, X extends Exception> R withLock(String name, Duration ttl, LockedAction<R, X> action) throws X {
        return withLock(name, ttl, config.lockWait(), action);
    }

    /**
     * Runs {@code action} while holding the distributed lock {@code name} (an etcd lock on a lease). The lease
     * is kept alive while the action runs; if this process dies, the lock is released {@code ttl} later.
     *
     * @param ttl the lease time-to-live (whole seconds, at least 1; etcd may raise small values)
     * @param wait how long to wait for a lock held by someone else
     * @throws LockTimeoutException if the lock was not acquired within {@code wait}
     * @throws X what the action throws (the lock is released first)
     */
    public <R, X extends Exception> R withLock(String name, Duration ttl, Duration wait, LockedAction<R, X> action)
            throws X {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("lock name must not be empty");
        }
        checkOpen();
        long seconds = Math.max(1, (ttl.toMillis() + 999) / 1000);
        long lease = etcd.await(client.getLeaseClient().grant(seconds), "grant a lease for lock '" + name + "'")
                .getID();
        CloseableClient keepAlive = client.getLeaseClient().keepAlive(lease, new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse value) {}

            @Override
            public void onError(Throwable t) {
                LOG.warn("keep-alive of the lease of lock '{}' failed: {}", name, t.toString());
            }

            @Override
            public void onCompleted() {}
        });
        try {
            ByteSequence key;
            try {
                key = Etcd.await(client.getLockClient().lock(lockKey(name), lease), "lock '" + name + "'", wait)
                        .getKey();
            } catch (E2dbTimeoutException e) {
                throw new LockTimeoutException(name, wait);
            }
            try {
                return action.run();
            } finally {
                etcd.await(client.getLockClient().unlock(key), "unlock '" + name + "'");
            }
        } finally {
            keepAlive.close();
            try {
                etcd.await(client.getLeaseClient().revoke(lease), "revoke the lease of lock '" + name + "'");
            } catch (E2dbException e) {
                LOG.warn(
                        "could not revoke the lease of lock '{}'; it expires in {} s: {}",
                        name,
                        seconds,
                        e.getMessage());
            }
        }
    }

    private ByteSequence lockKey(String name) {
        return Keys.bytes(Keys.root(config.namespace()) + "_locks/" + KeyType.STRING.encode(name));
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this E2db is closed");
        }
    }

    /** Closes the jetcd client if this database created it. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && ownsClient) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "E2db{" + config + "}";
    }
}
