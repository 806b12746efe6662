package io.e2d.db;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A condition on rows for {@link Query#filter(Filter)}. Field names are the model's Java field names; operands
 * are converted to the field's type ({@code 1} matches a {@code long}, {@code "ADMIN"} an enum). Comparisons use
 * the values' natural order (numbers numerically), and are false when the field is {@code null}.
 *
 * <pre>{@code
 * roles.query().filter(Filter.eq("description", "administrator").and(Filter.gt("id", 2))).list();
 * }</pre>
 *
 * Immutable.
 */
public sealed interface Filter {
    static Filter eq(String field, @Nullable Object value) {
        return new Eq(field, value);
    }

    static Filter ne(String field, @Nullable Object value) {
        return new Not(new Eq(field, value));
    }

    static Filter lt(String field, Object value) {
        return new Range(field, Op.LT, value);
    }

    static Filter le(String field, Object value) {
        return new Range(field, Op.LE, value);
    }

    static Filter gt(String field, Object value) {
        return new Range(field, Op.GT, value);
    }

    static Filter ge(String field, Object value) {
        return new Range(field, Op.GE, value);
    }

    /** The field equals one of the values. */
    static Filter in(String field, List<?> values) {
        return new In(field, List.copyOf(values));
    }

    static Filter in(String field, Object... values) {
        return new In(field, List.of(values));
    }

    static Filter and(Filter... filters) {
        return new And(List.of(filters));
    }

    static Filter or(Filter... filters) {
        return new Or(List.of(filters));
    }

    static Filter not(Filter filter) {
        return new Not(filter);
    }

    default Filter and(Filter other) {
        return new And(List.of(this, other));
    }

    default Filter or(Filter other) {
        return new Or(List.of(this, other));
    }

    /** Comparison operators of {@link Range}. */
    enum Op {
        LT,
        LE,
        GT,
        GE
    }

    /** The field equals the value (both null counts as equal). */
    record Eq(String field, @Nullable Object value) implements Filter {
        public Eq {
            Objects.requireNonNull(field, "field");
        }
    }

    /** The field compares to the value with {@code op}. */
    record Range(String field, Op op, Object value) implements Filter {
        public Range {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(value, "value");
        }
    }

    /** The field equals one of the values. */
    record In(String field, List<?> values) implements Filter {
        public In {
            Objects.requireNonNull(field, "field");
            values = List.copyOf(values);
        }
    }

    /** All of the filters match (true when empty). */
    record And(List<Filter> filters) implements Filter {
        public And {
            filters = List.copyOf(filters);
        }
    }

    /** At least one of the filters matches (false when empty). */
    record Or(List<Filter> filters) implements Filter {
        public Or {
            filters = List.copyOf(filters);
        }
    }

    /** The filter does not match. */
    record Not(Filter filter) implements Filter {
        public Not {
            Objects.requireNonNull(filter, "filter");
        }
    }
}
