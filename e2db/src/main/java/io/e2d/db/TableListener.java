package io.e2d.db;

import org.jspecify.annotations.Nullable;

/**
 * Receives the changes of a table's rows, in etcd revision order, on a jetcd callback thread. Implement only
 * the methods you need. Methods must not block for long: events of the watch queue up behind them.
 *
 * <pre>{@code
 * try (Subscription s = roles.watch(new TableListener<Role>() {
 *     public void inserted(Role row, long revision) { cache.put(row.id(), row); }
 * })) { ... }
 * }</pre>
 *
 * @param <T> the model type
 */
public interface TableListener<T> {
    /** A row was inserted. */
    default void inserted(T row, long revision) {}

    /**
     * A row was replaced.
     *
     * @param before the previous row; null only when etcd's history before {@code revision} was compacted
     */
    default void updated(@Nullable T before, T after, long revision) {}

    /**
     * A row was deleted.
     *
     * @param id the encoded id (as it appears in the row key)
     * @param before the deleted row; null only when etcd's history before {@code revision} was compacted
     */
    default void deleted(String id, @Nullable T before, long revision) {}

    /** The watch failed (e.g. the start revision was compacted) or a row could not be decoded. */
    default void failed(E2dbException error) {}
}
