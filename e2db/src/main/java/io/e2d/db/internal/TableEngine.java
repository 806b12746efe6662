package io.e2d.db.internal;

import io.e2d.db.DuplicateIdException;
import io.e2d.db.InvalidQueryException;
import io.e2d.db.NoSuchRowException;
import io.e2d.db.NotIndexedException;
import io.e2d.db.OptimisticLockException;
import io.e2d.db.RequiredFieldException;
import io.e2d.db.SchemaMismatchException;
import io.e2d.db.UniqueConstraintException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The operations of one table on top of a {@link TxnContext}: what keys a row owns, and how inserting,
 * updating and deleting it changes them. Shared by single operations and by user transactions. Thread-safe.
 *
 * @param <T> the model type
 */
public final class TableEngine<T> {
    private static final ByteSequence EMPTY = ByteSequence.from(new byte[0]);

    private final Model<T> model;
    private final RowCodec<T> codec;
    private final Keys keys;
    private final Etcd etcd;
    private final String schema;
    /** Last known auto-increment counter: lets a single insert skip reading it (checked by a compare). */
    private final AtomicReference<@Nullable Seq> seq = new AtomicReference<>();

    private record Seq(long value, long modRevision) {}

    public TableEngine(Model<T> model, RowCodec<T> codec, Keys keys, Etcd etcd) {
        this.model = model;
        this.codec = codec;
        this.keys = keys;
        this.etcd = etcd;
        this.schema = RowCodec.schema(model);
    }

    public Model<T> model() {
        return model;
    }

    public RowCodec<T> codec() {
        return codec;
    }

    public Keys keys() {
        return keys;
    }

    public Etcd etcd() {
        return etcd;
    }

    public String table() {
        return model.table();
    }

    /**
     * Stores the schema if the table is new, else checks that the stored one is the same (one round trip).
     *
     * @throws SchemaMismatchException when it differs
     */
    public void ensureSchema() {
        ByteSequence value = Keys.bytes(schema);
        TxnResponse r = etcd.await(
                etcd.kv()
                        .txn()
                        .If(new Cmp(keys.schema(), Cmp.Op.EQUAL, CmpTarget.version(0)))
                        .Then(Op.put(keys.schema(), value, PutOption.DEFAULT))
                        .Else(Op.get(keys.schema(), GetOption.DEFAULT))
                        .commit(),
                "open table '" + table() + "'");
        if (!r.isSucceeded()) {
            List<KeyValue> kvs = r.getGetResponses().get(0).getKvs();
            String stored = kvs.isEmpty() ? "" : kvs.get(0).getValue().toString(StandardCharsets.UTF_8);
            if (!kvs.isEmpty() && !stored.equals(schema)) {
                throw new SchemaMismatchException(table(), stored, schema);
            }
        }
    }

    /** The encoded id of a row; fails if the id is null. */
    public String idOf(T row) {
        Object id = model.id().get(row);
        if (id == null) {
            throw new RequiredFieldException(table(), model.id().name());
        }
        return model.id().encode(id);
    }

    /** Encodes an id given by a caller (coercing e.g. an int to a long id). */
    public String encodeId(Object id) {
        return encode(model.id(), id);
    }

    /** Encodes a lookup value for a keyed field. */
    public String encode(FieldModel f, Object value) {
        Object coerced = coerce(f, value);
        return f.encode(coerced);
    }

    public Object coerce(FieldModel f, Object value) {
        Objects.requireNonNull(value, "value");
        Object coerced = KeyType.coerce(value, f.type());
        if (coerced == null) {
            throw new InvalidQueryException("table '" + table() + "': field '" + f.name() + "' is "
                    + f.type().getSimpleName() + ", got " + value.getClass().getSimpleName() + " '" + value + "'");
        }
        return coerced;
    }

    /** The field of that name, which must exist. */
    public FieldModel field(String name) {
        return model.field(name)
                .orElseThrow(() ->
                        new InvalidQueryException("table '" + table() + "' has no field '" + name + "'; its fields are "
                                + model.fields().stream().map(FieldModel::name).toList()));
    }

    /** The field of that name, which must be the id, unique or indexed. */
    public FieldModel keyedField(String name) {
        FieldModel f = field(name);
        if (!f.isKeyed()) {
            throw new NotIndexedException(table(), name);
        }
        return f;
    }

    public T decode(KeyValue kv) {
        return codec.decode(kv.getValue().getBytes(), () -> keys.idOfRow(kv.getKey()));
    }

