package io.e2d.db;

import io.e2d.db.internal.FieldModel;
import io.e2d.db.internal.Keys;
import io.e2d.db.internal.TableEngine;
import io.e2d.db.internal.TxnContext;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The rows of one model class, stored in etcd. Obtained from {@link E2db#table(Class)}; thread-safe and
 * cheap to keep.
 *
 * <pre>{@code
 * Table<Role> roles = db.table(Role.class);
 * Role admin = roles.insert(new Role(0, "admin", "administrator"));   // id generated
 * roles.findUnique("name", "admin");                                   // Optional[Role[id=1, ...]]
 * roles.update(admin.id(), r -> r.withDescription("root"));            // read-modify-write, retried
 * }</pre>
 *
 * <p>Every write is one etcd transaction whose compares make it atomic and safe against concurrent writers:
 * the row and all its index entries change together or not at all; an insert never overwrites; unique values
 * are checked by the same transaction. Every method blocks for at most a few round trips of
 * {@code E2dbConfig.requestTimeout} each.
 *
 * @param <T> the model type
 */
public final class Table<T> {
    private final TableEngine<T> engine;
    private final int retries;
    private final int pageSize;
    private volatile boolean dropped;

    Table(TableEngine<T> engine, int retries, int pageSize) {
        this.engine = engine;
        this.retries = retries;
        this.pageSize = pageSize;
    }

    TableEngine<T> engine() {
        return engine;
    }

    /** The table name. */
    public String name() {
        return engine.table();
    }

    /** The model class. */
    public Class<T> type() {
        return engine.model().type();
    }

    // ------------------------------------------------------------------ writes

    /**
     * Inserts a new row. With {@code @Id(autoIncrement = true)} and a zero or null id, the next counter value
     * is used. The argument is not modified.
     *
     * @return the stored row (with its generated id)
     * @throws DuplicateIdException if a row with that id exists
     * @throws UniqueConstraintException if a {@code @Unique} value is taken
     * @throws RequiredFieldException if a {@code @Required} field is empty
     */
    public T insert(T row) {
        Objects.requireNonNull(row, "row");
        for (int attempt = 1; attempt <= retries; attempt++) {
            reopenIfDropped();
            TxnContext tx = new TxnContext(engine.etcd());
            T stored = engine.insert(tx, row, true);
            TxnContext.Outcome outcome = tx.commit();
            boolean generated = engine.isGenerated(row);
            if (outcome.committed()) {
                if (generated) {
                    engine.committedSeq(stored, outcome.revision());
                }
                return stored;
            }
            if (generated) {
                engine.refreshSeq(outcome, stored);
            }
        }
        throw new TransactionConflictException(retries);
    }

    /**
     * Replaces an existing row (found by its id) with {@code row}, atomically with its index entries. Last
     * writer wins; use {@link #update(Object, long)} or {@link #update(Object, UnaryOperator)} to not lose a
     * concurrent change.
     *
     * @throws NoSuchRowException if no row has that id
     * @throws UniqueConstraintException if a changed {@code @Unique} value is taken
     */
    public T update(T row) {
        Objects.requireNonNull(row, "row");
        return write(tx -> engine.update(tx, row, -1));
    }

    /**
     * Replaces a row only if it is still at {@code expectedRevision} (see {@link #findVersioned(Object)}).
     *
     * @throws OptimisticLockException if the row changed (or was deleted) since that revision
     */
    public T update(T row, long expectedRevision) {
        Objects.requireNonNull(row, "row");
        return write(tx -> engine.update(tx, row, expectedRevision));
    }

    /**
     * Reads the row, applies {@code change} and writes the result if the row did not change meanwhile, else
     * repeats (up to {@code E2dbConfig.transactionRetries} times). No concurrent update is lost. The change
     * function may run several times and must not alter the id.
     *
     * @throws NoSuchRowException if no row has that id
     */
    public T update(Object id, UnaryOperator<T> change) {
        Objects.requireNonNull(change, "change");
        String key = engine.encodeId(id);
        return write(tx -> {
            T current = engine.current(tx, key);
            if (current == null) {
                throw new NoSuchRowException(name(), id);
            }
            T changed = Objects.requireNonNull(change.apply(current), "change returned null");
            if (!engine.idOf(changed).equals(key)) {
                throw new IllegalArgumentException("the change function must not alter the id of row '" + id + "'");
            }
            return engine.update(tx, changed, engine.readRevision(tx, key));
        });
    }

    /** Inserts the row, or replaces the row with the same id. */
    public T upsert(T row) {
        Objects.requireNonNull(row, "row");
        return write(tx -> engine.upsert(tx, row));
    }

    /**
     * Deletes the row with this id and its index entries.
     *
     * @return whether a row was deleted
     */
    public boolean delete(Object id) {
        String key = engine.encodeId(Objects.requireNonNull(id, "id"));
        return write(tx -> engine.delete(tx, key) != null);
    }

    /**
     * Deletes every row whose field (the id, a {@code @Unique} or an {@code @Index} field) equals the value.
     * Rows are deleted in transactions of up to {@code E2dbConfig.pageSize} keys each (each row with its index
     * entries); a row whose value changed since the index was read is left alone.
     *
     * @return the number of rows deleted
     * @throws NotIndexedException if the field is not keyed
     */
    public int deleteBy(String field, Object value) {
        FieldModel f = engine.keyedField(field);
        List<String> ids = idsOf(f, value);
        int keysPerRow =
                1 + engine.model().uniques().size() + engine.model().indexes().size();
        int chunk = Math.max(1, pageSize / keysPerRow);
        Object expected = engine.coerce(f, value);
        int deleted = 0;
        for (int i = 0; i < ids.size(); i += chunk) {
            List<String> part = ids.subList(i, Math.min(ids.size(), i + chunk));
            deleted += write(tx -> {
                tx.readAll(part.stream().map(engine.keys()::row).toList());
                int n = 0;
                for (String id : part) {
                    T current = engine.current(tx, id);
                    // the index was read before this transaction: skip a row whose value changed since
                    if (current != null && (f.isId() || Objects.equals(f.get(current), expected))) {
                        engine.delete(tx, id);
                        n++;
                    }
                }
                return n;
            });
        }
        return deleted;
    }

    /** Deletes all rows and index entries; the schema and the id counter stay. One transaction. */
    public void deleteAll() {
        Keys keys = engine.keys();
        engine.etcd()
                .await(
                        engine.etcd()
                                .kv()
                                .txn()
                                .Then(
                                        Op.delete(
                                                keys.rows(),
                                                DeleteOption.builder()
                                                        .isPrefix(true)
                                                        .build()),
                                        Op.delete(
                                                keys.uniques(),
                                                DeleteOption.builder()
                                                        .isPrefix(true)
                                                        .build()),
                                        Op.delete(
                                                keys.indexes(),
                                                DeleteOption.builder()
                                                        .isPrefix(true)
                                                        .build()))
                                .commit(),
                        "deleteAll '" + name() + "'");
    }

    /**
     * Removes the table: rows, indexes, counter and schema. This {@code Table} stays usable: its next write
     * stores its schema again and starts a new, empty table; until then another model may open the name.
     */
    public void drop() {
        engine.etcd()
                .await(
                        engine.etcd()
                                .kv()
                                .delete(
                                        engine.keys().table(),
                                        DeleteOption.builder().isPrefix(true).build()),
                        "drop '" + name() + "'");
        engine.forgetSeq();
        dropped = true;
    }

    private void reopenIfDropped() {
        if (dropped) {
            engine.ensureSchema();
            dropped = false;
        }
    }

    // ------------------------------------------------------------------ reads

    /** The row with this id. */
    public Optional<T> find(Object id) {
        return findVersioned(id).map(Versioned::value);
    }

    /** The row with this id and its mod revision, for {@link #update(Object, long)}. */
    public Optional<Versioned<T>> findVersioned(Object id) {
        GetResponse r = engine.etcd()
                .get(
                        engine.keys().row(engine.encodeId(Objects.requireNonNull(id, "id"))),
                        GetOption.DEFAULT,
                        "find in '" + name() + "'");
        if (r.getKvs().isEmpty()) {
            return Optional.empty();
        }
        KeyValue kv = r.getKvs().get(0);
        return Optional.of(new Versioned<>(engine.decode(kv), kv.getModRevision()));
    }

    /**
     * The row with this id.
     *
     * @throws NoSuchRowException if there is none
     */
    public T get(Object id) {
        return find(id).orElseThrow(() -> new NoSuchRowException(name(), id));
    }

    /**
     * The row whose field equals the value, through the id or a {@code @Unique} index.
     *
     * @throws NotIndexedException if the field is neither
     */
    public Optional<T> findUnique(String field, Object value) {
        FieldModel f = engine.field(field);
        if (f.isId()) {
            return find(value);
        }
        if (!f.isUnique()) {
            throw new NotIndexedException(name(), field);
        }
        GetResponse entry = engine.etcd()
                .get(
                        engine.keys().unique(f.name(), engine.encode(f, value)),
                        GetOption.DEFAULT,
                        "find in '" + name() + "'");
        if (entry.getKvs().isEmpty()) {
            return Optional.empty();
        }
        GetResponse row = engine.etcd()
                .get(
                        engine.keys()
                                .row(entry.getKvs()
                                        .get(0)
                                        .getValue()
                                        .toString(java.nio.charset.StandardCharsets.UTF_8)),
                        GetOption.DEFAULT,
                        "find in '" + name() + "'");
        if (!row.getKvs().isEmpty()) {
            T found = engine.decode(row.getKvs().get(0));
            if (Objects.equals(f.get(found), engine.coerce(f, value))) {
                return Optional.of(found);
            }
        }
        // the row changed between the two reads: answer from one consistent snapshot instead
        return query().filter(Filter.eq(field, value)).first();
    }

    /**
     * The rows whose field equals the value, in id order, through the id, a {@code @Unique} or an
     * {@code @Index} field.
     *
     * @throws NotIndexedException if the field is not keyed (use {@link #query()} to scan)
     */
    public List<T> findBy(String field, Object value) {
        engine.keyedField(field);
        return query().filter(Filter.eq(field, value)).list();
    }

    /** All rows, in id order, read page by page. */
    public List<T> all() {
        return query().list();
    }

    /** The exact number of rows. */
    public long count() {
        return query().count();
    }

    /**
     * The exact number of rows whose keyed field equals the value, counted from the keys alone.
     *
     * @throws NotIndexedException if the field is not keyed
     */
    public long count(String field, Object value) {
        FieldModel f = engine.keyedField(field);
        Keys keys = engine.keys();
        String enc = engine.encode(f, value);
        ByteSequence key = f.isId() ? keys.row(enc) : f.isUnique() ? keys.unique(f.name(), enc) : null;
        GetOption.Builder option = GetOption.builder().withCountOnly(true);
        if (key == null) {
            key = keys.indexValue(f.name(), enc);
            option.isPrefix(true);
        }
        return engine.etcd()
                .get(key, option.build(), "count in '" + name() + "'")
                .getCount();
    }

    /** A query on this table. */
    public Query<T> query() {
        return new Query<>(engine, pageSize);
    }

    private List<String> idsOf(FieldModel f, Object value) {
        if (f.isId()) {
            return List.of(engine.encodeId(value));
        }
        if (f.isUnique()) {
            TxnContext tx = new TxnContext(engine.etcd());
            String id = engine.idByUnique(tx, f, value);
            return id == null ? List.of() : List.of(id);
        }
        return engine.idsByIndex(f, value, pageSize);
    }

    // ------------------------------------------------------------------ watches

    /** Watches changes from now on. */
    public Subscription watch(TableListener<T> listener) {
        return watch(0, listener);
    }

    /**
     * Watches the changes of rows from {@code fromRevision} (inclusive; 0 for "from now").
     *
     * @return the registration; closing it stops the events
     */
    public Subscription watch(long fromRevision, TableListener<T> listener) {
        Objects.requireNonNull(listener, "listener");
        ByteSequence prefix = engine.keys().rows();
        WatchOption.Builder option = WatchOption.builder().isPrefix(true).withPrevKV(true);
        if (fromRevision > 0) {
            option.withRevision(fromRevision);
        }
        var watcher = engine.etcd()
                .client()
                .getWatchClient()
                .watch(
                        prefix,
                        option.build(),
                        response -> dispatch(response, listener),
                        error -> listener.failed(new E2dbException(
                                "watch of table '" + name() + "' failed: " + error.getMessage(), error)));
        return watcher::close;
    }

    private void dispatch(WatchResponse response, TableListener<T> listener) {
        for (WatchEvent event : response.getEvents()) {
            KeyValue kv = event.getKeyValue();
            KeyValue prev = event.getPrevKV();
            boolean hasPrev = prev != null && !prev.getKey().isEmpty();
            try {
                if (event.getEventType() == WatchEvent.EventType.PUT) {
                    T after = engine.decode(kv);
                    if (kv.getVersion() == 1) {
                        listener.inserted(after, kv.getModRevision());
                    } else {
                        listener.updated(hasPrev ? engine.decode(prev) : null, after, kv.getModRevision());
                    }
                } else if (event.getEventType() == WatchEvent.EventType.DELETE) {
                    listener.deleted(
                            engine.keys().idOfRow(kv.getKey()),
                            hasPrev ? engine.decode(prev) : null,
                            kv.getModRevision());
                }
            } catch (E2dbException e) {
                listener.failed(e);
            }
        }
    }

    // ------------------------------------------------------------------ internals

    private <R> R write(Function<TxnContext, R> op) {
        for (int attempt = 1; attempt <= retries; attempt++) {
            TxnContext tx = new TxnContext(engine.etcd());
            reopenIfDropped();
            R result = op.apply(tx);
            if (tx.commit().committed()) {
                return result;
            }
        }
        throw new TransactionConflictException(retries);
    }

    @Override
    public String toString() {
        return "Table{" + name() + " of " + type().getName() + "}";
    }
}
