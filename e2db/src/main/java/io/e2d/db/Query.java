package io.e2d.db;

import io.e2d.db.internal.QueryRunner;
import io.e2d.db.internal.TableEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A query on one table: an optional {@link Filter}, an order, and a window ({@code skip}, {@code limit}).
 * Immutable: every method returns a new query; run it with {@link #list()}, {@link #first()},
 * {@link #count()} or {@link #forEach(Consumer)}.
 *
 * <pre>{@code
 * List<Role> admins = roles.query()
 *         .filter(Filter.eq("description", "administrator"))
 *         .orderBy("id").reverse()
 *         .skip(1).limit(10)
 *         .list();
 * }</pre>
 *
 * <p>Equality on the id, a {@code @Unique} or an {@code @Index} field, and ranges on ordered keys (numbers,
 * {@code Instant}, {@code LocalDate}) read only the matching keys; anything else scans the table. Reads go
 * page by page ({@code E2dbConfig.pageSize} keys per request) at one etcd revision, so results are a
 * consistent snapshot and no response is huge. Without {@code orderBy}, rows come in id order (numerically
 * for numeric ids) and reading stops at the limit; {@code orderBy} and {@code reverse} hold the matches in
 * memory to sort them.
 *
 * @param <T> the model type
 */
public final class Query<T> {
    private final TableEngine<T> engine;
    private final int pageSize;
    private final @Nullable Filter filter;
    private final @Nullable String orderBy;
    private final boolean reverse;
    private final long skip;
    private final long limit;

    Query(TableEngine<T> engine, int pageSize) {
        this(engine, pageSize, null, null, false, 0, Long.MAX_VALUE);
    }

    private Query(
            TableEngine<T> engine,
            int pageSize,
            @Nullable Filter filter,
            @Nullable String orderBy,
            boolean reverse,
            long skip,
            long limit) {
        this.engine = engine;
        this.pageSize = pageSize;
        this.filter = filter;
        this.orderBy = orderBy;
        this.reverse = reverse;
        this.skip = skip;
        this.limit = limit;
    }

    /** Adds a condition; several calls combine with AND. */
    public Query<T> filter(Filter condition) {
        Objects.requireNonNull(condition, "condition");
        Filter combined = filter == null ? condition : Filter.and(filter, condition);
        return new Query<>(engine, pageSize, combined, orderBy, reverse, skip, limit);
    }

    /** Orders by a field's natural order, {@code null} first (numbers numerically, not as text). */
    public Query<T> orderBy(String field) {
        engine.field(Objects.requireNonNull(field, "field"));
        return new Query<>(engine, pageSize, filter, field, reverse, skip, limit);
    }

    /** Reverses the order (of {@code orderBy}, or of ids without it). */
    public Query<T> reverse() {
        return new Query<>(engine, pageSize, filter, orderBy, !reverse, skip, limit);
    }

    /** Skips the first {@code n} results. */
    public Query<T> skip(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("skip must be >= 0, got " + n);
        }
        return new Query<>(engine, pageSize, filter, orderBy, reverse, n, limit);
    }

    /** Returns at most {@code n} results. */
    public Query<T> limit(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + n);
        }
        return new Query<>(engine, pageSize, filter, orderBy, reverse, skip, n);
    }

    /**
     * Runs the query (blocking, one or more etcd requests).
     *
     * @throws InvalidQueryException for an unknown field or an operand of the wrong type
     */
    public List<T> list() {
        List<T> out = new ArrayList<>();
        forEach(out::add);
        return out;
    }

    /** The first result, if any. */
    public Optional<T> first() {
        List<T> one = limit(Math.min(limit, 1)).list();
        return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
    }

    /** The exact number of results (etcd's count when there is no filter). */
    public long count() {
        return runner().count();
    }

    /** Feeds the results to {@code action} as pages arrive, in order. */
    public void forEach(Consumer<? super T> action) {
        runner().run(action::accept);
    }

    private QueryRunner<T> runner() {
        return new QueryRunner<>(engine, filter, orderBy, reverse, skip, limit, pageSize);
    }

    @Override
    public String toString() {
        return "Query{table=" + engine.table() + ", filter=" + filter + ", orderBy=" + orderBy + ", reverse=" + reverse
                + ", skip=" + skip + ", limit=" + limit + "}";
    }
}