    private void checkRequired(T row) {
        for (FieldModel f : model.fields()) {
            if (f.isRequired() && FieldModel.isMissing(f.get(row))) {
                throw new RequiredFieldException(table(), f.name());
            }
        }
    }

    private boolean needsId(T row) {
        Object id = model.id().get(row);
        return model.id().isAutoIncrement() && (id == null || ((Number) id).longValue() == 0);
    }

    /**
     * Buffers an insert.
     *
     * @param useSeqCache whether to assume the cached counter instead of reading it (single inserts)
     * @return the row as stored (with its generated id)
     */
    public T insert(TxnContext tx, T row, boolean useSeqCache) {
        checkRequired(row);
        T stored = row;
        boolean generated = needsId(row);
        if (generated) {
            long next;
            Seq cached = useSeqCache ? loadSeq() : null;
            if (cached != null) {
                tx.assume(keys.seq(), cached.modRevision());
                next = cached.value() + 1;
            } else {
                ByteSequence current = tx.value(keys.seq());
                next = (current == null ? 0 : Long.parseLong(current.toString(StandardCharsets.UTF_8))) + 1;
            }
            tx.put(keys.seq(), Keys.bytes(Long.toString(next)));
            stored = model.withId(row, KeyType.coerce(next, model.id().type()));
        }
        String id = idOf(stored);
        Object idValue = model.id().get(stored);
        tx.requireAbsent(keys.row(id), generated ? null : () -> new DuplicateIdException(table(), idValue));
        addKeys(tx, stored, id);
        tx.put(keys.row(id), ByteSequence.from(codec.encode(stored, id)));
        return stored;
    }

    /**
     * After a failed single insert of a generated id: take the counter the commit saw; if the generated id was
     * already taken by an explicitly chosen one while the counter did not move, skip past it.
     */
    public void refreshSeq(TxnContext.Outcome outcome, T tried) {
        KeyValue kv = outcome.current().get(keys.seq());
        Seq now = kv == null
                ? new Seq(0, 0)
                : new Seq(Long.parseLong(kv.getValue().toString(StandardCharsets.UTF_8)), kv.getModRevision());
        boolean collided = outcome.current().get(keys.row(idOf(tried))) != null;
        Seq previous = seq.get();
        long triedId = ((Number) Objects.requireNonNull(model.id().get(tried))).longValue();
        seq.set(
                collided && previous != null && previous.modRevision() == now.modRevision()
                        ? new Seq(Math.max(triedId, now.value()), now.modRevision())
                        : now);
    }

    /** After a successful single insert of a generated id: remember the counter. */
    public void committedSeq(T stored, long revision) {
        seq.set(new Seq(((Number) Objects.requireNonNull(model.id().get(stored))).longValue(), revision));
    }

