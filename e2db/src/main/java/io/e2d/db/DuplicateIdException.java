package io.e2d.db;

/** An insert found a row with the same id. Nothing was written; use {@code update} or {@code upsert}. */
public final class DuplicateIdException extends E2dbException {
    private static final long serialVersionUID = 1L;
    private final String table;
    private final String id;

    public DuplicateIdException(String table, Object id) {
        super("table '" + table + "': a row with id '" + id
                + "' already exists; insert never overwrites, use update() or upsert()");
        this.table = table;
        this.id = String.valueOf(id);
    }

    public String table() {
        return table;
    }

    /** The id, as text. */
    public String id() {
        return id;
    }
}
