package io.e2d.db;

/** A row that an operation needs does not exist (for example {@code get(id)} or {@code update} of a missing id). */
public final class NoSuchRowException extends E2dbException {
    private static final long serialVersionUID = 1L;
    private final String table;
    private final String id;

    public NoSuchRowException(String table, Object id) {
        super("table '" + table + "': no row with id '" + id + "'; use find() for an Optional or insert the row first");
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
