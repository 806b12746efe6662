package io.e2d.db;

/** A write would give a {@code @Unique} field a value another row already holds. Nothing was written. */
public final class UniqueConstraintException extends E2dbException {
    private static final long serialVersionUID = 1L;
    private final String table;
    private final String field;
    private final String value;

    public UniqueConstraintException(String table, String field, Object value) {
        super("table '" + table + "': another row already has " + field + " = '" + value
                + "' (the field is @Unique); choose another value or update that row");
        this.table = table;
        this.field = field;
        this.value = String.valueOf(value);
    }

    public String table() {
        return table;
    }

    public String field() {
        return field;
    }

    /** The conflicting value, as text. */
    public String value() {
        return value;
    }
}
