package io.e2d.db.internal;

import io.e2d.db.E2dbException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of an optimistic transaction: reads are served at one etcd revision and remembered with their
 * mod revision, writes are buffered, and {@link #commit()} sends a single etcd Txn whose compares check that
 * nothing read has changed and that every key that must not exist (ids on insert, unique values) still does
 * not. Not thread-safe; one instance per attempt.
 */
public final class TxnContext {
    private final Etcd etcd;
    private long revision;
    private final Map<ByteSequence, @Nullable KeyValue> reads = new LinkedHashMap<>();
    private final Map<ByteSequence, @Nullable ByteSequence> writes = new LinkedHashMap<>();
    private final Map<ByteSequence, @Nullable Supplier<E2dbException>> absent = new LinkedHashMap<>();
    private final Map<ByteSequence, Long> assumed = new LinkedHashMap<>();

    public TxnContext(Etcd etcd) {
        this.etcd = etcd;
    }

    public Etcd etcd() {
        return etcd;
    }

    /** The revision reads are served at, 0 before the first read. */
    public long revision() {
        return revision;
    }

    /**
     * The value of a key as this transaction sees it: its own pending write if any, else etcd's value at the
     * transaction's revision (the read is remembered and checked at commit).
     */
    public @Nullable ByteSequence value(ByteSequence key) {
        if (writes.containsKey(key)) {
            return writes.get(key);
        }
        KeyValue kv = read(key);
        return kv == null ? null : kv.getValue();
    }

    /** Reads a key from etcd (once per transaction), ignoring pending writes. */
    public @Nullable KeyValue read(ByteSequence key) {
        if (reads.containsKey(key)) {
            return reads.get(key);
        }
        GetOption option =
                revision > 0 ? GetOption.builder().withRevision(revision).build() : GetOption.DEFAULT;
        GetResponse response = etcd.get(key, option, "read");
        if (revision == 0) {
            revision = response.getHeader().getRevision();
        }
        KeyValue kv = response.getKvs().isEmpty() ? null : response.getKvs().get(0);
        reads.put(key, kv);
        return kv;
    }

    /** Reads several keys in one round trip (those not read before), remembering them like {@link #read}. */
    public void readAll(List<ByteSequence> keys) {
        List<ByteSequence> missing = new ArrayList<>();
        for (ByteSequence k : keys) {
            if (!reads.containsKey(k) && !missing.contains(k)) {
                missing.add(k);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        Etcd.Batch batch = etcd.getAll(missing, revision, "read");
        if (revision == 0) {
            revision = batch.revision();
        }
        for (int i = 0; i < missing.size(); i++) {
            reads.put(missing.get(i), batch.values().get(i));
        }
    }

    public void put(ByteSequence key, ByteSequence value) {
        writes.put(key, value);
    }

    public void delete(ByteSequence key) {
        writes.put(key, null);
    }

    /**
     * Requires a key to be absent when the transaction commits. Checked locally first (pending writes, earlier
     * reads), then by a compare in the commit.
     *
     * @param violation the error when the key exists; null to treat its existence as a conflict (retry)
     */
    public void requireAbsent(ByteSequence key, @Nullable Supplier<E2dbException> violation) {
        if (writes.containsKey(key)) {
            if (writes.get(key) != null && violation != null) {
                throw violation.get();
            }
            return;
        }
        if (reads.containsKey(key)) {
            if (reads.get(key) != null && violation != null) {
                throw violation.get();
            }
            return;
        }
        absent.put(key, violation);
    }

    /** Adds a compare that the key's mod revision (0 when absent) is still {@code modRevision}, without reading. */
    public void assume(ByteSequence key, long modRevision) {
        assumed.put(key, modRevision);
    }

    public boolean hasWrites() {
        return !writes.isEmpty();
    }

    /**
     * Sends the transaction. A read-only transaction sends nothing (its reads were one consistent snapshot).
     *
     * @return the outcome; on failure, the current values of the keys that were required absent or assumed
     * @throws E2dbException the violation of a key required absent that exists now
     */
    public Outcome commit() {
        if (writes.isEmpty()) {
            return new Outcome(true, revision, Map.of());
        }
        List<Cmp> compares = new ArrayList<>();
        reads.forEach((key, kv) ->
                compares.add(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(kv == null ? 0 : kv.getModRevision()))));
        absent.keySet().forEach(key -> compares.add(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0))));
        assumed.forEach((key, rev) -> compares.add(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(rev))));
        List<Op> then = new ArrayList<>(writes.size());
        writes.forEach((key, value) ->
                then.add(value == null ? Op.delete(key, DeleteOption.DEFAULT) : Op.put(key, value, PutOption.DEFAULT)));
        List<ByteSequence> diagnose = new ArrayList<>(absent.keySet());
        diagnose.addAll(assumed.keySet());
        List<Op> otherwise = new ArrayList<>(diagnose.size());
        diagnose.forEach(key -> otherwise.add(Op.get(key, GetOption.DEFAULT)));
        TxnResponse response = etcd.await(
                etcd.kv()
                        .txn()
                        .If(compares.toArray(new Cmp[0]))
                        .Then(then.toArray(new Op[0]))
                        .Else(otherwise.toArray(new Op[0]))
                        .commit(),
                "commit");
        long committed = response.getHeader().getRevision();
        if (response.isSucceeded()) {
            return new Outcome(true, committed, Map.of());
        }
        Map<ByteSequence, @Nullable KeyValue> current = new HashMap<>();
        List<GetResponse> gets = response.getGetResponses();
        for (int i = 0; i < diagnose.size(); i++) {
            List<KeyValue> kvs = gets.get(i).getKvs();
            current.put(diagnose.get(i), kvs.isEmpty() ? null : kvs.get(0));
        }
        for (Map.Entry<ByteSequence, @Nullable Supplier<E2dbException>> e : absent.entrySet()) {
            if (current.get(e.getKey()) != null && e.getValue() != null) {
                throw e.getValue().get();
            }
        }
        return new Outcome(false, committed, current);
    }

    /**
     * The result of a commit.
     *
     * @param committed whether the writes were applied
     * @param revision the etcd revision of the commit (or of the reads, for a read-only transaction)
     * @param current on failure, the current values of keys that were required absent or assumed (null: absent)
     */
    public record Outcome(boolean committed, long revision, Map<ByteSequence, @Nullable KeyValue> current) {}
}
