package io.e2d.db.internal;

import io.e2d.db.Filter;
import io.e2d.db.InvalidQueryException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Executes a query: picks the cheapest source (id or unique lookups, an index prefix or range, or a scan of
 * the table), reads it page by page at one etcd revision, applies the whole filter in memory, then sorts,
 * skips and limits. Without an order, rows come in key order (ids ascending, numerically for numbers) and the
 * read stops as soon as the limit is reached.
 *
 * @param <T> the model type
 */
public final class QueryRunner<T> {
    private final TableEngine<T> engine;
    private final @Nullable Filter filter;
    private final @Nullable String orderBy;
    private final boolean reverse;
    private final long skip;
    private final long limit;
    private final int pageSize;

    public QueryRunner(
            TableEngine<T> engine,
            @Nullable Filter filter,
            @Nullable String orderBy,
            boolean reverse,
            long skip,
            long limit,
            int pageSize) {
        this.engine = engine;
        this.filter = filter;
        this.orderBy = orderBy;
        this.reverse = reverse;
        this.skip = skip;
        this.limit = limit;
        this.pageSize = pageSize;
    }

    /** Feeds the results, in order, to {@code sink}. */
    public void run(Consumer<T> sink) {
        Predicate<T> predicate = filter == null ? r -> true : compile(filter);
        Comparator<T> order = orderBy == null ? null : comparator(engine.field(orderBy));
        Iterator<T> rows = source();
        if (order == null && !reverse) {
            long skipped = 0;
            long taken = 0;
            while (taken < limit && rows.hasNext()) {
                T row = rows.next();
                if (predicate.test(row)) {
                    if (skipped < skip) {
                        skipped++;
                    } else {
                        sink.accept(row);
                        taken++;
                    }
                }
            }
            return;
        }
        List<T> all = new ArrayList<>();
        rows.forEachRemaining(r -> {
            if (predicate.test(r)) {
                all.add(r);
            }
        });
        if (order != null) {
            all.sort(reverse ? order.reversed() : order);
        } else {
            Collections.reverse(all);
        }
        all.stream().skip(skip).limit(limit).forEach(sink);
    }

    /** The number of results. */
    public long count() {
        if (filter == null) {
            GetResponse r = engine.etcd()
                    .get(
                            engine.keys().rows(),
                            GetOption.builder()
                                    .isPrefix(true)
                                    .withCountOnly(true)
                                    .build(),
                            "count");
            return Math.max(0, Math.min(limit, r.getCount() - skip));
        }
        long[] n = {0};
        QueryRunner<T> unordered = new QueryRunner<>(engine, filter, null, false, skip, limit, pageSize);
        unordered.run(r -> n[0]++);
        return n[0];
    }

    // ---------------------------------------------------------------- filter evaluation

    private Predicate<T> compile(Filter f) {
        if (f instanceof Filter.Eq) {
            Filter.Eq eq = (Filter.Eq) f;
            FieldModel field = engine.field(eq.field());
            Object v = eq.value() == null ? null : engine.coerce(field, eq.value());
            return row -> Objects.equals(field.get(row), v);
        }
        if (f instanceof Filter.In) {
            Filter.In in = (Filter.In) f;
            FieldModel field = engine.field(in.field());
            List<Object> values =
                    in.values().stream().map(v -> engine.coerce(field, v)).toList();
            return row -> values.contains(field.get(row));
        }
        if (f instanceof Filter.Range) {
            Filter.Range range = (Filter.Range) f;
            FieldModel field = engine.field(range.field());
            Object v = engine.coerce(field, range.value());
            if (!(v instanceof Comparable)) {
                throw new InvalidQueryException("table '" + engine.table() + "': field '" + field.name() + "' of type "
                        + field.type().getSimpleName() + " has no order; use eq/in");
            }
            Filter.Op op = range.op();
            return row -> {
                Object value = field.get(row);
                if (value == null) {
                    return false;
                }
                int c = compare(value, v);
                switch (op) {
                    case LT:
                        return c < 0;
                    case LE:
                        return c <= 0;
                    case GT:
                        return c > 0;
                    default:
                        return c >= 0;
                }
            };
        }
        if (f instanceof Filter.And) {
            List<Predicate<T>> parts =
                    ((Filter.And) f).filters().stream().map(this::compile).toList();
            return row -> parts.stream().allMatch(p -> p.test(row));
        }
        if (f instanceof Filter.Or) {
            List<Predicate<T>> parts =
                    ((Filter.Or) f).filters().stream().map(this::compile).toList();
            return row -> parts.stream().anyMatch(p -> p.test(row));
        }
        Predicate<T> inner = compile(((Filter.Not) f).filter());
        return inner.negate();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }

