package io.e2d.db.internal;

import io.e2d.db.E2dbException;
import io.e2d.db.E2dbTimeoutException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The etcd client of one database with its request timeout; every wait on a future is bounded. */
public final class Etcd {
    private final Client client;
    private final KV kv;
    private final Duration timeout;

    public Etcd(Client client, Duration timeout) {
        this.client = client;
        this.kv = client.getKVClient();
        this.timeout = timeout;
    }

    public Client client() {
        return client;
    }

    public KV kv() {
        return kv;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Waits for a future for at most the request timeout, mapping failures to e2db exceptions. */
    public <R> R await(CompletableFuture<R> future, String operation) {
        return await(future, operation, timeout);
    }

    public static <R> R await(CompletableFuture<R> future, String operation, Duration timeout) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new E2dbException(operation + " was interrupted", e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new E2dbTimeoutException(operation, timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof E2dbException) {
                throw (E2dbException) cause;
            }
            throw new E2dbException(operation + " failed: " + cause.getMessage(), cause);
        }
    }

    public GetResponse get(ByteSequence key, GetOption option, String operation) {
        return await(kv.get(key, option), operation);
    }

    /**
     * Reads several keys in one round trip (a transaction of gets), at {@code revision} when it is positive.
     *
     * @return the values found, null where absent, in the order of {@code keys}, and the revision read
     */
    public Batch getAll(List<ByteSequence> keys, long revision, String operation) {
        GetOption option =
                revision > 0 ? GetOption.builder().withRevision(revision).build() : GetOption.DEFAULT;
        Op[] ops = new Op[keys.size()];
        for (int i = 0; i < ops.length; i++) {
            ops[i] = Op.get(keys.get(i), option);
        }
        TxnResponse response = await(kv.txn().Then(ops).commit(), operation);
        List<KeyValue> found = new ArrayList<>(keys.size());
        for (GetResponse g : response.getGetResponses()) {
            found.add(g.getKvs().isEmpty() ? null : g.getKvs().get(0));
        }
        return new Batch(found, response.getHeader().getRevision());
    }

    /** Values read by {@link #getAll}: entries are null where a key was absent. */
    public record Batch(List<KeyValue> values, long revision) {}
}
