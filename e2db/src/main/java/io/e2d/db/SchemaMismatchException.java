package io.e2d.db;

/**
 * The schema stored in etcd for a table differs from the model that opens it (a field added, removed,
 * retyped or re-annotated). e2db does not migrate data: restore the old model, use another table name or
 * namespace, or {@code drop()} the table.
 */
public final class SchemaMismatchException extends E2dbException {
    private static final long serialVersionUID = 1L;
    private final String table;
    private final String stored;
    private final String expected;

    public SchemaMismatchException(String table, String stored, String expected) {
        super(
                "table '" + table + "': the stored schema differs from the model; expected " + expected
                        + ", found " + stored
                        + "; fix: restore the previous model, open it under another @Table name or namespace, or drop() the table");
        this.table = table;
        this.stored = stored;
        this.expected = expected;
    }

    public String table() {
        return table;
    }

    /** The stored schema (JSON). */
    public String stored() {
        return stored;
    }

    /** The schema of the model that was opened (JSON). */
    public String expected() {
        return expected;
    }
}