    private Seq loadSeq() {
        Seq cached = seq.get();
        if (cached == null) {
            var r = etcd.get(keys.seq(), GetOption.DEFAULT, "read the counter of '" + table() + "'");
            cached = r.getKvs().isEmpty()
                    ? new Seq(0, 0)
                    : new Seq(
                            Long.parseLong(r.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8)),
                            r.getKvs().get(0).getModRevision());
            seq.set(cached);
        }
        return cached;
    }

    public void forgetSeq() {
        seq.set(null);
    }

    public boolean isGenerated(T row) {
        return needsId(row);
    }

    private void addKeys(TxnContext tx, T row, String id) {
        for (FieldModel f : model.uniques()) {
            Object v = f.get(row);
            if (v != null) {
                ByteSequence key = keys.unique(f.name(), f.encode(v));
                tx.requireAbsent(key, () -> new UniqueConstraintException(table(), f.name(), v));
                tx.put(key, Keys.bytes(id));
            }
        }
        for (FieldModel f : model.indexes()) {
            Object v = f.get(row);
            if (v != null) {
                tx.put(keys.index(f.name(), f.encode(v), id), EMPTY);
            }
        }
    }

    private void removeKeys(TxnContext tx, T row, String id) {
        for (FieldModel f : model.uniques()) {
            Object v = f.get(row);
            if (v != null) {
                tx.delete(keys.unique(f.name(), f.encode(v)));
            }
        }
        for (FieldModel f : model.indexes()) {
            Object v = f.get(row);
            if (v != null) {
                tx.delete(keys.index(f.name(), f.encode(v), id));
            }
        }
    }

    /** Reads the current row of an id within the transaction. */
    public @Nullable T current(TxnContext tx, String id) {
        ByteSequence value = tx.value(keys.row(id));
        return value == null ? null : codec.decode(value.getBytes(), id);
    }

    /** The mod revision of the row as read by the transaction (0 when absent or only written by it). */
    public long readRevision(TxnContext tx, String id) {
        KeyValue kv = tx.read(keys.row(id));
        return kv == null ? 0 : kv.getModRevision();
    }

    /**
     * Buffers an update of an existing row.
     *
     * @param expectedRevision the mod revision the caller read, or a negative number for none
     */
    public T update(TxnContext tx, T row, long expectedRevision) {
        checkRequired(row);
        String id = idOf(row);
        Object idValue = model.id().get(row);
        if (expectedRevision >= 0) {
            long found = readRevision(tx, id);
            if (found != expectedRevision) {
                throw new OptimisticLockException(table(), idValue, expectedRevision, found);
            }
        }
        T old = current(tx, id);
        if (old == null) {
            throw new NoSuchRowException(table(), idValue);
        }
        replace(tx, old, row, id);
        return row;
    }

    /** Buffers the replacement of {@code old} by {@code row}: only index entries whose value changed move. */
    private void replace(TxnContext tx, T old, T row, String id) {
        for (FieldModel f : model.uniques()) {
            Object before = f.get(old);
            Object after = f.get(row);
            if (!Objects.equals(before, after)) {
                if (before != null) {
                    tx.delete(keys.unique(f.name(), f.encode(before)));
                }
                if (after != null) {
                    ByteSequence key = keys.unique(f.name(), f.encode(after));
                    tx.requireAbsent(key, () -> new UniqueConstraintException(table(), f.name(), after));
                    tx.put(key, Keys.bytes(id));
                }
            }
        }
        for (FieldModel f : model.indexes()) {
            Object before = f.get(old);
            Object after = f.get(row);
            if (!Objects.equals(before, after)) {
                if (before != null) {
                    tx.delete(keys.index(f.name(), f.encode(before), id));
                }
                if (after != null) {
                    tx.put(keys.index(f.name(), f.encode(after), id), EMPTY);
                }
            }
        }
        tx.put(keys.row(id), ByteSequence.from(codec.encode(row, id)));
    }

    /** Buffers an insert or an update, whichever applies. */
    public T upsert(TxnContext tx, T row) {
        if (needsId(row)) {
            return insert(tx, row, false);
        }
        String id = idOf(row);
        T old = current(tx, id);
        if (old == null) {
            return insert(tx, row, false);
        }
        checkRequired(row);
        replace(tx, old, row, id);
        return row;
    }

    /** Buffers the deletion of a row and its index entries; returns whether it existed. */
    public @Nullable T delete(TxnContext tx, String id) {
        T old = current(tx, id);
        if (old == null) {
            return null;
        }
        removeKeys(tx, old, id);
        tx.delete(keys.row(id));
        return old;
    }

    /** Resolves the encoded id a unique value points to, within the transaction. */
    public @Nullable String idByUnique(TxnContext tx, FieldModel f, Object value) {
        ByteSequence id = tx.value(keys.unique(f.name(), encode(f, value)));
        return id == null ? null : id.toString(StandardCharsets.UTF_8);
    }

    /** Ids of rows, read from the index pages; used by deletes and lookups. */
    public List<String> idsByIndex(FieldModel f, Object value, int pageSize) {
        List<String> ids = new ArrayList<>();
        ByteSequence prefix = keys.indexValue(f.name(), encode(f, value));
        ByteSequence end = Keys.prefixEnd(prefix);
        ByteSequence from = prefix;
        long revision = 0;
        while (true) {
            GetOption.Builder option =
                    GetOption.builder().withRange(end).withKeysOnly(true).withLimit(pageSize);
            if (revision > 0) {
                option.withRevision(revision);
            }
            var page = etcd.get(from, option.build(), "read index " + f.name());
            revision = page.getHeader().getRevision();
            for (KeyValue kv : page.getKvs()) {
                ids.add(Keys.idOfIndexEntry(kv.getKey()));
            }
            if (!page.isMore() || page.getKvs().isEmpty()) {
                return ids;
            }
            from = Keys.after(page.getKvs().get(page.getKvs().size() - 1).getKey());
        }
    }
}
