package io.e2d.db;

/**
 * A lookup by field ({@code findBy}, {@code count}, {@code deleteBy}) names a field that is neither the id nor
 * {@code @Index} nor {@code @Unique}. Annotate the field, or use {@code query().filter(...)}, which scans.
 */
public final class NotIndexedException extends E2dbException {
    private static final long serialVersionUID = 1L;
    private final String table;
    private final String field;

    public NotIndexedException(String table, String field) {
        super("table '" + table + "': field '" + field
                + "' is not indexed; annotate it with @Index or @Unique, or use query().filter(...) to scan");
        this.table = table;
        this.field = field;
    }

    public String table() {
        return table;
    }

    public String field() {
        return field;
    }
}