    private Comparator<T> comparator(FieldModel field) {
        Class<?> boxed = Reflection.boxed(field.type());
        if (!Comparable.class.isAssignableFrom(boxed)) {
            throw new InvalidQueryException("table '" + engine.table() + "': cannot order by field '" + field.name()
                    + "' of type " + field.type().getSimpleName() + ": it is not Comparable");
        }
        return (x, y) -> {
            Object a = field.get(x);
            Object b = field.get(y);
            if (a == null || b == null) {
                return a == null ? (b == null ? 0 : -1) : 1;
            }
            return compare(a, b);
        };
    }

    // ---------------------------------------------------------------- planning

    private Iterator<T> source() {
        List<Filter> conjuncts = new ArrayList<>();
        if (filter instanceof Filter.And) {
            conjuncts.addAll(((Filter.And) filter).filters());
        } else if (filter != null) {
            conjuncts.add(filter);
        }
        // 1. equality on the id or a unique field: point reads
        for (Filter c : conjuncts) {
            List<Object> values = equalityValues(c);
            if (values != null) {
                FieldModel f = engine.field(fieldOf(c));
                if (f.isId() || f.isUnique()) {
                    return points(f, values);
                }
            }
        }
        // 2. equality on an index: its prefixes
        for (Filter c : conjuncts) {
            List<Object> values = equalityValues(c);
            if (values != null && engine.field(fieldOf(c)).isIndex()) {
                FieldModel f = engine.field(fieldOf(c));
                List<ByteSequence[]> ranges = new ArrayList<>();
                for (Object v : values) {
                    ByteSequence p = engine.keys().indexValue(f.name(), engine.encode(f, v));
                    ranges.add(new ByteSequence[] {p, Keys.prefixEnd(p)});
                }
                return new IndexScan(ranges, false);
            }
        }
        // 3. a range on an ordered key
        for (Filter c : conjuncts) {
            if (c instanceof Filter.Range) {
                FieldModel f = engine.field(((Filter.Range) c).field());
                if (f.isKeyed() && f.keyType().map(KeyType::isOrdered).orElse(false)) {
                    return range(f, conjuncts);
                }
            }
        }
        return new RowScan(engine.keys().rows(), Keys.prefixEnd(engine.keys().rows()));
    }

    private static @Nullable List<Object> equalityValues(Filter c) {
        if (c instanceof Filter.Eq && ((Filter.Eq) c).value() != null) {
            return List.of(Objects.requireNonNull(((Filter.Eq) c).value()));
        }
        if (c instanceof Filter.In) {
            @SuppressWarnings("unchecked")
            List<Object> values = (List<Object>) ((Filter.In) c).values();
            return values;
        }
        return null;
    }

    private static String fieldOf(Filter c) {
        return c instanceof Filter.Eq ? ((Filter.Eq) c).field() : ((Filter.In) c).field();
    }

