package io.e2d.db;

import io.e2d.db.internal.FieldModel;
import io.e2d.db.internal.TableEngine;
import io.e2d.db.internal.TxnContext;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The view of the database inside {@link E2db#inTransaction}: reads see one etcd revision plus this
 * transaction's own writes; writes are buffered and sent as one etcd Txn when the callback returns, with
 * compares on everything read, so the transaction commits as a whole or not at all (and is retried). Valid
 * only inside its callback, on the callback's thread.
 *
 * <pre>{@code
 * db.inTransaction(tx -> {
 *     Account from = tx.get(Account.class, "alice");
 *     Account to = tx.get(Account.class, "bob");
 *     tx.update(from.withBalance(from.balance() - 10));
 *     return tx.update(to.withBalance(to.balance() + 10));
 * });
 * }</pre>
 *
 * <p>Only point reads (by id or unique value) are tracked; run range queries outside transactions.
 */
public final class Transaction {
    private final Function<Class<?>, TableEngine<?>> tables;
    private final TxnContext context;
    private boolean open = true;

    Transaction(Function<Class<?>, TableEngine<?>> tables, TxnContext context) {
        this.tables = tables;
        this.context = context;
    }

    @SuppressWarnings("unchecked")
    private <T> TableEngine<T> engine(Class<T> type) {
        if (!open) {
            throw new IllegalStateException("the transaction is over: use it only inside its callback");
        }
        return (TableEngine<T>) tables.apply(Objects.requireNonNull(type, "type"));
    }

    @SuppressWarnings("unchecked")
    private <T> TableEngine<T> engineOf(T row) {
        return engine((Class<T>) Objects.requireNonNull(row, "row").getClass());
    }

    void close() {
        open = false;
    }

    /** The row with this id, as of the transaction's snapshot and its own writes. */
    public <T> Optional<T> find(Class<T> type, Object id) {
        TableEngine<T> e = engine(type);
        return Optional.ofNullable(e.current(context, e.encodeId(id)));
    }

    /**
     * The row with this id.
     *
     * @throws NoSuchRowException if there is none
     */
    public <T> T get(Class<T> type, Object id) {
        return find(type, id)
                .orElseThrow(() -> new NoSuchRowException(engine(type).table(), id));
    }

    /** The row whose {@code @Unique} field equals the value (the absence is checked at commit, too). */
    public <T> Optional<T> findUnique(Class<T> type, String field, Object value) {
        TableEngine<T> e = engine(type);
        FieldModel f = e.field(field);
        if (f.isId()) {
            return find(type, value);
        }
        if (!f.isUnique()) {
            throw new NotIndexedException(e.table(), field);
        }
        String id = e.idByUnique(context, f, value);
        return id == null ? Optional.empty() : Optional.ofNullable(e.current(context, id));
    }

    /**
     * Inserts a row (see {@link Table#insert}).
     *
     * @return the row as it will be stored, with its generated id
     */
    public <T> T insert(T row) {
        return engineOf(row).insert(context, row, false);
    }

    /** Replaces an existing row (see {@link Table#update(Object)}); conflicts retry the transaction. */
    public <T> T update(T row) {
        return engineOf(row).update(context, row, -1);
    }

    /** Inserts or replaces a row. */
    public <T> T upsert(T row) {
        return engineOf(row).upsert(context, row);
    }

    /** Deletes the row with this id; returns whether it existed. */
    public <T> boolean delete(Class<T> type, Object id) {
        TableEngine<T> e = engine(type);
        return e.delete(context, e.encodeId(id)) != null;
    }

    /** The etcd revision the transaction reads at (0 before its first read). */
    public long revision() {
        return context.revision();
    }
}
