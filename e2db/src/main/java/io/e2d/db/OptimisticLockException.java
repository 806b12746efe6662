package io.e2d.db;

/**
 * A conditional update found that the row changed since the caller read it (its etcd mod revision moved).
 * Nothing was written: read the row again, re-apply the change, and retry, or use
 * {@code Table.update(id, change)}, which does that for you.
 */
public final class OptimisticLockException extends E2dbException {
    private static final long serialVersionUID = 1L;
    private final String table;
    private final String id;
    private final long expectedRevision;
    private final long foundRevision;

    public OptimisticLockException(String table, Object id, long expectedRevision, long foundRevision) {
        super("table '" + table + "': row '" + id + "' was expected at revision " + expectedRevision
                + " but is at revision " + foundRevision
                + (foundRevision == 0 ? " (deleted)" : "")
                + "; it changed concurrently: re-read it and retry");
        this.table = table;
        this.id = String.valueOf(id);
        this.expectedRevision = expectedRevision;
        this.foundRevision = foundRevision;
    }

    public String table() {
        return table;
    }

    public String id() {
        return id;
    }

    public long expectedRevision() {
        return expectedRevision;
    }

    /** The row's current mod revision, 0 when it was deleted. */
    public long foundRevision() {
        return foundRevision;
    }
}