    private Iterator<T> points(FieldModel f, List<Object> values) {
        List<String> ids = new ArrayList<>();
        if (f.isId()) {
            values.forEach(v -> ids.add(engine.encodeId(v)));
        } else {
            List<ByteSequence> uniqueKeys = values.stream()
                    .map(v -> engine.keys().unique(f.name(), engine.encode(f, v)))
                    .toList();
            Etcd.Batch batch = engine.etcd().getAll(uniqueKeys, 0, "read unique " + f.name());
            batch.values().stream()
                    .filter(Objects::nonNull)
                    .forEach(kv -> ids.add(kv.getValue().toString(StandardCharsets.UTF_8)));
        }
        List<String> sorted = ids.stream().distinct().sorted().toList();
        List<T> rows = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i += pageSize) {
            List<ByteSequence> rowKeys = sorted.subList(i, Math.min(sorted.size(), i + pageSize)).stream()
                    .map(engine.keys()::row)
                    .toList();
            engine.etcd().getAll(rowKeys, 0, "read rows").values().stream()
                    .filter(Objects::nonNull)
                    .forEach(kv -> rows.add(engine.decode(kv)));
        }
        return rows.iterator();
    }

    private Iterator<T> range(FieldModel f, List<Filter> conjuncts) {
        // the key range of the tightest bounds of all range conjuncts on this field
        ByteSequence from = null;
        ByteSequence to = null;
        boolean index = f.isIndex();
        ByteSequence base = f.isId()
                ? engine.keys().rows()
                : index ? engine.keys().indexField(f.name()) : engine.keys().uniqueField(f.name());
        String prefix = base.toString(StandardCharsets.UTF_8);
        for (Filter c : conjuncts) {
            if (!(c instanceof Filter.Range) || !((Filter.Range) c).field().equals(f.name())) {
                continue;
            }
            Filter.Range r = (Filter.Range) c;
            String enc = engine.encode(f, r.value());
            // an index entry is <value>/<id>; id and unique keys end with the value
            ByteSequence at = Keys.bytes(prefix + enc + (index ? "/" : ""));
            ByteSequence past = index ? Keys.prefixEnd(at) : Keys.after(at);
            switch (r.op()) {
                case GE:
                    from = max(from, at);
                    break;
                case GT:
                    from = max(from, past);
                    break;
                case LE:
                    to = min(to, past);
                    break;
                default:
                    to = min(to, at);
                    break;
            }
        }
        ByteSequence start = from == null ? base : from;
        ByteSequence end = to == null ? Keys.prefixEnd(base) : to;
        if (compareBytes(start, end) >= 0) {
            return Collections.emptyIterator();
        }
        if (f.isId()) {
            return new RowScan(start, end);
        }
        return new IndexScan(List.<ByteSequence[]>of(new ByteSequence[] {start, end}), !index);
    }

    private static ByteSequence max(@Nullable ByteSequence a, ByteSequence b) {
        return a == null || compareBytes(b, a) > 0 ? b : a;
    }

    private static ByteSequence min(@Nullable ByteSequence a, ByteSequence b) {
        return a == null || compareBytes(b, a) < 0 ? b : a;
    }

    private static int compareBytes(ByteSequence a, ByteSequence b) {
        byte[] x = a.getBytes();
        byte[] y = b.getBytes();
        return java.util.Arrays.compareUnsigned(x, y);
    }

    // ---------------------------------------------------------------- sources

    /** Pages through a key range at one revision. */
    private abstract class Paged implements Iterator<T> {
        private final Deque<T> buffer = new ArrayDeque<>();
        long revision;

        abstract boolean fill(Deque<T> into);

        @Override
        public boolean hasNext() {
            while (buffer.isEmpty()) {
                if (!fill(buffer)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return buffer.removeFirst();
        }

        GetResponse page(ByteSequence from, ByteSequence end, boolean keysOnly) {
            GetOption.Builder option =
                    GetOption.builder().withRange(end).withLimit(pageSize).withKeysOnly(keysOnly);
            if (revision > 0) {
                option.withRevision(revision);
            }
            GetResponse r = engine.etcd().get(from, option.build(), "scan '" + engine.table() + "'");
            if (revision == 0) {
                revision = r.getHeader().getRevision();
            }
            return r;
        }
    }

    /** Rows of a range of row keys. */
    private final class RowScan extends Paged {
        private @Nullable ByteSequence from;
        private final ByteSequence end;

        RowScan(ByteSequence from, ByteSequence end) {
            this.from = from;
            this.end = end;
        }

        @Override
        boolean fill(Deque<T> into) {
            if (from == null) {
                return false;
            }
            GetResponse r = page(from, end, false);
            List<KeyValue> kvs = r.getKvs();
            kvs.forEach(kv -> into.add(engine.decode(kv)));
            from = r.isMore() && !kvs.isEmpty()
                    ? Keys.after(kvs.get(kvs.size() - 1).getKey())
                    : null;
            return true;
        }
    }

    /** Rows named by ranges of index entries (ids in the key) or unique entries (ids in the value). */
    private final class IndexScan extends Paged {
        private final Deque<ByteSequence[]> ranges;
        private final boolean idsInValues;

        IndexScan(List<ByteSequence[]> ranges, boolean idsInValues) {
            this.ranges = new ArrayDeque<>(ranges);
            this.idsInValues = idsInValues;
        }

        @Override
        boolean fill(Deque<T> into) {
            ByteSequence[] range = ranges.peekFirst();
            if (range == null) {
                return false;
            }
            GetResponse r = page(range[0], range[1], !idsInValues);
            List<KeyValue> kvs = r.getKvs();
            if (r.isMore() && !kvs.isEmpty()) {
                range[0] = Keys.after(kvs.get(kvs.size() - 1).getKey());
            } else {
                ranges.removeFirst();
            }
            if (kvs.isEmpty()) {
                return true;
            }
            List<ByteSequence> rowKeys = kvs.stream()
                    .map(kv -> engine.keys()
                            .row(
                                    idsInValues
                                            ? kv.getValue().toString(StandardCharsets.UTF_8)
                                            : Keys.idOfIndexEntry(kv.getKey())))
                    .toList();
            engine.etcd().getAll(rowKeys, revision, "read rows of '" + engine.table() + "'").values().stream()
                    .filter(Objects::nonNull)
                    .forEach(kv -> into.add(engine.decode(kv)));
            return true;
        }
    }
}
